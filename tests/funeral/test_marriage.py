"""Marriage registration: refusals with their reasons, divorce by agreement and its windows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civil_affairs.core.models import StatusChange
from funeral import services
from funeral.models import DivorceApplication, Marriage, MarriageRefusal
from funeral.services.marriage import MarriageRefusedError

from .conftest import man, woman

pytestmark = pytest.mark.django_db
D = datetime.date


def register(actor: Any, area: Any, a: str, b: str, on: D, cert: str = "", **kw: Any) -> Marriage:
    return services.marriage_register(
        actor=actor,
        area=area,
        registered_on=on,
        party_a_id_number=a,
        party_a_name=kw.pop("a_name", "张三"),
        party_b_id_number=b,
        party_b_name=kw.pop("b_name", "李四"),
        certificate_no=cert or f"J{a[-6:]}{b[-6:]}",
        **kw,
    )


def test_a_man_one_day_short_of_22_is_refused_and_at_22_accepted(areas, officers, rules):
    groom, bride = man(D(2004, 6, 15)), woman(D(2000, 1, 1))
    with pytest.raises(MarriageRefusedError) as refused:
        register(officers.registrar, areas.county, groom, bride, D(2026, 6, 14))
    assert refused.value.reasons == [
        "张三 (a man) is 21 years and 364 days old on 2026-06-14: a man may marry from the age "
        "of 22."
    ]
    assert Marriage.objects.count() == 0

    marriage = register(officers.registrar, areas.county, groom, bride, D(2026, 6, 15))
    assert marriage.status == Marriage.Status.MARRIED
    assert Marriage.objects.get().party_a_id_number == groom


def test_a_leap_day_birthday_reaches_22_on_28_february(areas, officers, rules):
    groom, bride = man(D(2004, 2, 29)), woman(D(2001, 3, 3))
    with pytest.raises(MarriageRefusedError) as refused:
        register(officers.registrar, areas.county, groom, bride, D(2026, 2, 27))
    assert "21 years and 364 days" in refused.value.reasons[0]
    assert register(officers.registrar, areas.county, groom, bride, D(2026, 2, 28)).pk


def test_a_woman_under_20_is_refused(areas, officers, rules):
    groom, bride = man(D(1990, 1, 1)), woman(D(2006, 12, 1))
    with pytest.raises(MarriageRefusedError) as refused:
        register(officers.registrar, areas.county, groom, bride, D(2026, 11, 30))
    assert list(refused.value.message_dict) == ["party_b_id_number"]
    assert "a woman may marry from the age of 20" in refused.value.reasons[0]


def test_a_second_marriage_of_a_married_person_is_refused(areas, officers, rules):
    groom, bride, other = man(D(1990, 1, 1)), woman(D(1992, 1, 1)), woman(D(1993, 1, 1))
    first = register(officers.registrar, areas.county, groom, bride, D(2025, 5, 1))
    with pytest.raises(MarriageRefusedError) as refused:
        register(officers.registrar, areas.county, groom, other, D(2026, 5, 1))
    assert refused.value.message_dict["party_a_id_number"] == [
        "张三 is already married (registered on 2025-05-01)."
    ]
    assert Marriage.objects.count() == 1
    assert first.status == Marriage.Status.MARRIED


def test_the_same_person_twice_and_recorded_relatives_are_refused(areas, officers, rules):
    groom, bride = man(D(1990, 1, 1)), woman(D(1992, 1, 1))
    with pytest.raises(MarriageRefusedError) as refused:
        register(officers.registrar, areas.county, groom, groom, D(2026, 5, 1))
    assert refused.value.reasons == ["The two parties are the same person."]
    services.kinship_record(
        actor=officers.registrar,
        area=areas.county,
        id_number_a=bride,
        id_number_b=groom,
        degree="collateral",
        evidence="户籍证明：表兄妹",
    )
    with pytest.raises(MarriageRefusedError) as refused:
        register(officers.registrar, areas.county, groom, bride, D(2026, 5, 1))
    assert refused.value.reasons == [
        "The parties are recorded as collateral relatives within three generations: the law "
        "forbids their marriage."
    ]


def test_both_must_be_present_and_the_refusal_is_recorded_with_its_reasons(areas, officers, rules):
    groom, bride = man(D(2005, 1, 1)), woman(D(1992, 1, 1))
    refusal = services.marriage_refuse(
        actor=officers.registrar,
        area=areas.county,
        refused_on=D(2026, 5, 1),
        party_a_id_number=groom,
        party_a_name="王五",
        party_b_id_number=bride,
        party_b_name="赵六",
        both_present=False,
    )
    assert refusal.reasons.splitlines() == [
        "Both parties must come to the registry in person.",
        "王五 (a man) is 21 years and 120 days old on 2026-05-01: a man may marry from the age "
        "of 22.",
    ]
    assert MarriageRefusal.objects.count() == 1


def test_a_bad_id_number_is_a_field_error_not_a_refusal(areas, officers, rules):
    with pytest.raises(ValidationError) as bad:
        register(
            officers.registrar,
            areas.county,
            "11010519491231002",
            woman(D(1990, 1, 1)),
            D(2026, 5, 1),
        )
    assert not isinstance(bad.value, MarriageRefusedError)
    assert "party_a_id_number" in bad.value.message_dict


def test_only_the_registrar_registers(areas, officers, rules):
    groom, bride = man(D(1990, 1, 1)), woman(D(1992, 1, 1))
    for other in (officers.funeral, officers.admin):
        with pytest.raises(PermissionDenied):
            register(other, areas.county, groom, bride, D(2026, 5, 1))
    with pytest.raises(ValidationError) as outside:  # a township's clerk: not their area
        register(officers.clerk_a, areas.county, groom, bride, D(2026, 5, 1))
    assert outside.value.message_dict == {"area": ["This area is not one of yours."]}
    assert Marriage.objects.count() == 0


@pytest.fixture
def marriage(areas, officers, rules) -> Marriage:
    return register(
        officers.registrar, areas.county, man(D(1990, 1, 1)), woman(D(1992, 1, 1)), D(2020, 5, 1)
    )


def test_divorce_by_agreement_cooling_off_then_certificate(officers, marriage):
    application = services.divorce_apply(
        actor=officers.registrar, marriage=marriage, applied_on=D(2026, 3, 1)
    )
    assert application.cooling_off_ends == D(2026, 3, 31)
    assert application.certificate_by == D(2026, 4, 30)
    with pytest.raises(ValidationError) as early:
        services.divorce_certify(
            actor=officers.registrar,
            application=application,
            on=D(2026, 3, 31),
            certificate_no="L1",
        )
    assert "cooling-off period lasts until 2026-03-31" in early.value.message_dict["on"][0]
    services.divorce_certify(
        actor=officers.registrar, application=application, on=D(2026, 4, 1), certificate_no="L1"
    )
    marriage.refresh_from_db()
    application.refresh_from_db()
    assert (marriage.status, marriage.ended_on) == (Marriage.Status.DIVORCED, D(2026, 4, 1))
    assert application.status == DivorceApplication.Status.CERTIFIED
    # divorced, each may marry again
    assert register(
        officers.registrar,
        marriage.area,
        marriage.party_a_id_number,
        woman(D(1995, 1, 1)),
        D(2026, 5, 1),
    ).pk


def test_one_withdrawn_in_the_cooling_off_cannot_be_certified(officers, marriage):
    application = services.divorce_apply(
        actor=officers.registrar, marriage=marriage, applied_on=D(2026, 3, 1)
    )
    services.divorce_withdraw(
        actor=officers.registrar,
        application=application,
        party_id_number=marriage.party_b_id_number,
        on=D(2026, 3, 20),
    )
    application.refresh_from_db()
    assert (application.status, application.withdrawn_by) == ("withdrawn", "李四")
    with pytest.raises(ValidationError) as refused:
        services.divorce_certify(
            actor=officers.registrar, application=application, on=D(2026, 4, 5), certificate_no="L2"
        )
    assert refused.value.messages == [
        "This application was withdrawn on 2026-03-20 by 李四: it cannot go on."
    ]
    marriage.refresh_from_db()
    assert marriage.status == Marriage.Status.MARRIED


def test_withdrawing_after_the_cooling_off_is_refused(officers, marriage):
    application = services.divorce_apply(
        actor=officers.registrar, marriage=marriage, applied_on=D(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as late:
        services.divorce_withdraw(
            actor=officers.registrar,
            application=application,
            party_id_number=marriage.party_a_id_number,
            on=D(2026, 4, 1),
        )
    assert "ended on 2026-03-31" in late.value.message_dict["on"][0]


def test_the_daily_job_deems_an_uncompleted_application_withdrawn(officers, marriage, rules):
    application = services.divorce_apply(
        actor=officers.registrar, marriage=marriage, applied_on=D(2026, 3, 1)
    )
    assert services.divorces_expire(today=D(2026, 4, 30)) == 0  # the window's last day
    from funeral.tasks import expire_divorce_applications

    assert services.divorces_expire(today=D(2026, 5, 1)) == 1
    assert expire_divorce_applications() == 0  # run again (today): nothing more to do
    application.refresh_from_db()
    assert application.status == DivorceApplication.Status.DEEMED_WITHDRAWN
    assert StatusChange.objects.filter(object_id=application.pk, new_status="deemed_withdrawn")
    with pytest.raises(ValidationError) as late:
        services.divorce_certify(
            actor=officers.registrar, application=application, on=D(2026, 5, 2), certificate_no="L3"
        )
    assert "deemed withdrawn" in late.value.messages[0]
    marriage.refresh_from_db()
    assert marriage.status == Marriage.Status.MARRIED
    # a new application may follow
    assert (
        services.divorce_apply(
            actor=officers.registrar, marriage=marriage, applied_on=D(2026, 5, 2)
        ).status
        == DivorceApplication.Status.PENDING
    )


def test_the_daily_job_is_scheduled():
    """The migration's beat entry (run again here: a transactional test empties the tables)."""
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    importlib.import_module("funeral.migrations.0002_beat_expire_divorces").create(apps, None)
    task = PeriodicTask.objects.get(task="funeral.expire_divorce_applications")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("1", "10")


