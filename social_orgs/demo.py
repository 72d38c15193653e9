"""Demo data of social_orgs, made through the services: the county's standards, registered
organisations with inspections (one not inspected, one flagged for revocation), a filed
community organisation, a charity with donations, a social-work station, volunteers and the
welfare lottery. Idempotent: nothing is added when the demo organisations are there."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from civil_affairs.areas.models import Area
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard

from . import services
from .models import Organisation
from .standards import Kind

D = datetime.date
STANDARDS = [
    (Kind.REPORT_DEADLINE_MONTH, "5", "年检报告于次年5月底前报送"),
    (Kind.EVALUATION_VALID_YEARS, "5", "评估等级有效期5年"),
    (Kind.REVOCATION_YEARS, "2", "连续2年未年检的依法撤销"),
]


def _code(type_digit: str, serial: int) -> str:
    body = f"5{type_digit}430922MJ{serial:07d}"
    return body + uscc.calc_check_digit(body)


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def load(areas: dict[str, Area]) -> None:
    if Organisation.objects.filter(credit_code=_code("1", 9001)).exists():
        return
    admin, officer, clerk = _user("admin"), _user("registration"), _user("clerk_a")
    county = areas["430922"]
    for kind, value, note in STANDARDS:
        if not Standard.objects.filter(kind=kind, area=county).exists():
            standard_services.standard_create(
                actor=admin,
                kind=kind,
                area=county,
                valid_from=D(2000, 1, 1),
                value=Decimal(value),
                note=note,
                apply=False,
            )
    made = {}
    for key, name, type_digit, serial, unit, registered in (
        ("calligraphy", "桃江县书法家协会", "1", 9001, "县文联", D(2015, 6, 1)),
        ("elderly", "桃江县老年人服务中心", "2", 9002, "", D(2018, 3, 1)),
        ("foundation", "桃江县慈善基金会", "3", 9003, "", D(2012, 9, 1)),
        ("dormant", "桃江县楠竹产业协会", "1", 9004, "县林业局", D(2016, 4, 1)),
        ("new", "桃江县青少年体育俱乐部", "2", 9005, "县教育局", D(2024, 11, 1)),
    ):
        made[key] = services.organisation_register(
            actor=officer,
            area=county,
            name=name,
            credit_code=_code(type_digit, serial),
            org_type=type_digit,
            supervising_unit=unit,
            direct_registration=not unit,
            legal_representative="负责人" + name[-2:],
            funds="30000" if type_digit != "3" else "4000000",
            registered_on=registered,
        )
    services.organisation_register(
        actor=clerk,
        area=areas["430922100"],
        registration=Organisation.Registration.FILED,
        name="桃花江社区广场舞队",
        org_type="1",
        legal_representative="刘阿姨",
        registered_on=D(2023, 5, 1),
    )
    for key in ("calligraphy", "elderly", "foundation"):
        for year in (2023, 2024):
            services.inspection_record(
                actor=officer,
                organisation=made[key],
                year=year,
                reported_on=D(year + 1, 4, 20),
                result="pass",
            )
    services.inspection_record(
        actor=officer,
        organisation=made["new"],
        year=2024,
        reported_on=D(2025, 5, 10),
        result="basic_pass",
        reasons="财务制度不健全",
        rectification="三个月内建立财务制度",
    )
    services.abnormal_list_overdue(actor=officer, year=2024, on=D(2025, 6, 1))
    services.evaluation_record(
        actor=officer, organisation=made["foundation"], grade=4, awarded_on=D(2022, 10, 1)
    )
    charity = services.charity_recognise(
        actor=officer,
        organisation=made["foundation"],
        recognised_on=D(2017, 1, 10),
        public_fundraising=True,
        fundraising_since=D(2019, 1, 10),
    )
    for day, donor, amount, purpose in (
        (D(2025, 1, 20), "桃江某竹业公司", "50000", "助学"),
        (D(2025, 3, 8), "爱心人士", "2000", "助老"),
    ):
        services.donation_record(
            actor=officer,
            charity=charity,
            received_on=day,
            donor=donor,
            amount=amount,
            purpose=purpose,
        )
    services.enforcement_open(
        actor=officer,
        area=areas["430922101"],
        subject="中华国学文化促进总会桃江分会",
        opened_on=D(2025, 4, 2),
        source="群众举报",
    )
    station = services.station_create(
        actor=clerk,
        area=areas["430922100"],
        name="桃花江镇社会工作服务站",
        opened_on=D(2022, 7, 1),
        stars=3,
        villages=[
            a for code, a in areas.items() if code.startswith("430922100") and len(code) == 12
        ],
    )
    services.station_staff_add(
        actor=clerk,
        station=station,
        name="周社工",
        qualification="social_worker",
        joined_on=D(2022, 7, 1),
    )
    services.station_staff_add(
        actor=clerk,
        station=station,
        name="李助理",
        qualification="assistant",
        joined_on=D(2023, 2, 1),
    )
    volunteer = services.volunteer_register(
        actor=clerk,
        area=areas["430922100201"],
        name="王志愿",
        team="花果山村志愿服务队",
        registered_on=D(2023, 1, 1),
    )
    services.volunteer_service_record(
        actor=clerk,
        volunteer=volunteer,
        served_on=D(2025, 3, 5),
        hours="4",
        activity="探访独居老人",
    )
    for month, channel, amount in (
        (D(2025, 1, 1), "draw", "820000"),
        (D(2025, 1, 1), "instant", "210000"),
        (D(2025, 2, 1), "draw", "760000"),
    ):
        services.lottery_sales_record(
            actor=officer, area=county, month=month, channel=channel, amount=amount
        )
    services.fund_use_record(
        actor=officer,
        area=county,
        project="敬老院适老化改造",
        amount="300000",
        spent_on=D(2025, 4, 1),
        beneficiaries=120,
    )
