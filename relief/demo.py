"""Demo data of relief, made through the services: standards, households, cases at each step,
entitlements in payment, reviews due and overdue, a homeless relief case and medical aid.
Idempotent: nothing is added when the demo households are there already."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.people.services import person_create
from civil_affairs.standards import services as standard_services
from civil_affairs.standards.models import Standard

from . import services
from .models import Application, Entitlement, Household, Review
from .standards import Kind

K = Kind
DEMO_MARK = "（演示）"
SINCE = datetime.date(2026, 1, 1)

# What the county decided for 2026 (the demo's figures, edited in the admin afterwards).
STANDARDS = [
    (K.DIBAO, "urban", "800", "城市低保标准"),
    (K.DIBAO, "rural", "760", "农村低保标准"),
    (K.DIBAO_FLOOR, "", "50", "低保最低月保障金额"),
    (K.ASSET_DEPOSITS, "", "20000", "人均存款上限"),
    (K.ASSET_VEHICLES, "", "0", "家庭车辆上限"),
    (K.ASSET_HOMES, "", "1", "家庭住房上限"),
    (K.EP_MULTIPLE, "", "1.3", "特困基本生活标准为低保标准的倍数"),
    (K.EP_CARE, "full", "100", "全自理照料护理标准"),
    (K.EP_CARE, "partial", "300", "半护理照料护理标准"),
    (K.EP_CARE, "none", "600", "全护理照料护理标准"),
    (K.DISABILITY_LIVING, "", "90", "困难残疾人生活补贴"),
    (K.DISABILITY_CARE, "1", "120", "一级重度残疾人护理补贴"),
    (K.DISABILITY_CARE, "2", "100", "二级重度残疾人护理补贴"),
    (K.DISABILITY_CARE, "3:intellectual", "80", "三级智力残疾护理补贴"),
    (K.DISABILITY_CARE, "3:mental", "80", "三级精神残疾护理补贴"),
    (K.TEMP_TOWNSHIP_LIMIT, "", "3000", "乡镇审批临时救助上限"),
    (K.NOTICE_DAYS, "", "7", "公示天数"),
    (K.DECISION_DAYS, "normal", "30", "审核确认时限（工作日）"),
    (K.DECISION_DAYS, "special", "45", "特殊情况审核确认时限（工作日）"),
    (K.SPOT_CHECK_SHARE, "", "10", "县级抽查乡镇审批案件比例"),
    (K.TEMP_MONTHS, "emergency", "3", "急难型临时救助：最多为低保标准的月数"),
    (K.TEMP_MONTHS, "expense", "6", "支出型临时救助：最多为低保标准的月数"),
    (K.TEMP_CAP, "emergency", "5000", "急难型临时救助单次上限"),
    (K.TEMP_CAP, "expense", "10000", "支出型临时救助单次上限"),
    (K.TEMP_YEARLY_LIMIT, "", "12000", "每户每年临时救助上限"),
    (K.GRADUAL_EXIT_MONTHS, "", "3", "渐退期月数"),
    (K.REVIEW_MONTHS, "A", "12", "A类家庭每年复核"),
    (K.REVIEW_MONTHS, "B", "6", "B类家庭每半年复核"),
    (K.REVIEW_MONTHS, "C", "3", "C类家庭每季度复核"),
    (K.INCOME_REFERENCE_MONTHS, "", "12", "收入核算期（月）"),
    (K.WORK_COST_DEDUCTION, "", "100", "就业成本扣减（每名就业成员每月）"),
    (K.ASSET_FINANCIAL_MULTIPLE, "", "2", "人均金融资产上限为年低保标准的倍数"),
    (K.ASSET_HOME_AREA, "", "40", "人均住房面积上限"),
    (K.DIBAO_EDGE_MULTIPLE, "", "1.5", "低保边缘家庭：低于低保标准的倍数"),
    (K.CATEGORY_AGE, "elderly", "60", "老年人年龄"),
    (K.CATEGORY_AGE, "child", "16", "未成年人（分类施保）年龄"),
    (K.CATEGORY_EXTRA, "elderly", "10", "分类施保：老年人加发"),
    (K.CATEGORY_EXTRA, "severe_disability", "20", "分类施保：重度残疾人加发"),
    (K.CATEGORY_EXTRA, "serious_illness", "15", "分类施保：重病患者加发"),
    (K.EP_ELDERLY_AGE, "", "60", "特困：年满60周岁"),
    (K.EP_CHILD_AGE, "", "16", "特困：未满16周岁"),
    (K.EP_SCHOOL_AGE, "", "18", "特困：在校未满18周岁"),
    *(
        (K.EP_DISABILITY, v, "1", "特困：无劳动能力的残疾类别等级")
        for v in (
            "intellectual:1",
            "intellectual:2",
            "intellectual:3",
            "mental:1",
            "mental:2",
            "mental:3",
            "physical:1",
            "physical:2",
            "sight:1",
        )
    ),
    *(
        (K.INCOME_NOT_COUNTED, kind, "1", "不计入家庭收入")
        for kind in (
            "youfu",
            "awards",
            "assistance",
            "disability_subsidy",
            "old_age_allowance",
            "rural_basic_pension",
        )
    ),
]


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _member(
    relationship: str, name: str, born: datetime.date, seq: int, **values: Any
) -> dict[str, Any]:
    return {
        "id_number": make_id_number("430922", born, seq),
        "name": name,
        "relationship": relationship,
        **values,
    }


def _one_off_funds(areas: dict[str, Area], today: datetime.date) -> None:
    """Money in the special account for the one-off programs (finance's allocation) and each
    township's reserve fund for temporary assistance of the year."""
    from civil_affairs.payments.services import fund_balances, ledger_allocate

    from .rules import ONE_OFF_LABELS

    finance = _user("finance")
    balances = fund_balances(areas["430922"])
    for program in ONE_OFF_LABELS:
        if not balances.get(program):
            ledger_allocate(
                actor=finance,
                program=program,
                amount=Decimal("200000"),
                reference="桃财社〔2026〕8号",
                area=areas["430922"],
            )
    for code in ("430922100", "430922101"):
        services.reserve_fund_set(
            actor=finance,
            township=areas[code],
            year=today.year,
            amount=Decimal("20000"),
            reference="桃民发〔2026〕3号",
        )


def load(areas: dict[str, Area]) -> None:
    if Household.objects.filter(address__endswith=DEMO_MARK).exists():
        return
    admin = _user("admin")
    if not Standard.objects.filter(area=areas["430922"]).exists():
        for kind, variant, value, note in STANDARDS:
            standard_services.standard_create(
                actor=admin,
                kind=kind,
                variant=variant,
                area=areas["430922"],
                valid_from=SINCE,
                value=Decimal(value),
                note=note,
                apply=False,
            )
    worker_a, worker_b = _user("caseworker_a"), _user("caseworker_b")
    reviewer_a, reviewer_b, approver = (
        _user("reviewer_a"),
        _user("reviewer_b"),
        _user("approver"),
    )
    federation = _user("federation")
    today = timezone.localdate()
    applied = today - datetime.timedelta(days=30)
    _one_off_funds(areas, today)

    def household(
        actor: Any, code: str, address: str, *members: dict[str, Any], **kw: Any
    ) -> Household:
        return services.household_create(
            actor=actor,
            area=areas[code],
            registered_type=kw.get("registered_type", "rural"),
            category=kw.get("category", "A"),
            address=address + DEMO_MARK,
            members=list(members),
        )

    def case(actor: Any, h: Household, person_index: int = 0, **kw: Any) -> Application:
        person = list(h.members.order_by("id"))[person_index].person
        return services.application_create(
            actor=actor,
            household=h,
            person_id=person.pk,
            program=kw.pop("program", "dibao"),
            applied_on=applied,
            **kw,
        )

    def walk(a: Application, worker: Any, reviewer: Any, until: str) -> Application:
        """Along the case's path (services.path), in the national rules' order."""
        status = Application.Status
        moves: dict[str, Callable[[], object]] = {
            status.ACCEPTED: lambda: services.application_accept(
                actor=worker, application=a, finance_check_authorised=True
            ),
            status.VISITED: lambda: services.application_record_visit(
                actor=worker,
                application=a,
                visited_on=applied + datetime.timedelta(days=3),
                visitors="村干部、民政专干",
                findings="家庭收入和财产情况与申报一致。",
            ),
            status.CROSSCHECK_REQUESTED: lambda: services.application_request_crosscheck(
                actor=worker, application=a
            ),
            status.CROSSCHECK_CLEARED: lambda: services.application_clear_crosscheck(
                actor=worker, application=a, result="未发现车辆、房产、工商登记和财政供养记录。"
            ),
            status.SUBMITTED: lambda: services.application_submit(actor=worker, application=a),
            status.REVIEWED: lambda: services.application_review(
                actor=reviewer, application=a, opinion="经初审，同意公示。"
            ),
            status.IN_NOTICE: lambda: services.application_start_notice(
                actor=worker, application=a, start=applied + datetime.timedelta(days=8)
            ),
            status.NOTICE_ENDED: lambda: services.application_close_notice(
                actor=worker, application=a
            ),
            status.GRADE_CONFIRMED: lambda: services.application_confirm_grade(
                actor=federation, application=a, grade=2, disability_type="physical"
            ),
            status.APPROVED: lambda: services.application_approve(
                actor=approver, application=a, note="同意"
            ),
        }
        path = services.path(a)
        while a.status != until and a.status in path[:-1]:
            moves[path[path.index(a.status) + 1]]()
            a.refresh_from_db()
        return a

    # township A: the example, in payment (3 members, 900 a month, standard 760)
    zhou = household(
        worker_a,
        "430922100201",
        "花果山村一组8号",
        _member("head", "周建国", datetime.date(1958, 3, 14), 13, income_farming="600"),
        _member("spouse", "周李氏", datetime.date(1960, 7, 2), 24, income_transfer="300"),
        _member("grandchild", "周小宝", datetime.date(2014, 9, 1), 31, health="chronic"),
    )
    walk(case(worker_a, zhou), worker_a, reviewer_a, Application.Status.IN_PAYMENT)
    # an extreme-poverty elder, centralised in the care home
    hu = household(
        worker_a,
        "430922100201",
        "县敬老院",
        _member("head", "胡老汉", datetime.date(1941, 2, 2), 51, work_capacity="none"),
    )
    services.self_care_assess(  # needs help to bathe and to dress: partial self-care
        actor=worker_a,
        member=hu.members.get(),
        assessed_on=applied,
        eating=True,
        dressing=False,
        transfer=True,
        toilet=True,
        walking=True,
        bathing=False,
    )
    walk(
        case(worker_a, hu, program="extreme_poverty", support_mode="centralised"),
        worker_a,
        reviewer_a,
        Application.Status.IN_PAYMENT,
    )
    services.entitlement_set_payee(
        actor=worker_a,
        entitlement=Entitlement.objects.get(person=hu.members.get().person),
        payee_name="桃江县社会福利院",
        payee_bank_name="湖南农商银行",
        payee_account="6230013099990001",
    )
    # an extreme-poverty elder at home, cared for by her nephew under a care agreement: the
    # care amount is paid to him, the rest to her
    luo = household(
        worker_a,
        "430922100201",
        "花果山村四组2号",
        _member("head", "罗桂英", datetime.date(1944, 4, 12), 92, work_capacity="none"),
    )
    services.self_care_assess(  # cannot bathe, dress or walk alone: partial self-care
        actor=worker_a,
        member=luo.members.get(),
        assessed_on=applied,
        eating=True,
        dressing=False,
        transfer=True,
        toilet=True,
        walking=False,
        bathing=False,
    )
    walk(
        case(worker_a, luo, program="extreme_poverty", support_mode="dispersed"),
        worker_a,
        reviewer_a,
        Application.Status.IN_PAYMENT,
    )
    nephew = person_create(
        actor=worker_a,
        id_number=make_id_number("430922", datetime.date(1972, 8, 3), 94),
        name="罗建军",
        area=areas["430922100201"],
        address="花果山村四组5号",
        bank_name="湖南农商银行",
        bank_account="6230013099990002",
    )
    care = Entitlement.objects.get(person=luo.members.get().person)
    services.entitlement_set_payee(
        actor=worker_a,
        entitlement=care,
        caregiver_id=nephew.pk,
        caregiver_from=care.start_month,
    )
    # a case at the township review, one in public notice, one just registered
    wu = household(
        worker_a,
        "430922100001",
        "桃花江社区5栋2单元",
        _member("head", "吴小红", datetime.date(1990, 11, 20), 42, income_wages="700"),
        _member("child", "吴乐乐", datetime.date(2016, 4, 8), 62),
        registered_type="urban",
        category="C",
    )
    walk(case(worker_a, wu), worker_a, reviewer_a, Application.Status.SUBMITTED)
    disabled = _member("head", "钱进", datetime.date(1975, 6, 6), 71, work_capacity="partial")
    disabled["disability_certificate"] = disabled["id_number"] + "42"
    qian = household(worker_a, "430922100001", "桃花江社区2栋", disabled, category="B")
    walk(
        case(worker_a, qian, program="disability_care"),
        worker_a,
        reviewer_a,
        Application.Status.GRADE_CONFIRMED,
    )
    # township B: a dibao household whose review is overdue, and urgent temporary assistance
    zheng = household(
        worker_b,
        "430922101201",
        "石牛江村三组",
        _member("head", "郑大山", datetime.date(1949, 1, 5), 71, income_transfer="200"),
        _member("spouse", "郑王氏", datetime.date(1952, 8, 8), 84),
        category="C",
    )
    walk(case(worker_b, zheng), worker_b, reviewer_b, Application.Status.IN_PAYMENT)
    Review.objects.filter(household=zheng).update(due_date=today - datetime.timedelta(days=5))
    services.review_mark_overdue(today=today)
    sun = household(
        worker_b,
        "430922101001",
        "灰山港社区12号",
        _member("head", "孙丽", datetime.date(1985, 5, 30), 82, income_wages="1500"),
        registered_type="urban",
    )
    urgent = case(
        worker_b,
        sun,
        program="temporary",
        assistance_kind="emergency",
        requested_amount=Decimal("2000"),
        urgent=True,
        statement="住房失火，急需生活救助。",
    )
    services.application_pay_first(actor=reviewer_b, application=urgent, note="先行救助")
    # homeless relief and medical aid
    zone = services.patrol_zone_create(
        actor=worker_a, area=areas["430922100"], name="桃花江镇汽车站及周边", description="每日巡查"
    )
    homeless = services.homeless_intake(
        actor=worker_a,
        area=areas["430922100"],
        name="无名男子（约60岁）",
        found_on=today - datetime.timedelta(days=2),
        found_place="汽车站候车厅",
        zone=zone,
    )
    services.homeless_give_service(
        actor=worker_a,
        case=homeless,
        kind="food",
        given_on=today - datetime.timedelta(days=2),
        cost="30",
    )
    services.homeless_give_service(
        actor=worker_a,
        case=homeless,
        kind="lodging",
        given_on=today - datetime.timedelta(days=2),
        cost="50",
    )
    head = zhou.members.get(relationship="head").person
    services.medical_aid_record(
        actor=worker_a,
        person=head,
        hospital="桃江县人民医院",
        treated_on=today,
        total_cost="5200",
        insurance_paid="3600",
        aid_amount="800",
    )
    # a low-income edge household (an old woman living alone just above the standard),
    # watched by the monitoring since the summer
    he = household(
        worker_a,
        "430922100201",
        "花果山村二组3号",
        _member("head", "何秀英", datetime.date(1943, 10, 9), 93, income_transfer="900"),
    )
    services.monitoring_register(
        actor=worker_a,
        household=he,
        kind="edge",
        note="收入略高于低保标准，独居高龄",
        registered_on=today - datetime.timedelta(days=120),
    )
