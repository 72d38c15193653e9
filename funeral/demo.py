"""Demo data of funerals, marriage registration and place names, made through the services:
the standards, deaths handled (one of a dibao beneficiary, not yet sent to the cross-check),
cemeteries, a tomb-sweeping plan; marriages, a refusal, a divorce in its cooling-off, one
near lapse, an agency; place names in both townships, a naming awaiting its decision,
corrections, entries and a boundary inspected. Idempotent: nothing is added when the demo
marriages are there."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from civil_affairs import benefits
from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.people.models import Person
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard

from . import services
from . import standards as kinds
from .models import Marriage

SINCE = datetime.date(2021, 1, 1)
STANDARDS = [
    (kinds.MARRIAGE_AGE, kinds.MALE, "22", "民法典第1047条：男不得早于二十二周岁"),
    (kinds.MARRIAGE_AGE, kinds.FEMALE, "20", "民法典第1047条：女不得早于二十周岁"),
    (kinds.COOLING_OFF_DAYS, "", "30", "民法典第1077条：离婚冷静期三十日"),
    (kinds.CERTIFICATE_DAYS, "", "30", "民法典第1077条：期满后三十日内申请发给离婚证"),
    (kinds.FEE_WAIVER, "", "1200", "惠民殡葬：基本殡葬服务费减免标准"),
]


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _dibao_person() -> Person | None:
    """A dibao beneficiary of the demo (any paying app), through the benefits registry."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT b.person_id FROM ({benefits.open_sql()}) AS b "  # noqa: S608
            "WHERE b.program = %s ORDER BY b.person_id DESC LIMIT 1",
            ["dibao"],
        )
        row = cursor.fetchone()
    return Person.objects.filter(pk=row[0]).first() if row else None


def load(areas: dict[str, Area]) -> None:
    if Marriage.objects.filter(certificate_no__startswith="J430922-DEMO").exists():
        return
    county, town_a, town_b = areas["430922"], areas["430922100"], areas["430922101"]
    village_a, village_b = areas["430922100201"], areas["430922101201"]
    admin = _user("admin")
    for kind, variant, value, note in STANDARDS:
        if not Standard.objects.filter(kind=kind, variant=variant, area=county).exists():
            standard_services.standard_create(
                actor=admin,
                kind=kind,
                variant=variant,
                area=county,
                valid_from=SINCE,
                value=Decimal(value),
                note=note,
                apply=False,
            )
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    _funerals(areas, today, day)
    _marriages(county, town_a, today, day)
    _places(county, town_a, town_b, village_a, village_b, today, day)


def _funerals(areas: dict[str, Area], today: datetime.date, day: datetime.timedelta) -> None:
    officer = _user("funeral")
    poor = _dibao_person()
    if poor is not None and poor.death_date is None:
        services.death_record(
            actor=officer,
            area=poor.area,
            id_number=poor.id_number,
            name=poor.name,
            died_on=today - 12 * day,
            handled_on=today - 10 * day,
            facility="桃江县殡仪馆",
            cremation_certificate="HH-2026-0101",
        )
    for seq, (code, name, died) in enumerate(
        [
            ("430922100201", "周德明", 40),
            ("430922101201", "吴秀英", 25),
            ("430922101001", "郑国强", 6),
        ]
    ):
        services.death_record(
            actor=officer,
            area=areas[code],
            id_number=make_id_number("430922", datetime.date(1938 + seq, 3, 5), 611 + 2 * seq),
            name=name,
            died_on=today - died * day,
            handled_on=today - (died - 2) * day,
            disposal="burial" if seq == 2 else "cremation",
            facility="" if seq == 2 else "桃江县殡仪馆",
            cremation_certificate="" if seq == 2 else f"HH-2026-01{seq + 2:02d}",
        )
    built = services.cemetery_create(
        actor=officer,
        area=areas["430922100"],
        name="桃花江镇公益性公墓",
        planned_plots=1200,
        investment="3600000",
    )
    for months, progress in ((8, 35), (4, 70), (1, 100)):
        services.cemetery_report(
            actor=officer,
            cemetery=built,
            reported_on=today - months * 30 * day,
            progress=progress,
            plots_built=12 * progress,
            note="主体工程推进",
        )
    building = services.cemetery_create(
        actor=officer,
        area=areas["430922101"],
        name="灰山港镇公益性公墓",
        planned_plots=800,
        investment="2400000",
    )
    services.cemetery_report(
        actor=officer,
        cemetery=building,
        reported_on=today - 20 * day,
        progress=45,
        plots_built=300,
        note="道路及一期墓区施工",
    )
    services.plan_create(
        actor=officer,
        area=areas["430922"],
        year=today.year,
        title=f"{today.year}年清明节群众祭扫工作方案",
        starts_on=datetime.date(today.year, 3, 29),
        ends_on=datetime.date(today.year, 4, 6),
        measures="错峰祭扫、文明祭扫宣传、森林防火、交通疏导",
        staff=160,
    )


