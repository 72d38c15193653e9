"""The annual work report from known records: every money figure exactly on the page and read
back from the DOCX and the PDF (Chinese, text extractable); a figure without data says so;
next year's targets listed; a township's report counts only the township."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils.html import strip_tags

from civil_affairs.dashboard import figures, report, services
from civil_affairs.dashboard.models import AnnualReport, Target
from tests.conftest import login

from .conftest import refresh

pytestmark = pytest.mark.django_db

# the money sentences' figures as the Chinese report writes them (county, 2026)
COUNTY = [
    "13人次",
    "5,790.00元",
    "惠及残疾人2人",
    "累计救助2人次",
    "发放援助金1,450.00元",
    "社会福利资金1,360.00元",
]
TOWNSHIP_A = [
    "7人次",
    "2,400.00元",
    "惠及残疾人1人",
    "累计救助1人次",
    "发放援助金800.00元",
    "社会福利资金160.00元",
]
NO_DATA = "（本系统暂无数据）"


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(
        "\n", ""
    )


def unregistered() -> list[str]:
    known = {f.key for f in figures.all_figures()}
    return [key for key, _m in report.SLOTS.values() if key not in known]


def generate(user, area, year=2026) -> AnnualReport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.annual_report_start(actor=user, year=year, area=area)
    job.refresh_from_db()
    return job


def test_report_page_docx_and_pdf(paid, staff, areas):
    refresh()
    Target.objects.create(
        figure_key="relief.assisted_person_times", area=areas.county, year=2027, value=Decimal(15)
    )
    page = login(staff.approver).get(f"/dashboard/report/?area={areas.county.pk}&year=2026")
    html = strip_tags(page.content.decode())
    for text in COUNTY:
        assert text in html, text
    assert "一、2026年工作开展情况" in html
    assert "（一）有力服务保障各类特殊困难群众" in html
    assert "2027年工作目标" in html
    assert "≥ 15人次" in html
    if unregistered():
        assert NO_DATA in html

    job = generate(staff.approver, areas.county)
    assert (job.status, job.percent) == ("done", 100)
    client = login(staff.approver)
    docx = client.get(f"/dashboard/report/{job.pk}/report.docx")
    pdf = client.get(f"/dashboard/report/{job.pk}/report.pdf")
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert pdf["Content-Type"] == "application/pdf"
    for name, text in (("docx", docx_text(docx.content)), ("pdf", pdf_text(pdf.content))):
        for expected in COUNTY:
            assert expected in text, (name, expected)
        assert "（四）大力提升民政基本社会服务水平" in text, name
        assert "≥ 15人次" in text, name
        if unregistered():
            assert NO_DATA in text, name
        for key in unregistered():
            assert key in text, (name, key)  # the figure table names what has no data

    # another township's user cannot download it; the township reviewer's own counts theirs
    assert login(staff.reviewer_b).get(f"/dashboard/report/{job.pk}/report.pdf").status_code == 404
    own = generate(staff.reviewer_a, areas.a)
    text = pdf_text(bytes(own.pdf))
    for expected in TOWNSHIP_A:
        assert expected in text, expected
    # asked about the county, the township reviewer's page shows their township's share
    share = login(staff.reviewer_a).get(f"/dashboard/report/?area={areas.county.pk}&year=2026")
    text = strip_tags(share.content.decode())
    for expected in TOWNSHIP_A:
        assert expected in text, expected
    assert "5,790.00元" not in text


def test_english_page_has_english_labels(paid, staff, areas):
    refresh()
    client = login(staff.approver)
    client.post("/i18n/setlang/", {"language": "en"})
    html = strip_tags(
        client.get(f"/dashboard/report/?area={areas.county.pk}&year=2026").content.decode()
    )
    assert "I. Work carried out in 2026" in html
    assert "13 person-times" in html
    assert "5,790.00 yuan" in html


def test_a_figure_without_data_says_so(staff, areas, monkeypatch):
    """A figure no app registered (or whose program no app pays) reads "no data in the
    portal" in the text, never a number."""
    monkeypatch.delitem(figures._figures, "eldercare.vaccination_rate", raising=False)
    content = report.in_chinese(user=staff.approver, area=areas.county, year=2026)
    text = "".join(report.plain(p) for s in content.sections for p in s.paragraphs)
    assert f"疫苗接种率{NO_DATA}" in text
    # never refreshed: the money figures have no number either
    assert f"发放各类救助资金{NO_DATA}" in text
    assert NO_DATA in docx_text(report.to_docx(content))
    assert NO_DATA in pdf_text(report.to_pdf(content))
