"""Pages, exports and access without payment data: every domain page, xlsx of every table,
PNG of a chart, the refresh with its progress, targets against figures, who may see what."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import TestCase

from civil_affairs.dashboard import figures, selectors, services
from civil_affairs.dashboard.figures import Period
from civil_affairs.dashboard.models import SummaryRefresh, Target
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_every_page_answers_and_says_no_data(staff, areas):
    client = login(staff.approver)
    for path in ("/dashboard/", *(f"/dashboard/{app}/" for app in selectors.DOMAINS)):
        response = client.get(path + "?period=2026")
        assert response.status_code == 200, path
    html = client.get("/dashboard/").content.decode()
    assert "本系统暂无数据" in html  # never refreshed: the money figures have no number
    assert "资金数据尚未计算" in html


def test_exports_xlsx_and_png(staff, areas):
    from openpyxl import load_workbook

    client = login(staff.approver)
    query = f"?area={areas.county.pk}&period=2026"
    for name in ("figures", "areas", "queues"):
        response = client.get(f"/dashboard/export/{name}.xlsx{query}")
        assert response.status_code == 200, name
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 2, name
    areas_sheet = load_workbook(
        io.BytesIO(client.get(f"/dashboard/export/areas.xlsx{query}").content)
    ).active
    names = [row[0] for row in areas_sheet.iter_rows(min_row=2, values_only=True)]
    assert areas.a.name in names
    assert areas.b.name in names
    assert "合计" in names
    png = client.get(f"/dashboard/chart.png{query}&figure=relief.assistance_funds&download=1")
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "attachment" in png["Content-Disposition"]
    assert client.get(f"/dashboard/chart.png{query}&figure=nope").status_code == 404


def test_refresh_on_demand_with_progress(staff, areas):
    from civil_affairs.celery import app

    client = login(staff.finance)
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post("/dashboard/refresh/")
    finally:
        app.conf.task_always_eager = old
    assert response.status_code == 302
    run = SummaryRefresh.objects.get()
    assert (run.status, run.trigger, run.requested_by) == ("done", "on_demand", staff.finance)
    progress = client.get("/dashboard/refresh/progress/").content.decode()
    assert "100%" in progress
    assert login(staff.reviewer_a).post("/dashboard/refresh/").status_code == 403


def test_figure_against_target(staff, areas):
    figures.register(
        figures.Figure(
            key="social_orgs.test_coverage",
            label="社工站覆盖率（测试）",
            definition="测试",
            unit=figures.Unit.PERCENT,
            compute=lambda *, user, area, period: Decimal("25.0"),
            section="四",
        )
    )
    try:
        Target.objects.create(
            figure_key="social_orgs.test_coverage", area=areas.county, year=2023, value=30
        )
        rows = selectors.figure_rows(
            user=staff.approver, area=areas.a, period=Period.year(2023), app="social_orgs"
        )
        row = next(r for r in rows if r.figure.key == "social_orgs.test_coverage")
        assert (row.value, row.target, row.met) == (Decimal("25.0"), Decimal("30"), False)
        html = login(staff.approver).get("/dashboard/social_orgs/?period=2023").content.decode()
        assert "≥ 30.0%" in html
        assert "未达标" in html
    finally:
        figures._figures.pop("social_orgs.test_coverage")


def test_who_sees_what(staff, areas):
    assert login(staff.caseworker_a).get("/dashboard/").status_code == 403
    reviewer = login(staff.reviewer_a)
    assert reviewer.get(f"/dashboard/?area={areas.a.pk}").status_code == 200
    assert reviewer.get(f"/dashboard/?area={areas.county.pk}").status_code == 200  # their share
    assert reviewer.get(f"/dashboard/?area={areas.b.pk}").status_code == 404
    assert reviewer.get(f"/dashboard/?area={areas.village_b.pk}").status_code == 404
    _shown, table, _totals = selectors.breakdown(
        user=staff.reviewer_a, area=areas.county, period=Period.year(2026)
    )
    assert [a.code for a, _v in table] == [areas.a.code]


def test_demo_targets_and_first_refresh(areas):
    from civil_affairs.dashboard import demo

    demo.load(areas.by_code)
    demo.load(areas.by_code)  # again: nothing doubles
    coverage = Target.objects.filter(figure_key="social_orgs.social_work_coverage")
    assert coverage.filter(year=2023).get().value == Decimal("30")
    assert SummaryRefresh.objects.filter(status="done").count() == 2


def test_the_recount_button_is_not_swallowed_by_a_waiting_refresh(staff):
    """A refresh already waiting answers a second request for one; a recount from every row
    is queued of its own, and then answers the requests after it."""
    waiting = services.summary_refresh_start(actor=None, trigger="bank_return")
    again = services.summary_refresh_start(actor=None, trigger="on_demand")
    assert again.pk == waiting.pk
    page = login(staff.finance)
    assert "按全部支付记录重新统计" in page.get("/dashboard/refresh/").content.decode()
    response = page.post("/dashboard/refresh/", {"rebuild": "1"})
    assert response.status_code == 302
    recount = SummaryRefresh.objects.exclude(pk=waiting.pk).get()
    assert (recount.trigger, recount.status, recount.requested_by) == (
        "rebuild",
        "queued",
        staff.finance,
    )
    page.post("/dashboard/refresh/", {"rebuild": "1"})
    page.post("/dashboard/refresh/")
    assert SummaryRefresh.objects.count() == 2