def _marriages(county: Area, town_a: Area, today: datetime.date, day: datetime.timedelta) -> None:
    registrar = _user("registrar")

    def person(born: datetime.date, seq: int) -> str:
        return make_id_number("430922", born, seq)

    couples = [
        (
            "陈志远",
            person(datetime.date(1994, 5, 2), 731),
            "林晓雯",
            person(datetime.date(1996, 8, 9), 732),
        ),
        (
            "黄建国",
            person(datetime.date(1988, 1, 20), 733),
            "刘芳",
            person(datetime.date(1990, 11, 3), 734),
        ),
        (
            "杨帆",
            person(datetime.date(1992, 7, 7), 735),
            "何静",
            person(datetime.date(1993, 2, 14), 736),
        ),
        (
            "周磊",
            person(datetime.date(1987, 3, 3), 739),
            "吴倩",
            person(datetime.date(1989, 9, 19), 740),
        ),
    ]
    marriages = []
    for i, (a_name, a, b_name, b) in enumerate(couples):
        marriages.append(
            services.marriage_register(
                actor=registrar,
                area=county,
                registered_on=today - (400 + 200 * i) * day,
                party_a_id_number=a,
                party_a_name=a_name,
                party_b_id_number=b,
                party_b_name=b_name,
                certificate_no=f"J430922-DEMO-{i + 1:04d}",
            )
        )
    services.marriage_refuse(
        actor=registrar,
        area=county,
        refused_on=today - 3 * day,
        party_a_id_number=person(today - 21 * 365 * day, 737),
        party_a_name="赵小龙",
        party_b_id_number=person(datetime.date(2000, 6, 1), 738),
        party_b_name="钱小红",
    )
    services.kinship_record(
        actor=registrar,
        area=county,
        id_number_a=person(datetime.date(1999, 4, 4), 739),
        id_number_b=person(datetime.date(2000, 5, 5), 740),
        degree="collateral",
        evidence="户籍证明：表兄妹",
    )
    services.divorce_apply(actor=registrar, marriage=marriages[1], applied_on=today - 10 * day)
    done = services.divorce_apply(
        actor=registrar, marriage=marriages[2], applied_on=today - 50 * day
    )
    # past the cooling-off, a few days left to ask for the certificate: near lapse
    services.divorce_apply(actor=registrar, marriage=marriages[3], applied_on=today - 55 * day)
    services.divorce_certify(
        actor=registrar,
        application=done,
        on=today - 15 * day,
        certificate_no="L430922-DEMO-0001",
    )
    services.certificate_replace(
        actor=registrar,
        marriage=marriages[0],
        kind="marriage",
        party_id_number=marriages[0].party_b_id_number,
        issued_on=today - 5 * day,
        certificate_no="J430922-DEMO-0001-B",
        reason="遗失补领",
    )
    agency = services.agency_create(
        actor=registrar,
        area=town_a,
        name="桃花江镇缘来婚姻介绍所",
        credit_code="91350100M000100Y43",
        manager="孙丽",
        phone="0737-0000000",
    )
    services.agency_inspect(
        actor=registrar,
        agency=agency,
        inspected_on=today - 30 * day,
        result="rectify",
        findings="未公示收费标准",
        rectify_by=today + 30 * day,
    )


