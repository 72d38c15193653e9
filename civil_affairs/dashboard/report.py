"""The annual work report: the structure of the seed report's section 一 with its figures
filled from the registered figures, and next year's targets; as a page, a DOCX and a PDF.

The sentences are msgids in English with the figures as %(name)s slots; the Chinese report
is their translation (the files are always written in Chinese, the page in the reader's
language). A figure the portal holds no data for reads "(no data in the portal)".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from civil_affairs.areas.models import Area

from . import figures
from .figures import Period, Unit
from .formatting import number, with_unit
from .models import Target

# slot name -> (figure key, a count's measure word: in a context of its own, as 'households'
# as a measure word (户) is not 'households' elsewhere)
SLOTS: dict[str, tuple[str, Any]] = {
    "assisted": ("relief.assisted_person_times", ""),
    "funds": ("relief.assistance_funds", ""),
    "disabled": ("relief.disabled_covered", ""),
    "aid_times": ("relief.medical_aid_person_times", ""),
    "aid_amount": ("relief.medical_aid_amount", ""),
    "welfare": ("welfare.funds", ""),
    "built": ("eldercare.centres_built", pgettext_lazy("measure word", "centres")),
    "building": ("eldercare.centres_under_construction", pgettext_lazy("measure word", "centres")),
    "modified": ("eldercare.modifications_completed", pgettext_lazy("measure word", "households")),
    "units": ("eldercare.units_screened", pgettext_lazy("measure word", "units")),
    "screened": ("eldercare.centres_screened", pgettext_lazy("measure word", "centres")),
    "vaccinated": ("eldercare.vaccination_rate", ""),
    "activities": ("children.care_activities", pgettext_lazy("measure word", "activities")),
    "raised": ("children.care_funds_raised", ""),
    "cancelled": (
        "governance.certificates_cancelled",
        pgettext_lazy("measure word", "certificates"),
    ),
    "committees": (
        "governance.public_health_committees",
        pgettext_lazy("measure word", "villages or communities"),
    ),
    "inspected": ("social_orgs.inspected", pgettext_lazy("measure word", "organisations")),
    "passed": ("social_orgs.passed", pgettext_lazy("measure word", "organisations")),
    "basic": ("social_orgs.basic_passed", pgettext_lazy("measure word", "organisations")),
    "names": ("funeral.place_names_corrected", pgettext_lazy("measure word", "entries")),
    "entries": ("funeral.entries_changed", pgettext_lazy("measure word", "entries")),
    "boundaries": ("funeral.boundaries_inspected", pgettext_lazy("measure word", "boundaries")),
    # not in a sentence of the seed's section 一: listed with the figures (against targets)
    "coverage": ("social_orgs.social_work_coverage", ""),
    "directors": ("children.director_coverage", ""),
    "certified": ("eldercare.care_workers_certified_share", ""),
}

# (heading, sentences): the five headings of section 一 (its title and four parts)
STRUCTURE: list[tuple[Any, list[Any]]] = [
    (
        gettext_lazy("(1) Serving people in special difficulty: basic livelihoods secured"),
        [
            gettext_lazy(
                "In %(year)s, people in difficulty across %(area)s were assisted "
                "%(assisted)s and %(funds)s of assistance funds were paid."
            ),
            gettext_lazy(
                "The living subsidy for disabled people in difficulty and the care subsidy "
                "for the severely disabled reached %(disabled)s."
            ),
            gettext_lazy(
                "Charity aid for patients of minimum-living-allowance households assisted "
                "%(aid_times)s and paid %(aid_amount)s."
            ),
        ],
    ),
    (
        gettext_lazy("(2) Elder care of high quality: caring for the old and for children"),
        [
            gettext_lazy(
                "In %(year)s, %(welfare)s of welfare funds were paid: allowances for orphans, "
                "for de-facto unsupported children and for the very old."
            ),
            gettext_lazy(
                "Home-care service centres: %(built)s newly built and %(building)s under "
                "construction; home modifications for the old in special difficulty "
                "completed for %(modified)s."
            ),
            gettext_lazy(
                "Illegal fund-raising screening covered %(units)s with 养老 in their name and "
                "%(screened)s home-care service centres; no lead was found. The vaccination "
                "rate of residents in elder-care institutions was %(vaccinated)s."
            ),
            gettext_lazy(
                "Townships and communities held %(activities)s of care for children in "
                "difficulty and raised funds and goods worth %(raised)s."
            ),
        ],
    ),
    (
        gettext_lazy("(3) Grassroots governance: new vitality at the grassroots"),
        [
            gettext_lazy(
                "%(cancelled)s that village and community committees should not issue were "
                "cancelled; public-health committees now cover %(committees)s."
            ),
        ],
    ),
    (
        gettext_lazy("(4) Basic social services: stronger specialised management"),
        [
            gettext_lazy(
                "%(inspected)s social organisations took the annual inspection: "
                "%(passed)s passed and %(basic)s basically passed."
            ),
            gettext_lazy(
                "In the national place-name information system %(names)s of non-standard "
                "place names were corrected, %(entries)s of community and village entries "
                "were added or changed, and %(boundaries)s of administrative boundary were "
                "jointly inspected."
            ),
        ],
    ),
]

SLOT = re.compile(r"%\((\w+)\)s")


@dataclass
class Slot:
    name: str
    key: str
    label: str
    value: int | Decimal | None
    text: str
    url: str
    definition: str
    unit: str
    target: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[list[str | Slot]]


@dataclass
class Content:
    title: str
    heading: str
    area: Area
    year: int
    sections: list[Section]
    slots: list[Slot]
    targets: list[tuple[str, str]] = field(default_factory=list)
    targets_heading: str = ""
    figures_heading: str = ""


def _slot(name: str, user: Any, area: Area, period: Period) -> Slot:
    key, measure = SLOTS[name]
    try:
        figure = figures.get(key)
    except KeyError:  # its app has not registered it: no data in the portal
        return Slot(name, key, key, None, with_unit(None, Unit.COUNT), "", "", Unit.COUNT)
    value = figure.compute(user=user, area=area, period=period)
    from .selectors import target_of

    target = target_of(key, area, period.first.year, figure.unit)
    return Slot(
        name=name,
        key=key,
        label=str(figure.label),
        value=value,
        text=with_unit(value, figure.unit, str(measure)),
        url=figure.records_url(area, period) if figure.records_url else "",
        definition=str(figure.definition),
        unit=figure.unit,
        target=_target_text(target, figure.unit) if target is not None else "",
    )


def _target_text(value: Decimal, unit: str) -> str:
    return "≥ " + (f"{number(value, unit)}%" if unit == Unit.PERCENT else with_unit(value, unit))


def build(
    *, user: Any, area: Area, year: int, progress: Callable[[int], None] | None = None
) -> Content:
    """Compute every slot as `user` sees `area` in `year` (in the active language)."""
    period = Period.year(year)
    slots: dict[str, Slot] = {}
    for i, name in enumerate(SLOTS, start=1):
        slots[name] = _slot(name, user, area, period)
        if progress is not None:
            progress(i)
    fixed = {"year": str(year), "area": area.name}
    sections = []
    for heading, sentences in STRUCTURE:
        paragraphs: list[list[str | Slot]] = []
        for sentence in sentences:
            parts: list[str | Slot] = []
            text = str(sentence)
            last = 0
            for match in SLOT.finditer(text):
                parts.append(text[last : match.start()])
                name = match.group(1)
                parts.append(slots[name] if name in slots else fixed.get(name, ""))
                last = match.end()
            parts.append(text[last:])
            paragraphs.append([p for p in parts if p != ""])
        sections.append(Section(str(heading), paragraphs))
    targets = []
    for target in Target.objects.filter(year=year + 1).order_by("figure_key", "area__code"):
        if not area.code.startswith(target.area.code) and not target.area.code.startswith(
            area.code
        ):
            continue
        try:
            figure = figures.get(target.figure_key)
            label, unit = str(figure.label), figure.unit
        except KeyError:
            label, unit = target.figure_key, Unit.COUNT
        where = "" if target.area_id == area.pk else f"（{target.area.name}）"
        targets.append((f"{label}{where}", _target_text(target.value, unit)))
    return Content(
        title=_("%(area)s civil affairs: work report for %(year)s")
        % {"area": area.name, "year": year},
        heading=_("I. Work carried out in %(year)s") % {"year": year},
        area=area,
        year=year,
        sections=sections,
        slots=list(slots.values()),
        targets=targets,
        targets_heading=_("Targets for %(year)s") % {"year": year + 1},
        figures_heading=_("The figures, their definitions and records"),
    )


def plain(paragraph: list[str | Slot]) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in paragraph)


def in_chinese(*, user: Any, area: Area, year: int, **kwargs: Any) -> Content:
    with translation.override("zh-hans"):
        return build(user=user, area=area, year=year, **kwargs)


# ---- files (always in Chinese: `build` is called under translation.override by the service)


def to_docx(content: Content) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    doc.add_heading(content.title, level=0)
    doc.add_heading(content.heading, level=1)
    for section in content.sections:
        doc.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            doc.add_paragraph(plain(paragraph))
    doc.add_heading(content.targets_heading, level=1)
    if content.targets:
        for label, value in content.targets:
            doc.add_paragraph(f"{label}：{value}", style="List Bullet")
    else:
        doc.add_paragraph(_("No target is set."))
    doc.add_heading(content.figures_heading, level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, [_("figure"), _("value"), _("definition"), _("records")], strict=True
    ):
        cell.text = text
    for slot in content.slots:
        cells = table.add_row().cells
        cells[0].text = slot.label
        cells[1].text = slot.text + (f"（{_('target')} {slot.target}）" if slot.target else "")
        cells[2].text = slot.definition
        cells[3].text = slot.url
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(content: Content) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    # reportlab's built-in CID font: Chinese shows on any reader without embedding a file
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22
    )
    small = ParagraphStyle("small", fontName="STSong-Light", fontSize=8, leading=11, wordWrap="CJK")
    h0 = ParagraphStyle("h0", fontName="STSong-Light", fontSize=16, leading=24, spaceAfter=8)
    h1 = ParagraphStyle("h1", fontName="STSong-Light", fontSize=13, leading=20, spaceBefore=8)
    h2 = ParagraphStyle("h2", fontName="STSong-Light", fontSize=12, leading=18, spaceBefore=6)
    story: list[Any] = [
        Paragraph(escape(content.title), h0),
        Paragraph(escape(content.heading), h1),
    ]
    for section in content.sections:
        story.append(Paragraph(escape(section.heading), h2))
        for paragraph in section.paragraphs:
            story.append(Paragraph(escape(plain(paragraph)), body))
    story.append(Paragraph(escape(content.targets_heading), h1))
    for label, value in content.targets or [(_("No target is set."), "")]:
        story.append(Paragraph(escape(f"{label}：{value}" if value else label), body))
    story.append(Paragraph(escape(content.figures_heading), h1))
    story.append(Spacer(1, 4))
    rows = [
        [
            Paragraph(escape(t), small)
            for t in (_("figure"), _("value"), _("definition"), _("records"))
        ]
    ]
    for slot in content.slots:
        rows.append(
            [
                Paragraph(escape(t), small)
                for t in (
                    slot.label,
                    slot.text + (f"（{_('target')} {slot.target}）" if slot.target else ""),
                    slot.definition,
                    slot.url,
                )
            ]
        )
    table = Table(rows, colWidths=[40 * mm, 30 * mm, 75 * mm, 35 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.25, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    story.append(table)
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, title=content.title, leftMargin=15 * mm, rightMargin=15 * mm
    ).build(story)
    return out.getvalue()
