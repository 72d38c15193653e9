"""Demo data of the cross-checks, made through the services on top of the domain apps' demo
cases (seed_demo loads those first; this module finds the dibao beneficiaries through the
benefits registry): thresholds, a death list and a vehicle list from other departments (with
a few bad rows), one matching run, and its warnings (one dismissed, one overdue).
Idempotent."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from civil_affairs import benefits
from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.people.models import Person

from . import loading, services
from .kinds import default_mapping
from .models import ExternalList, Threshold, Warning

DEMO_MARK = "（演示）"
SINCE = datetime.date(2026, 1, 1)
THRESHOLDS = [
    (Threshold.Name.VEHICLE_VALUE, "100000", "家庭成员名下车辆价值核查标准"),
    (Threshold.Name.PROPERTY_VALUE, "500000", "家庭成员名下不动产价值核查标准"),
]


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # as Excel saves "CSV UTF-8"


def _upload(actor: Any, area: Area, kind: str, name: str, data: bytes, source: str) -> Any:
    lst = services.list_upload(
        actor=actor,
        kind=kind,
        area=area,
        valid_on=timezone.localdate() - datetime.timedelta(days=5),  # as in load()
        source=source + DEMO_MARK,
        file=SimpleUploadedFile(name, data),
        file_name=name,
        columns=default_mapping(kind),
    )
    # loaded here: the demo runs before any worker; the queued load finds it loaded
    return loading.list_load(external_list=lst)


def _strangers(count: int) -> list[str]:
    """Valid ID numbers of no one in the demo (other counties' people)."""
    born = datetime.date(1970, 1, 1)
    return [
        make_id_number("430981", born + datetime.timedelta(days=i), 500 + i) for i in range(count)
    ]


def _paid(program: str) -> list[tuple[int, str]]:
    """(person id, area code) of the open benefits of a program, in any app, by area."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.person_id, a.code FROM ({benefits.open_sql()}) AS b "  # noqa: S608
            "JOIN areas_area a ON a.id = b.area_id WHERE b.program = %s "
            "ORDER BY a.code, b.source, b.id",
            [program],
        )
        return list(cursor.fetchall())


def load(areas: dict[str, Area]) -> None:
    if ExternalList.objects.filter(source__endswith=DEMO_MARK).exists():
        return
    from civil_affairs.payments.models import Payment

    admin, approver = _user("admin"), _user("approver")
    county = areas["430922"]
    for name, amount, note in THRESHOLDS:
        if not Threshold.objects.filter(name=name, area=county).exists():
            services.threshold_save(
                actor=admin,
                threshold=Threshold(
                    name=name, area=county, valid_from=SINCE, amount=Decimal(amount), note=note
                ),
            )
    dibao = _paid("dibao")
    in_a = [pk for pk, code in dibao if code.startswith("430922100")]
    in_b = [pk for pk, code in dibao if code.startswith("430922101")]
    if not in_a or not in_b:
        return  # the domain apps' demos have no dibao case to match: nothing to show
    dead, dismissed = Person.objects.get(pk=in_a[0]), Person.objects.get(pk=in_b[0])
    valid_on = timezone.localdate() - datetime.timedelta(days=5)
    # died some days before the first month paid to them: that month is an overpayment
    first_paid = (
        Payment.objects.filter(person=dead, status=Payment.Status.PAID)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    died = min(valid_on, (first_paid or valid_on) - datetime.timedelta(days=10))
    strangers = _strangers(6)
    deaths = [
        [dead.id_number, dead.name, f"{died:%Y-%m-%d}", "县殡仪馆火化"],
        [dismissed.id_number, dismissed.name, "2026-02-20", "县殡仪馆火化"],
        *[[n, f"外县居民{i}", "2026-03-01", ""] for i, n in enumerate(strangers[:4])],
        [
            strangers[4][:-1] + ("0" if strangers[4][-1] != "0" else "1"),
            "号码有误",
            "2026-03-02",
            "",
        ],
        [strangers[5], "缺死亡日期", "", ""],
    ]
    _upload(
        approver,
        county,
        "death",
        "2026年3月死亡火化名单.csv",
        _csv(["身份证号码", "姓名", "死亡日期", "备注"], deaths),
        "县公安局、县殡葬管理所",
    )
    # a vehicle of a member of a dibao household in township A, over the threshold
    holder = in_a[-1]
    members = [m.person_id for h in benefits.households_of(holder) for m in h.members]
    owner = Person.objects.get(pk=next((pk for pk in members if pk != holder), holder))
    vehicles = [
        [owner.id_number, owner.name, "168000", "湘H·D2026"],
        [strangers[0], "外县居民0", "35000", "湘H·A1234"],
    ]
    _upload(
        approver,
        county,
        "vehicle",
        "车辆登记信息.csv",
        _csv(["身份证号码", "姓名", "车辆价值", "号牌号码"], vehicles),
        "县公安局交警大队",
    )
    services.run_start(actor=approver, area=county, inline=True)
    for warning in Warning.objects.filter(person=dismissed, status=Warning.Status.OPEN):
        services.warnings_dismiss(
            actor=_user("caseworker_b"),
            warnings=[warning],
            reason="入户核实本人健在，系公安户籍登记错误，已函告县公安局更正。",
        )
    # one warning left unresolved past its rule's days, for the supervisors' panel
    overdue = Warning.objects.filter(person=dead, status=Warning.Status.OPEN).first()
    if overdue is not None:
        Warning.objects.filter(pk=overdue.pk).update(
            created_at=timezone.now()
            - datetime.timedelta(days=overdue.rule.escalate_after_days + 3)
        )
