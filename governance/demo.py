"""Demo data of governance, made through the services: the county's standards, a committee
per village and community (one without a woman member, one with a vacancy awaiting its
by-election), public-health committees in some, cancelled certificates and the three lists,
village rules, a deliberation half-way, the disclosure calendar and certificate requests (one
refused with its basis). Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from civil_affairs.areas.models import Area
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard

from . import services
from .models import Committee, Deliberation
from .standards import Kind

D = datetime.date
STANDARDS = [
    (Kind.TERM_YEARS, "5", "村（居）民委员会每届任期5年"),
    (Kind.DISCLOSURE_MONTHS, "3", "村务至少每季度公开一次"),
    (Kind.DISCLOSURE_GRACE_DAYS, "10", "季度结束后10日内公开"),
]
MEMBERS = [("主任", "M", "chair"), ("副主任", "F", "vice_chair"), ("委员", "M", "member")]


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def load(areas: dict[str, Area]) -> None:
    if Committee.objects.exists():
        return
    admin, officer = _user("admin"), _user("governance")
    county = areas["430922"]
    for standard_kind, value, note in STANDARDS:
        if not Standard.objects.filter(kind=standard_kind, area=county).exists():
            standard_services.standard_create(
                actor=admin,
                kind=standard_kind,
                area=county,
                valid_from=D(2000, 1, 1),
                value=Decimal(value),
                note=note,
                apply=False,
            )
    villages = sorted(
        (a for a in areas.values() if a.level == Area.Level.VILLAGE), key=lambda a: a.code
    )
    for n, village in enumerate(villages):
        kind = "village" if village.code[9] == "2" else "residents"
        committee = services.committee_elect(
            actor=officer, area=village, kind=kind, elected_on=D(2021, 4, 10)
        )
        for title, sex, post in MEMBERS:
            # the second village has no woman member: the page warns about it
            services.member_add(
                actor=officer,
                committee=committee,
                name=f"{village.name[:3]}{title}",
                sex="M" if n == 1 else sex,
                post=post,
            )
        if n % 2 == 0:
            services.committee_elect(
                actor=officer, area=village, kind="public_health", elected_on=D(2021, 6, 1)
            )
        services.committee_elect(
            actor=officer, area=village, kind="supervisory", elected_on=D(2021, 4, 10)
        )
        if n == 0:
            member = committee.members.get(post="member")
            services.member_leave(
                actor=officer, member=member, left_on=D(2025, 2, 1), reason="外出务工辞职"
            )
    services.certificate_cancel(
        actor=officer,
        area=county,
        item="亲属关系证明",
        legal_basis="民政部等关于改进和规范基层群众性自治组织出具证明工作的指导意见",
        cancelled_on=D(2022, 3, 1),
    )
    services.certificate_cancel(
        actor=officer,
        area=county,
        item="无犯罪记录证明",
        legal_basis="由公安机关出具，村（居）委会不再出具",
        cancelled_on=D(2022, 3, 1),
    )
    for kind, title in (
        ("autonomy", "村（居）民会议召集与决议执行"),
        ("assist", "协助开展社会救助对象排查"),
        ("negative", "不得出具超出职责范围的证明"),
    ):
        services.list_item_add(
            actor=officer, area=county, kind=kind, title=title, listed_on=D(2022, 6, 1)
        )
    village = areas["430922100201"]
    clerk = _user("clerk_a")
    rules = services.rules_pass(
        actor=clerk,
        area=village,
        title="花果山村村规民约",
        meeting="villagers",
        passed_on=D(2022, 1, 8),
        attendance=320,
        votes_for=290,
        topics="移风易俗、环境卫生、平安建设",
    )
    services.rules_file(actor=clerk, rules=rules, filed_on=D(2022, 1, 20))
    services.rules_check(actor=clerk, rules=rules, checked_on=D(2022, 2, 10), lawful=True)
    d = services.deliberation_start(
        actor=clerk,
        area=village,
        subject="村组道路硬化",
        proposed_on=D(2025, 3, 1),
        record="村党支部提议",
    )
    services.deliberation_step(
        actor=clerk,
        deliberation=d,
        step=Deliberation.Step.CONSULTED,
        on=D(2025, 3, 4),
        record="两委会商议通过",
    )
    for v in villages:
        services.disclosure_plan(actor=officer, area=v, topic="finance", year=2025)
    # a certificate issued and one refused, with its basis, in each village
    for v in villages:
        for item in ("居住证明", "亲属关系证明"):
            services.certificate_request(
                actor=officer, area=v, applicant="张某", item=item, requested_on=D(2025, 5, 6)
            )
