"""Name-prefix search (civil_affairs/core/search.py): the range of the name index's operators
finds exactly what str.startswith finds, in the index's order, for any prefix."""

import pytest

from civil_affairs.people.selectors import person_search
from relief.selectors import SEARCH_LIMIT as SEARCH
from relief.selectors import case_search
from tests.factories import PersonFactory
from tests.relief.conftest import make_household, member

pytestmark = pytest.mark.django_db

NAMES = [
    "王",
    "王大",
    "王大明",
    "王二",
    "汪大",
    "玉",
    "王%",
    "%王",
    "a_b",
    "ab",
    "a",
    "A",
    "퟿甲",  # U+D7FF: the next code point is a surrogate, skipped
    "\ue000乙",  # U+E000: the first character after the surrogates
    "\U0010ffff丙",  # the last code point: no successor, LIKE instead
]
PREFIXES = ["王", "王大", "王%", "%", "a", "a_", "A", "퟿", "\ue000", "\U0010ffff", "无"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_people_search_finds_what_starts_with_the_prefix_in_code_point_order(staff, areas, prefix):
    for name in NAMES:
        PersonFactory(area=areas.village_a, name=name)
    PersonFactory(area=areas.village_b, name=prefix + "乙镇")  # outside the user's areas
    found = [p.name for p in person_search(user=staff.caseworker_a, query=prefix)]
    assert found == sorted(n for n in NAMES if n.startswith(prefix))


def test_case_search_pages_through_a_common_surname_in_order(staff, areas, standards):
    names = [f"王{i:02d}" for i in range(7)] + ["汪甲", "玉乙"]
    for name in names:
        make_household(staff.caseworker_a, areas.village_a, member("head", name=name))
    pages = [
        [m.person.name for m in case_search(user=staff.caseworker_a, query="王", limit=3, offset=o)]
        for o in (0, 3, 6)
    ]
    # each page holds its rows and one more (which says a next page exists)
    assert pages == [["王00", "王01", "王02", "王03"], ["王03", "王04", "王05", "王06"], ["王06"]]


def test_entitlement_list_pages_without_counting_and_keeps_its_filters(staff, areas):
    from django.urls import reverse

    from tests.conftest import login
    from tests.payments.factories import entitle

    people = [PersonFactory(area=areas.village_a, name=f"领取人{i}") for i in range(SEARCH + 2)]
    for person in people:
        entitle(person, "dibao")
    entitle(PersonFactory(area=areas.village_a, name="特困者"), "tekun")
    client = login(staff.reviewer_a)
    url = reverse("relief:entitlement_list")
    first = client.get(url, {"program": "dibao"}).content.decode()
    # newest first, a page of SEARCH_LIMIT rows, a link to the next page with the filter
    assert first.count("<td>领取人") == SEARCH
    assert f"<td>领取人{SEARCH + 1}<" in first
    assert "<td>领取人1<" not in first
    assert "特困者" not in first
    assert 'href="?program=dibao&amp;page=2" id="next-page"' in first
    second = client.get(url, {"program": "dibao", "page": "2"}).content.decode()
    assert second.count("<td>领取人") == 2
    assert "<td>领取人0<" in second
    assert "<td>领取人1<" in second
    assert 'id="next-page"' not in second
    # a page number past any list, or beyond the database's integers, is an empty page
    for page in ("9" * 30, "-3", "x"):
        assert client.get(url, {"page": page}).status_code == 200
