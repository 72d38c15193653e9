"""The two pagers every list includes keep the page's filters in their links."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_counted_pager_keeps_filters_and_replaces_the_page() -> None:
    request = RequestFactory().get("/", {"status": "open", "q": "张 三", "page": "2"})
    page = Paginator(range(120), 50).get_page(2)
    html = render_to_string("_pager.html", {"page": page}, request=request)
    assert 'href="?status=open&amp;q=%E5%BC%A0+%E4%B8%89&amp;page=1"' in html
    assert 'href="?status=open&amp;q=%E5%BC%A0+%E4%B8%89&amp;page=3"' in html
    assert "2 / 3" in html


def test_counted_pager_is_absent_for_one_page() -> None:
    request = RequestFactory().get("/", {"q": "x"})
    page = Paginator(range(3), 50).get_page(1)
    assert "pagination" not in render_to_string("_pager.html", {"page": page}, request=request)


def test_uncounted_pager_keeps_filters() -> None:
    request = RequestFactory().get("/", {"program": "dibao", "page": "3"})
    context = {"page_number": 3, "has_next": True}
    html = render_to_string("_next_pager.html", context, request=request)
    assert 'href="?program=dibao&amp;page=2"' in html
    assert 'href="?program=dibao&amp;page=4" id="next-page"' in html
    last = render_to_string(
        "_next_pager.html", {"page_number": 1, "has_next": False}, request=request
    )
    assert "next-page" not in last
    assert "page=0" not in last
