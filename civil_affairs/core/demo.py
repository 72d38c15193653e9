"""Demo data of the shared apps: the area tree, one user per role, a few people.

Each domain app may have a `demo.py` with `load(areas: dict[str, Area]) -> None`; the
`seed_demo` command calls them in INSTALLED_APPS order. Everything here is idempotent.
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from civil_affairs.areas.models import Area, Role
from civil_affairs.areas.services import assignment_create
from civil_affairs.core.idgen import make_id_number
from civil_affairs.core.validators import id_facts
from civil_affairs.people.models import Person

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed by `make run` for the demo users

COUNTY = ("430922", "桃江县")
TOWNSHIPS = [("430922100", "桃花江镇"), ("430922101", "灰山港镇")]
VILLAGES = {
    "430922100": [("430922100201", "花果山村"), ("430922100001", "桃花江社区")],
    "430922101": [("430922101201", "石牛江村"), ("430922101001", "灰山港社区")],
}

# username, full name, role, area code
USERS = [
    ("admin", "系统管理员", Role.ADMINISTRATOR, "430922"),
    ("caseworker_a", "张敏（桃花江镇）", Role.CASEWORKER, "430922100"),
    ("caseworker_b", "李强（灰山港镇）", Role.CASEWORKER, "430922101"),
    ("reviewer_a", "王芳（桃花江镇审核）", Role.TOWNSHIP_REVIEWER, "430922100"),
    ("reviewer_b", "赵磊（灰山港镇审核）", Role.TOWNSHIP_REVIEWER, "430922101"),
    ("approver", "刘洋（县局审批）", Role.COUNTY_APPROVER, "430922"),
    ("finance", "陈静（财务）", Role.FINANCE, "430922"),
    ("federation", "黄伟（县残联）", Role.DISABILITY_FEDERATION, "430922"),
    ("eldercare", "何丽（养老服务股）", Role.ELDERCARE_OFFICER, "430922"),
    ("children", "罗霞（儿童福利股）", Role.CHILDREN_OFFICER, "430922"),
    ("supervisor_a", "邓军（桃花江镇儿童督导员）", Role.CHILD_SUPERVISOR, "430922100"),
    ("director_a", "谢红（花果山村儿童主任）", Role.CHILD_DIRECTOR, "430922100201"),
    ("clerk_a", "曾平（桃花江镇民政助理员）", Role.CIVIL_AFFAIRS_CLERK, "430922100"),
    ("governance", "彭涛（基层政权股）", Role.GOVERNANCE_OFFICER, "430922"),
    ("registration", "蒋玲（社会组织股）", Role.REGISTRATION_OFFICER, "430922"),
    ("funeral", "袁斌（社会事务股·殡葬）", Role.FUNERAL_OFFICER, "430922"),
    ("registrar", "唐琴（婚姻登记处）", Role.MARRIAGE_REGISTRAR, "430922"),
    ("placenames", "夏勇（区划地名股）", Role.PLACE_NAMES_OFFICER, "430922"),
]


def load_areas() -> dict[str, Area]:
    areas: dict[str, Area] = {}
    county, _ = Area.objects.get_or_create(
        code=COUNTY[0], defaults={"name": COUNTY[1], "level": Area.Level.COUNTY}
    )
    areas[county.code] = county
    for code, name in TOWNSHIPS:
        township, _ = Area.objects.get_or_create(
            code=code, defaults={"name": name, "level": Area.Level.TOWNSHIP, "parent": county}
        )
        areas[code] = township
        for vcode, vname in VILLAGES[code]:
            areas[vcode], _ = Area.objects.get_or_create(
                code=vcode,
                defaults={"name": vname, "level": Area.Level.VILLAGE, "parent": township},
            )
    return areas


def load_users(areas: dict[str, Area]) -> None:
    user_model: Any = get_user_model()
    for username, full_name, role, code in USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = username == "admin"
            user.save()
        assignment_create(user=user, area=areas[code], role=role)


PEOPLE = [
    ("430922100201", "周建国", datetime.date(1958, 3, 14), 13),
    ("430922100201", "周李氏", datetime.date(1960, 7, 2), 24),
    ("430922100001", "吴小红", datetime.date(1990, 11, 20), 42),
    ("430922101201", "郑大山", datetime.date(1949, 1, 5), 71),
    ("430922101001", "孙丽", datetime.date(1985, 5, 30), 82),
]


def load_people(areas: dict[str, Area]) -> None:
    for area_code, name, born, seq in PEOPLE:
        number = make_id_number("430922", born, seq)
        facts = id_facts(number)
        Person.objects.get_or_create(
            id_number=number,
            defaults={
                "name": name,
                "area": areas[area_code],
                "birth_date": facts.birth_date,
                "sex": facts.sex,
                "address": f"{areas[area_code].name}",
            },
        )