def test_replacement_certificates(officers, marriage):
    copy = services.certificate_replace(
        actor=officers.registrar,
        marriage=marriage,
        kind="marriage",
        party_id_number=marriage.party_a_id_number,
        issued_on=D(2026, 1, 5),
        certificate_no="J-R-1",
        reason="遗失",
    )
    assert copy.marriage == marriage
    with pytest.raises(ValidationError) as bad:
        services.certificate_replace(
            actor=officers.registrar,
            marriage=marriage,
            kind="divorce",
            party_id_number=marriage.party_a_id_number,
            issued_on=D(2026, 1, 5),
            certificate_no="L-R-1",
            reason="遗失",
        )
    assert bad.value.message_dict == {"kind": ["This marriage has not ended in divorce."]}


def test_agencies_and_their_inspections(areas, officers):
    with pytest.raises(ValidationError) as bad:
        services.agency_create(
            actor=officers.registrar,
            area=areas.a,
            name="甲镇婚介所",
            credit_code="91350100M000100Y4",
        )
    assert "credit_code" in bad.value.message_dict
    agency = services.agency_create(
        actor=officers.registrar, area=areas.a, name="甲镇婚介所", credit_code="91350100M000100Y43"
    )
    with pytest.raises(ValidationError) as no_date:
        services.agency_inspect(
            actor=officers.registrar,
            agency=agency,
            inspected_on=D(2026, 5, 1),
            result="rectify",
            findings="未公示收费标准",
        )
    assert "rectify_by" in no_date.value.message_dict
    services.agency_inspect(
        actor=officers.registrar,
        agency=agency,
        inspected_on=D(2026, 5, 1),
        result="closed",
        findings="虚假宣传",
    )
    agency.refresh_from_db()
    assert agency.status == "closed"
