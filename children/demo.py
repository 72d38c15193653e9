"""Demo data of the children's app, made through the services: the county's standards, a
registry of each category, allowances in payment, directors and supervisors (the demo logins
director_a and supervisor_a among them), visits with a high-risk follow-up, a mandatory report
and care activities. Idempotent: nothing is added when the demo children are there."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.core.months import add_months, first_of_month
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard

from . import services
from .models import Child
from .standards import Kind

K = Kind
DEMO_MARK = "（演示）"
SINCE = datetime.date(2024, 1, 1)

STANDARDS = [
    (K.ORPHAN_ALLOWANCE, "institutional", "1600", "集中养育孤儿基本生活费"),
    (K.ORPHAN_ALLOWANCE, "scattered", "1200", "社会散居孤儿、事实无人抚养儿童基本生活费"),
    (K.END_AGE, "", "18", "年满18周岁停发（在校除外）"),
    (K.MONTHS_AFTER_BIRTHDAY, "", "0", "发放至年满18周岁当月"),
    (K.CHOOSE_HIGHER, "extreme_poverty", "1", "与特困供养择高发放"),
    (K.CHOOSE_HIGHER, "disability_care", "1", "与重度残疾人护理补贴择高发放"),
    (K.LEFT_BEHIND_AGE, "", "16", "留守儿童：未满16周岁"),
    (K.FOLLOW_UP_DAYS, "", "7", "高风险：7日内跟进处置"),
    (K.VISIT_INTERVAL, "orphan_scattered", "90", "散居孤儿每季度探访"),
    (K.VISIT_INTERVAL, "unsupported", "90", "事实无人抚养儿童每季度探访"),
    (K.VISIT_INTERVAL, "difficulty", "90", "困境儿童每季度探访"),
    (K.VISIT_INTERVAL, "left_behind", "30", "留守儿童每月探访"),
]

# name, village, category, birth date, seq, extra
# name, village code, category, birth date, sequence number, further child_register arguments
CHILDREN: list[tuple[str, str, str, datetime.date, int, dict[str, Any]]] = [
    ("刘晓雨", "430922100201", "orphan_scattered", datetime.date(2014, 4, 2), 321, {}),
    ("陈思远", "430922100001", "orphan_institutional", datetime.date(2012, 9, 17), 331, {}),
    (
        "周子涵",
        "430922100201",
        "unsupported",
        datetime.date(2016, 1, 8),
        342,
        {
            "parents": [
                {"parent": "father", "situation": "prison", "evidence": "刑事判决书（2024）"},
                {"parent": "mother", "situation": "missing", "evidence": "派出所出具的失联证明"},
            ]
        },
    ),
    ("吴佳乐", "430922100201", "left_behind", datetime.date(2017, 6, 21), 351, {}),
    ("郑可欣", "430922101201", "difficulty", datetime.date(2013, 11, 30), 362, {}),
    (
        "黄俊杰",
        "430922101201",
        "orphan_scattered",
        datetime.date(2008, 8, 15),
        371,
        {"school": "桃江县第一中学", "in_full_time_education": True},
    ),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def load(areas: dict[str, Area]) -> None:
    if Child.objects.filter(note__endswith=DEMO_MARK).exists():
        return
    admin, officer = _user("admin"), _user("children")
    director, supervisor = _user("director_a"), _user("supervisor_a")
    if admin is None or officer is None:
        return
    county = areas["430922"]
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
    start = add_months(first_of_month(today), -3)
    made: list[Child] = []
    for name, code, category, born, seq, extra in CHILDREN:
        child = services.child_register(
            actor=officer,
            id_number=make_id_number("430922", born, seq),
            name=name,
            area=areas[code],
            category=category,
            registered_on=datetime.date(2025, 3, 1),
            note=f"演示数据{DEMO_MARK}",
            guardians=[
                {"name": f"{name[0]}家监护人", "relationship": "祖父母", "phone": "13900000000"}
            ],
            **extra,
        )
        made.append(child)
        if category in ("orphan_scattered", "orphan_institutional", "unsupported"):
            services.allowance_grant(actor=officer, child=child, start_month=start)
    for post, code, name, user in (
        ("director", "430922100201", "谢红", director),
        ("supervisor", "430922100", "邓军", supervisor),
        ("director", "430922101201", "孙丽", None),
    ):
        services.appointment_create(
            actor=officer,
            post=post,
            area=areas[code],
            name=name,
            appointed_on=datetime.date(2024, 3, 1),
            user=user,
        )
    visitor = director or officer
    left_behind = made[3]
    services.visit_record(
        actor=visitor,
        child=left_behind,
        visited_on=today - datetime.timedelta(days=3),
        findings="父母均在外务工，祖母年迈卧床，孩子近一周独自在家。",
        risk_level="high",
        referral="已报告镇儿童督导员",
    )
    services.visit_record(
        actor=visitor,
        child=made[0],
        visited_on=today - datetime.timedelta(days=120),
        findings="生活、学习情况良好。",
        risk_level="low",
    )
    services.mandatory_report_receive(
        actor=officer,
        area=areas["430922100201"],
        received_at=timezone.now() - datetime.timedelta(days=2),
        reporter="花果山村小学 班主任",
        reporter_unit="花果山村小学",
        child_name="（演示）某学生",
        description="学生身上多处淤青，疑似遭受家庭暴力。",
    )
    for area_code, day, theme, reached, funds, goods in (
        ("430922100", datetime.date(2026, 6, 1), "“六一”关爱困境儿童主题活动", 45, "8000", "3500"),
        ("430922101201", datetime.date(2026, 7, 15), "暑期防溺水安全教育", 60, "0", "1200"),
    ):
        services.care_activity_record(
            actor=officer,
            area=areas[area_code],
            held_on=min(day, today),
            theme=theme,
            organiser="县民政局儿童福利股",
            children_reached=reached,
            funds_raised=funds,
            goods_value=goods,
        )
