"""Demo data of elder care, made through the services: the county's tier and modification
standards, three institutions with residents and grades, an inspection with an overdue major
hazard, the fund-raising screening, home-care centres at each stage, the modification item
lists and a modification, care workers, and old-age allowances in three tiers.
Idempotent: nothing is added when the demo institutions are there already."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import uscc

from civil_affairs import benefits
from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.people.models import Person
from civil_affairs.people.services import person_create
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard

from . import services
from .models import Institution, ModificationItem
from .standards import Kind

SINCE = datetime.date(2024, 1, 1)
STANDARDS = [
    (Kind.TIER_AGE, "80", "80", "80至89周岁高龄津贴"),
    (Kind.TIER_AGE, "90", "90", "90至99周岁高龄津贴"),
    (Kind.TIER_AGE, "100", "100", "百岁老人长寿补贴"),
    (Kind.ALLOWANCE, "80", "50", "80至89周岁每人每月"),
    (Kind.ALLOWANCE, "90", "100", "90至99周岁每人每月"),
    (Kind.ALLOWANCE, "100", "500", "百岁老人每人每月"),
    (Kind.TIER_START, "", "1", "满周岁的次月起享受"),
    (Kind.MODIFICATION_CAP, "", "6000", "每户改造费用上限"),
    (Kind.MODIFICATION_AGE, "", "80", "困难高龄老年人"),
]
ITEMS = [
    ("B01", "卫生间扶手", "basic"),
    ("B02", "防滑处理", "basic"),
    ("B03", "高差处理（坡道）", "basic"),
    ("B04", "淋浴椅", "basic"),
    ("O01", "护理床", "optional"),
    ("O02", "智能烟雾报警器", "optional"),
    ("O03", "紧急呼叫设备", "optional"),
]


def _code(n: int) -> str:
    body = f"52430922MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _person(actor: Any, area: Area, name: str, born: datetime.date, seq: int) -> Person:
    number = make_id_number("430922", born, seq)
    found = Person.objects.filter(id_number=number).first()
    return found or person_create(actor=actor, id_number=number, name=name, area=area)


def load(areas: dict[str, Area]) -> None:
    if Institution.objects.filter(credit_code=_code(1)).exists():
        return
    admin, officer, clerk = _user("admin"), _user("eldercare"), _user("clerk_a")
    caseworker_a = _user("caseworker_a")
    county = areas["430922"]
    mine = [k.value for k in Kind]
    if not Standard.objects.filter(area=county, kind__in=mine).exists():
        for kind, variant, value, note in STANDARDS:
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
    for code, name, which in ITEMS:
        ModificationItem.objects.get_or_create(code=code, defaults={"name": name, "list": which})
    today = timezone.localdate()
    days = datetime.timedelta

    welfare = services.institution_create(
        actor=officer,
        area=areas["430922100001"],
        credit_code=_code(1),
        name="桃江县社会福利中心",
        nature=Institution.Nature.PUBLIC,
        beds=200,
        nursing_beds=120,
        filing_date=datetime.date(2020, 3, 18),
        filing_number="桃民养备〔2020〕1号",
        operator="桃江县民政局",
    )
    township = services.institution_create(
        actor=officer,
        area=areas["430922100201"],
        credit_code=_code(2),
        name="桃花江镇敬老院",
        nature=Institution.Nature.PUBLIC_PRIVATE,
        beds=80,
        nursing_beds=30,
        filing_date=datetime.date(2021, 6, 1),
        filing_number="桃民养备〔2021〕7号",
        operator="湘益康养服务有限公司",
    )
    private = services.institution_create(
        actor=officer,
        area=areas["430922101001"],
        credit_code=_code(3),
        name="灰山港夕阳红养老院",
        nature=Institution.Nature.PRIVATE,
        beds=60,
        nursing_beds=20,
        filing_date=datetime.date(2022, 9, 9),
        filing_number="桃民养备〔2022〕12号",
        operator="夕阳红养老服务有限公司",
    )
    services.grade_record(
        actor=officer,
        institution=welfare,
        level=3,
        rated_on=datetime.date(2024, 11, 20),
        valid_until=datetime.date(2027, 11, 19),
        evidence="益阳市养老机构等级评定〔2024〕3号",
    )
    services.grade_record(
        actor=officer,
        institution=township,
        level=1,
        rated_on=datetime.date(2023, 5, 10),
        valid_until=datetime.date(2026, 5, 9),
        evidence="益阳市养老机构等级评定〔2023〕8号",
    )
    residents = [
        (welfare, "周桂英", datetime.date(1938, 4, 12), 2, True),
        (welfare, "刘德明", datetime.date(1941, 9, 3), 3, True),
        (welfare, "陈冬梅", datetime.date(1944, 12, 25), 1, False),
        (township, "彭光辉", datetime.date(1947, 2, 14), 0, True),
        (township, "易秋菊", datetime.date(1936, 10, 1), 4, True),
        (private, "黄建国", datetime.date(1950, 6, 30), 1, False),
    ]
    for n, (home, name, born, level, vaccinated) in enumerate(residents):
        services.resident_admit(
            actor=officer,
            institution=home,
            id_number=make_id_number("430922", born, 700 + n),
            name=name,
            admitted_on=today - days(days=400 - 30 * n),
            ability_level=level,
            assessed_on=today - days(days=390 - 30 * n),
            vaccinated=vaccinated,
            vaccinated_on=today - days(days=60) if vaccinated else None,
        )

    fire = services.inspection_record(
        actor=officer,
        institution=township,
        kind="fire",
        inspected_on=today - days(days=45),
        inspectors="何丽、县消防救援大队周勇",
        notes="按 GB 38600 逐项检查。",
    )
    services.finding_add(
        actor=officer,
        inspection=fire,
        description="二楼疏散通道堆放杂物，安全出口指示灯损坏",
        severity="major",
        deadline=today - days(days=15),
    )
    minor = services.finding_add(
        actor=officer,
        inspection=fire,
        description="灭火器月检记录缺页",
        severity="minor",
        deadline=today - days(days=30),
    )
    services.finding_close(
        actor=officer, finding=minor, fixed_on=today - days(days=35), evidence="补齐月检记录"
    )
    food = services.inspection_record(
        actor=officer,
        institution=private,
        kind="food",
        inspected_on=today - days(days=20),
        inspectors="何丽、县市场监管局谭敏",
    )
    services.finding_add(
        actor=officer,
        inspection=food,
        description="留样冰箱温度记录不全",
        severity="minor",
        deadline=today + days(days=10),
    )

    operating = services.centre_create(
        actor=clerk,
        area=areas["430922100001"],
        name="桃花江社区居家养老服务中心",
        planned_on=datetime.date(2023, 3, 1),
        services="日间照料、助餐、康复",
        meal_service=True,
    )
    for status, on in (
        ("under_construction", datetime.date(2023, 6, 1)),
        ("built", datetime.date(2024, 3, 15)),
    ):
        services.centre_advance(actor=clerk, centre=operating, status=status, on=on)
    services.centre_advance(
        actor=clerk,
        centre=operating,
        status="operating",
        on=datetime.date(2024, 5, 1),
        operator="湘益康养服务有限公司",
    )
    building = services.centre_create(
        actor=clerk,
        area=areas["430922100201"],
        name="花果山村互助养老服务点",
        planned_on=datetime.date(2025, 2, 1),
        services="助餐、探访",
        meal_service=True,
    )
    services.centre_advance(
        actor=clerk, centre=building, status="under_construction", on=datetime.date(2025, 8, 1)
    )
    services.centre_create(
        actor=officer,
        area=areas["430922101001"],
        name="灰山港社区居家养老服务中心",
        planned_on=today - days(days=90),
    )

    for institution in (welfare, township, private):
        services.screening_record(
            actor=officer,
            institution=institution,
            screened_on=today - days(days=50),
            result="clear",
        )
    services.screening_record(
        actor=officer, centre=operating, screened_on=today - days(days=50), result="clear"
    )
    services.screening_record(
        actor=officer,
        unit_name="桃江康乐养老咨询服务部",
        area=areas["430922101001"],
        screened_on=today - days(days=48),
        result="suspected",
        notes="以“预存养老费”名义吸收资金，已移交县处非办",
    )

    workers = [
        (welfare, None, "龚小红", datetime.date(1976, 3, 8), 4, "湘护2022-0381"),
        (welfare, None, "谭丽君", datetime.date(1981, 7, 19), 5, "湘护2023-1102"),
        (township, None, "李国平", datetime.date(1969, 1, 27), None, ""),
        (None, operating, "曹慧", datetime.date(1985, 11, 2), 4, "湘护2024-0077"),
    ]
    for n, (employer, centre, name, born, skill_level, certificate) in enumerate(workers):
        worker = services.careworker_create(
            actor=officer,
            institution=employer,
            centre=centre,
            id_number=make_id_number("430922", born, 720 + n),
            name=name,
            employed_from=datetime.date(2023, 1, 1),
            skill_level=skill_level,
            certificate_number=certificate,
            certified_on=datetime.date(2023, 6, 1) if certificate else None,
        )
        services.training_record(
            actor=officer,
            worker=worker,
            course="失能老年人照护实务",
            attended_on=datetime.date(2025, 4, 10),
            hours=24,
        )

    elders = [
        ("430922100201", "罗满秀", datetime.date(1946, 5, 20), 740),  # 80 in 2026-05
        ("430922100001", "符长庚", datetime.date(1934, 8, 8), 741),  # the 90 tier
        ("430922101201", "汤寿英", datetime.date(1925, 1, 6), 742),  # past 100
        ("430922101001", "伍兴旺", datetime.date(1944, 2, 2), 743),
    ]
    for code, name, born, seq in elders:
        person = _person(admin, areas[code], name, born, seq)
        services.allowance_enrol(
            actor=officer,
            person=person,
            applied_on=max(today - days(days=200), born.replace(year=born.year + 80)),
        )

    # a modification for an elder in hardship: relief's demo watches an old woman's low-income
    # edge household since the summer
    applied_on = today - days(days=60)
    candidates = list(
        Person.objects.filter(
            area__code__startswith="430922100", birth_date__lte=datetime.date(1946, 1, 1)
        ).values_list("pk", flat=True)
    )
    facts = benefits.facts(candidates, applied_on.replace(day=1))
    hardship = [pk for pk, found in facts.items() if benefits.EDGE_HOUSEHOLD in found]
    elder = Person.objects.get(pk=min(hardship))
    modification = services.modification_apply(
        actor=caseworker_a,
        person=elder,
        address=f"{elder.area.name}（演示）",
        applied_on=applied_on,
    )
    items = {i.code: i for i in ModificationItem.objects.all()}
    services.modification_assess(
        actor=clerk,
        modification=modification,
        assessed_on=today - days(days=50),
        lines=[(items["B01"], Decimal("800")), (items["B02"], Decimal("1200"))],
    )
    services.modification_start_works(
        actor=clerk,
        modification=modification,
        started_on=today - days(days=40),
        contractor="桃江县安居建筑工程队",
    )
    services.modification_accept(
        actor=officer,
        modification=modification,
        accepted_on=today - days(days=20),
        notes="验收合格",
    )
