"""Place names: the registry, naming and renaming, corrections, entries, boundaries; and the
report's figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civil_affairs.dashboard import figures
from funeral import services
from funeral.models import NamingDecision, PlaceName
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_place_name_is_checked_field_by_field(areas, officers):
    with pytest.raises(ValidationError) as bad:
        services.place_name_create(
            actor=officers.placenames,
            area=areas.a,
            name="",
            pinyin="Qīng河路2",
            kind="road",
            longitude="200",
            latitude="28.1",
        )
    assert set(bad.value.message_dict) == {"name", "pinyin", "longitude"}
    road = services.place_name_create(
        actor=officers.placenames,
        area=areas.a,
        name="清河路",
        pinyin="Qīnghé Lù",
        kind="road",
        longitude="112.123456",
        latitude="28.1",
    )
    assert (road.longitude, road.latitude) == (Decimal("112.123456"), Decimal("28.100000"))
    with pytest.raises(ValidationError) as twice:
        services.place_name_create(
            actor=officers.placenames, area=areas.a, name="清河路", pinyin="Qinghe Lu", kind="road"
        )
    assert list(twice.value.message_dict) == ["name"]
    with pytest.raises(PermissionDenied):
        services.place_name_create(
            actor=officers.clerk_a, area=areas.a, name="新路", pinyin="Xin Lu", kind="road"
        )


def test_naming_and_renaming_write_the_registry_with_the_notice_date(areas, officers):
    proposal = services.naming_propose(
        actor=officers.placenames,
        area=areas.a,
        kind="naming",
        place_kind="road",
        new_name="振兴大道",
        new_pinyin="Zhènxīng Dàdào",
        procedure="approval",
        reason="新建道路",
    )
    assert not PlaceName.objects.exists()
    with pytest.raises(ValidationError) as no_notice:
        services.naming_decide(
            actor=officers.placenames,
            decision=proposal,
            approve=True,
            decided_on=D(2026, 5, 1),
            document_no="县政函〔2026〕12号",
        )
    assert no_notice.value.message_dict == {"notice_on": ["Give the date of the public notice."]}
    decided = services.naming_decide(
        actor=officers.placenames,
        decision=proposal,
        approve=True,
        decided_on=D(2026, 5, 1),
        document_no="县政函〔2026〕12号",
        notice_on=D(2026, 5, 8),
    )
    assert decided.status == NamingDecision.Status.DONE
    road = PlaceName.objects.get()
    assert (road.name, road.status, decided.place) == ("振兴大道", "standard", road)

    renaming = services.naming_propose(
        actor=officers.placenames,
        area=areas.a,
        kind="renaming",
        place=road,
        new_name="复兴大道",
        new_pinyin="Fùxīng Dàdào",
        procedure="filing",
    )
    services.naming_decide(
        actor=officers.placenames,
        decision=renaming,
        approve=True,
        decided_on=D(2026, 6, 1),
        document_no="备案〔2026〕3号",
        notice_on=D(2026, 6, 2),
    )
    road.refresh_from_db()
    assert road.name == "复兴大道"
    assert [h.name for h in road.history.order_by("history_date")] == ["振兴大道", "复兴大道"]


def test_figures_count_corrections_entries_inspections_and_cremations(areas, officers):
    year = figures.Period.year(2026)
    assert (
        figures.get("funeral.place_names_corrected").compute(
            user=officers.placenames, area=areas.county, period=year
        )
        is None
    )  # nothing in the portal yet
    task = services.correction_open(
        actor=officers.placenames, area=areas.a, found_on=D(2026, 2, 1), problem="拼音错误"
    )
    services.correction_open(
        actor=officers.placenames, area=areas.b, found_on=D(2026, 2, 1), problem="坐标偏移"
    )
    services.correction_close(
        actor=officers.placenames, task=task, corrected_on=D(2026, 3, 1), correction="已更正"
    )
    services.entry_change_record(
        actor=officers.placenames,
        area=areas.a,
        change="added",
        entry_name="新华社区",
        entry_code="430922100299",
        effective_on=D(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as bad_code:
        services.entry_change_record(
            actor=officers.placenames,
            area=areas.a,
            change="added",
            entry_name="错码村",
            entry_code="430922101299",
            effective_on=D(2026, 4, 1),
        )
    assert bad_code.value.message_dict == {
        "entry_code": ["The code must start with the township's code 430922100."]
    }
    line = services.boundary_create(
        actor=officers.placenames,
        area=areas.county,
        name="甲乙线",
        parties="甲镇—乙镇",
        length_km="12.5",
    )
    for number in ("1", "2", "3"):
        services.marker_add(actor=officers.placenames, boundary=line, number=number)
    with pytest.raises(ValidationError) as too_many:
        services.boundary_inspect(
            actor=officers.placenames,
            boundary=line,
            inspected_on=D(2026, 5, 1),
            parties="甲镇、乙镇",
            markers_checked=4,
        )
    assert too_many.value.message_dict == {
        "markers_checked": ["The boundary has 3 markers on file."]
    }
    for day in (D(2026, 5, 1), D(2026, 10, 1)):
        services.boundary_inspect(
            actor=officers.placenames,
            boundary=line,
            inspected_on=day,
            parties="甲镇、乙镇",
            markers_checked=3,
            disputes="",
        )
    services.death_record(
        actor=officers.funeral,
        area=areas.village_a,
        id_number=PersonFactory(area=areas.village_a).id_number,
        name="某",
        died_on=D(2026, 3, 1),
        handled_on=D(2026, 3, 3),
    )

    def value(key: str, user, area, period=year):
        return figures.get(key).compute(user=user, area=area, period=period)

    assert value("funeral.place_names_corrected", officers.placenames, areas.county) == 1
    assert value("funeral.place_names_corrected", officers.placenames, areas.b) == 0
    assert value("funeral.place_names_corrected", officers.clerk_a, areas.county) == 1
    assert value("funeral.entries_changed", officers.placenames, areas.county) == 1
    assert (
        value(
            "funeral.entries_changed", officers.placenames, areas.a, figures.Period.month(2026, 3)
        )
        == 0
    )
    assert value("funeral.boundaries_inspected", officers.placenames, areas.county) == 1
    assert value("funeral.cremations", officers.funeral, areas.county) == 1
    assert value("funeral.cremations", officers.funeral, areas.b) is None
    url = figures.get("funeral.cremations").records_url(areas.a, year)
    assert url == "/funeral/deaths/?area=430922100&from=2026-01-01&to=2026-12-31"
