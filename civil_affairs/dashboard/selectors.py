"""Reads of the dashboards: figure values against targets, area breakdowns, monthly series
and queue counts, all within the user's areas (policy.scope through `scope.area_ids`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area

from . import figures, money, queues, scope
from .figures import Figure, Period, Unit
from .models import AnnualReport, Target

# The domain pages: app -> the figure-key prefixes shown there.
DOMAINS: dict[str, tuple[str, ...]] = {
    "relief": ("relief",),
    "eldercare": ("eldercare", "welfare"),
    "children": ("children", "welfare"),
    "governance": ("governance",),
    "social_orgs": ("social_orgs",),
    "funeral": ("funeral",),
}
# The county overview's headline figures (also the area breakdown's columns).
HEADLINE = (
    "relief.assisted_person_times",
    "relief.assistance_funds",
    "relief.disabled_covered",
    "welfare.funds",
)
SECTIONS = ("一", "二", "三", "四")


@dataclass
class Row:
    figure: Figure
    value: int | Decimal | None
    target: Decimal | None
    url: str

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return Decimal(self.value) >= self.target


def parse_period(text: str | None, default_year: int) -> Period:
    """'2026' (a year), '2026Q2' (a quarter) or '2026-05' (a month); else the default year."""
    text = (text or "").strip().upper()
    try:
        if len(text) == 4 and text.isdigit():
            return Period.year(int(text))
        if len(text) == 6 and text[4] == "Q" and text[:4].isdigit() and text[5] in "1234":
            return Period.quarter(int(text[:4]), int(text[5]))
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            if 1 <= month <= 12:
                return Period.month(year, month)
    except ValueError:
        pass
    return Period.year(default_year)


def area_for(user: Any, pk: Any) -> Area:
    """The area asked about (404 unless it is, or is above, one of the user's areas)."""
    if pk in (None, ""):
        area = scope.default_area(user)
        if area is None:
            raise policy.PermissionDenied(_("No area is assigned to you yet."))
        return area
    try:
        area = get_object_or_404(Area, pk=int(pk))
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None
    if not scope.visible(user, area):
        from django.http import Http404

        raise Http404
    return area


def keys_of(app: str | None) -> list[Figure]:
    all_figures = figures.all_figures()
    if app is None:
        return all_figures
    prefixes = DOMAINS[app]
    return [f for f in all_figures if f.key.split(".", 1)[0] in prefixes]


def target_of(key: str, area: Area, year: int, unit: str) -> Decimal | None:
    """The area's target for the year; a percentage's target may be set once for the county
    (a share's target holds for each part), a count's only for the area itself."""
    rows = {t.area_id: t.value for t in Target.objects.filter(figure_key=key, year=year)}
    if area.pk in rows:
        return rows[area.pk]
    if unit == Unit.PERCENT:
        node: Area | None = area
        while node is not None and node.parent_id is not None:
            node = node.parent
            if node is not None and node.pk in rows:
                return rows[node.pk]
    return None


def value(figure: Figure, *, user: Any, area: Area, period: Period) -> int | Decimal | None:
    return figure.compute(user=user, area=area, period=period)


def figure_rows(*, user: Any, area: Area, period: Period, app: str | None = None) -> list[Row]:
    targets: dict[str, dict[int, Decimal]] = {}
    for t in Target.objects.filter(year=period.first.year):
        targets.setdefault(t.figure_key, {})[t.area_id] = t.value
    rows = []
    for figure in sorted(
        keys_of(app),
        key=lambda f: (SECTIONS.index(f.section) if f.section in SECTIONS else 9, f.key),
    ):
        target = None
        if figure.key in targets:
            target = target_of(figure.key, area, period.first.year, figure.unit)
        rows.append(
            Row(
                figure=figure,
                value=value(figure, user=user, area=area, period=period),
                target=target,
                url=figure.records_url(area, period) if figure.records_url else "",
            )
        )
    return rows


def children_of(user: Any, area: Area) -> list[Area]:
    """The areas one level below `area` that the user sees (a part of)."""
    mine = set(scope.area_ids(user, area))
    return [c for c in area.children.order_by("code") if c.pk in mine]


def breakdown(
    *, user: Any, area: Area, period: Period, keys: tuple[str, ...] = HEADLINE
) -> tuple[list[Figure], list[tuple[Area, list[int | Decimal | None]]], list[Any]]:
    """Each headline figure per area one level down, and the total (the sum of the parts)."""
    shown = [figures.get(k) for k in keys if k in {f.key for f in figures.all_figures()}]
    parts = children_of(user, area)
    table: list[tuple[Area, list[int | Decimal | None]]] = []
    grouped: dict[str, dict[int, Any]] = {}
    for figure in shown:
        spec = money.MONEY.get(figure.key)
        if spec is not None and money.available(spec):
            grouped[figure.key] = _money_by_part(spec, user, parts, period)
    for part in parts:
        values = []
        for figure in shown:
            if figure.key in grouped:
                values.append(grouped[figure.key].get(part.pk))
            else:
                values.append(value(figure, user=user, area=part, period=period))
        table.append((part, values))
    totals: list[Any] = []
    for i, _figure in enumerate(shown):
        column = [row[1][i] for row in table]
        known = [v for v in column if v is not None]
        totals.append(sum(known) if known else None)
    return shown, table, totals


def _money_by_part(
    spec: money.MoneyFigure, user: Any, parts: list[Area], period: Period
) -> dict[int, Any]:
    """One grouped query: the money figure per part (the summary rows under each part)."""
    out: dict[int, Any] = {}
    mine = set()
    by_area: dict[int, int] = {}
    for part in parts:
        for pk in scope.area_ids(user, part):
            by_area[pk] = part.pk
            mine.add(pk)
    qs = money.rows(spec, period, mine)
    zero: Any = Decimal("0.00") if spec.measure == money.AMOUNT else 0
    if qs is None:
        return {p.pk: None for p in parts}
    for part in parts:
        out[part.pk] = zero
    for row in qs.values("area_id").annotate(v=Sum(spec.measure)):
        part_pk = by_area[row["area_id"]]
        out[part_pk] = out[part_pk] + (row["v"] or zero)
    return out


def series(
    figure: Figure, *, user: Any, area: Area, year: int
) -> list[tuple[datetime.date, int | Decimal | None]]:
    """The figure month by month through the year."""
    months = Period.year(year).months()
    spec = money.MONEY.get(figure.key)
    if spec is not None and spec.measure != money.PERSONS and money.available(spec):
        qs = money.rows(spec, Period.year(year), scope.area_ids(user, area))
        if qs is None:
            return [(m, None) for m in months]
        got = {r["start"]: r["v"] for r in qs.values("start").annotate(v=Sum(spec.measure))}
        zero: Any = Decimal("0.00") if spec.measure == money.AMOUNT else 0
        return [(m, got.get(m, zero)) for m in months]
    return [
        (m, value(figure, user=user, area=area, period=Period.month(m.year, m.month)))
        for m in months
    ]


@dataclass
class QueueRow:
    queue: queues.Queue
    count: int
    url: str


def queue_rows(*, user: Any, area: Area, app: str | None = None) -> list[QueueRow]:
    rows = []
    for queue in queues.all_queues() if app is None else queues.of_app(app):
        count = queue.count(user=user, area=area)
        if count is None:
            continue
        rows.append(QueueRow(queue, count, queue.url(area)))
    return rows


def ancestors(area: Area) -> list[Area]:
    """The path from the county down to `area` (for the drill-down's breadcrumbs)."""
    path = [area]
    while path[0].parent_id is not None:
        path.insert(0, path[0].parent)  # type: ignore[arg-type]
    return path


def report_list(*, user: Any) -> Any:
    return policy.scope(user, AnnualReport.objects.select_related("area")).defer("docx", "pdf")


def report_get(*, user: Any, pk: int) -> AnnualReport:
    return get_object_or_404(policy.scope(user, AnnualReport.objects.select_related("area")), pk=pk)


# ---- a page's figures, kept for a minute
#
# A dashboard computes some fifty figures and queue counts; supervisors open it again and
# again. What it computed is kept (Django's cache) per user, area, period and page for
# CACHE_SECONDS, and for the money figures per summary refresh: a new refresh shows at once.
CACHE_SECONDS = 60


@dataclass
class PageData:
    rows: list[Row]
    breakdown_figures: list[Figure]
    breakdown: list[tuple[Area, list[int | Decimal | None]]]
    totals: list[Any]
    queues: list[QueueRow]


def page_key(*, user: Any, area: Area, period: Period, app: str | None) -> str:
    """What a page's figures are kept under: they change with these and the refresh."""
    from . import summary

    refresh = summary.latest()
    return ":".join(
        str(p) for p in ("dashboard", user.pk, area.pk, period, app, refresh.pk if refresh else 0)
    )


def page_data(*, user: Any, area: Area, period: Period, app: str | None) -> PageData:
    from django.core.cache import cache

    key = page_key(user=user, area=area, period=period, app=app)
    kept = cache.get(key)
    if kept is None:
        rows = figure_rows(user=user, area=area, period=period, app=app)
        shown, table, totals = breakdown(user=user, area=area, period=period)
        queue_list = queue_rows(user=user, area=area, app=app)
        kept = {
            "rows": [(r.figure.key, r.value, r.target, r.url) for r in rows],
            "shown": [f.key for f in shown],
            "table": [((a.pk, a.code, a.name, a.level), values) for a, values in table],
            "totals": totals,
            "queues": [(q.queue.key, q.count, q.url) for q in queue_list],
        }
        cache.set(key, kept, CACHE_SECONDS)
    known = {f.key for f in figures.all_figures()}
    return PageData(
        rows=[
            Row(figures.get(k), value, target, url)
            for k, value, target, url in kept["rows"]
            if k in known
        ],
        breakdown_figures=[figures.get(k) for k in kept["shown"]],
        breakdown=[
            (Area(pk=pk, code=code, name=name, level=level), values)
            for (pk, code, name, level), values in kept["table"]
        ],
        totals=kept["totals"],
        queues=[QueueRow(queues.get(k), count, url) for k, count, url in kept["queues"]],
    )