def _places(
    county: Area,
    town_a: Area,
    town_b: Area,
    village_a: Area,
    village_b: Area,
    today: datetime.date,
    day: datetime.timedelta,
) -> None:
    officer = _user("placenames")
    names = [
        (town_a, "桃花江大道", "Táohuājiāng Dàdào", "road", "112.158213", "28.523101"),
        (town_a, "花果山", "Huāguǒ Shān", "mountain", "112.120004", "28.540212"),
        (village_a, "上屋场", "Shàngwūchǎng", "natural_village", "", ""),
        (town_b, "石牛江", "Shíniú Jiāng", "water", "112.003217", "28.401155"),
        (town_b, "灰山港大桥", "Huīshāngǎng Dàqiáo", "bridge", "112.010010", "28.410020"),
        (village_b, "新塘湾", "Xīntáng Wān", "natural_village", "", ""),
    ]
    places = [
        services.place_name_create(
            actor=officer,
            area=area,
            name=name,
            pinyin=pinyin,
            kind=kind,
            longitude=lon,
            latitude=lat,
        )
        for area, name, pinyin, kind, lon, lat in names
    ]
    renaming = services.naming_propose(
        actor=officer,
        area=town_b,
        kind="renaming",
        place=places[4],
        new_name="资江二桥",
        new_pinyin="Zījiāng Èrqiáo",
        procedure="approval",
        reason="与相邻县重名",
    )
    services.naming_decide(
        actor=officer,
        decision=renaming,
        approve=True,
        decided_on=today - 60 * day,
        document_no="桃政函〔2026〕18号",
        notice_on=today - 55 * day,
    )
    services.naming_propose(
        actor=officer,
        area=town_a,
        kind="naming",
        place_kind="road",
        new_name="振兴路",
        new_pinyin="Zhènxīng Lù",
        procedure="filing",
        reason="新建道路",
    )
    fixed = services.correction_open(
        actor=officer,
        place=places[1],
        area=town_a,
        found_on=today - 90 * day,
        problem="国家地名信息库中拼音声调错误",
    )
    services.correction_close(
        actor=officer, task=fixed, corrected_on=today - 80 * day, correction="已改为 Huāguǒ Shān"
    )
    services.correction_open(
        actor=officer,
        place=places[3],
        area=town_b,
        found_on=today - 7 * day,
        problem="坐标偏移约200米",
    )
    services.entry_change_record(
        actor=officer,
        area=town_a,
        change="added",
        entry_name="桃花新村社区",
        entry_code="430922100002",
        effective_on=today - 120 * day,
        detail="新设社区",
        document_no="桃政发〔2026〕5号",
    )
    services.entry_change_record(
        actor=officer,
        area=village_b,
        change="changed",
        entry_name="石牛江村",
        entry_code="430922101201",
        effective_on=today - 40 * day,
        detail="村委会驻地变更",
    )
    line = services.boundary_create(
        actor=officer,
        area=county,
        name="桃花江镇—灰山港镇界线",
        parties="桃花江镇、灰山港镇",
        length_km="18.6",
    )
    for number in ("001", "002", "003"):
        services.marker_add(actor=officer, boundary=line, number=number)
    services.boundary_inspect(
        actor=officer,
        boundary=line,
        inspected_on=today - 30 * day,
        parties="桃花江镇、灰山港镇、县民政局",
        markers_checked=3,
        disputes="",
    )
    services.boundary_create(
        actor=officer,
        area=town_a,
        name="花果山村—桃花江社区界线",
        parties="花果山村、桃花江社区",
        length_km="3.2",
    )
