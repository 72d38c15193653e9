"""Pages of the dashboards and the annual report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy

from . import charts, exports, figures, report, selectors, services, summary
from .models import AnnualReport, SummaryRefresh

DOMAIN_TITLES = {
    "relief": gettext_lazy("Social assistance"),
    "eldercare": gettext_lazy("Elder care"),
    "children": gettext_lazy("Children"),
    "governance": gettext_lazy("Grassroots governance"),
    "social_orgs": gettext_lazy("Social organisations"),
    "funeral": gettext_lazy("Funerals, marriage and place names"),
}


def _context(request: HttpRequest) -> tuple[Any, Any]:
    policy.require(request.user, "dashboard.view")
    area = selectors.area_for(request.user, request.GET.get("area"))
    period = selectors.parse_period(request.GET.get("period"), timezone.localdate().year)
    return area, period


def _unit_label(unit: str) -> str:
    return str(figures.Unit(unit).label) if unit in figures.Unit.values else unit


def _dashboard(request: HttpRequest, app: str | None) -> HttpResponse:
    area, period = _context(request)
    data = selectors.page_data(user=request.user, area=area, period=period, app=app)
    rows = data.rows
    charted = (
        [r.figure for r in rows if r.figure.key in selectors.HEADLINE]
        if app is None
        else [r.figure for r in rows][:6]
    )
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "app": app,
            "title": DOMAIN_TITLES.get(app or "", _("County overview")),
            "domains": DOMAIN_TITLES,
            "area": area,
            "path": selectors.ancestors(area),
            "period": period,
            "rows": rows,
            "breakdown_figures": data.breakdown_figures,
            "breakdown": data.breakdown,
            "totals": data.totals,
            "queues": data.queues,
            "charted": charted,
            "refreshed": summary.latest(),
            "may_refresh": policy.may(request.user, "dashboard.refresh"),
            "query": f"area={area.pk}&period={period}",
            # the tables and charts as rendered are kept with the figures (selectors.page_data)
            "page_key": selectors.page_key(user=request.user, area=area, period=period, app=app),
            "cache_seconds": selectors.CACHE_SECONDS,
        },
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, None)


def domain(app: str) -> Any:
    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        return _dashboard(request, app)

    view.__name__ = f"domain_{app}"
    return view


@login_required
def chart_png(request: HttpRequest) -> HttpResponse:
    area, period = _context(request)
    try:
        figure = figures.get(request.GET.get("figure", ""))
    except KeyError:
        raise Http404 from None
    points = selectors.series(figure, user=request.user, area=area, year=period.first.year)
    png = charts.monthly_png(
        f"{figure.label} · {area.name} · {period.first.year}", points, _unit_label(figure.unit)
    )
    response = HttpResponse(png, content_type="image/png")
    if request.GET.get("download"):
        name = f"{figure.key}-{area.code}-{period.first.year}.png"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_figures(request: HttpRequest) -> HttpResponse:
    area, period = _context(request)
    app = request.GET.get("app") or None
    if app is not None and app not in selectors.DOMAINS:
        raise Http404
    rows = selectors.figure_rows(user=request.user, area=area, period=period, app=app)
    data = exports.xlsx(
        _("Figures"),
        [_("section"), _("figure"), _("value"), _("unit"), _("target"), _("definition")],
        [
            [
                r.figure.section,
                str(r.figure.label),
                r.value if r.value is not None else _("no data in the portal"),
                _unit_label(r.figure.unit),
                r.target,
                str(r.figure.definition),
            ]
            for r in rows
        ],
    )
    return _xlsx(data, f"figures-{app or 'county'}-{area.code}-{period}.xlsx")


@login_required
def export_breakdown(request: HttpRequest) -> HttpResponse:
    area, period = _context(request)
    shown, table, totals = selectors.breakdown(user=request.user, area=area, period=period)
    header = [_("area"), _("division code"), *[str(f.label) for f in shown]]
    body: list[list[Any]] = [[a.name, a.code, *values] for a, values in table]
    body.append([_("Total"), area.code, *totals])
    return _xlsx(exports.xlsx(_("Areas"), header, body), f"areas-{area.code}-{period}.xlsx")


@login_required
def export_queues(request: HttpRequest) -> HttpResponse:
    area, _period = _context(request)
    app = request.GET.get("app") or None
    if app is not None and app not in selectors.DOMAINS:
        raise Http404
    rows = selectors.queue_rows(user=request.user, area=area, app=app)
    data = exports.xlsx(
        _("Queues"),
        [_("queue"), _("count"), _("list")],
        [[str(r.queue.label), r.count, request.build_absolute_uri(r.url)] for r in rows],
    )
    return _xlsx(data, f"queues-{app or 'county'}-{area.code}.xlsx")


# ---- the summary refresh


@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "dashboard.refresh")
    if request.method == "POST":
        trigger = "rebuild" if request.POST.get("rebuild") else "on_demand"
        services.summary_refresh_start(actor=request.user, trigger=trigger)
        messages.success(request, _("The refresh of the figures is queued."))
        return redirect("dashboard:refresh")
    return render(
        request,
        "dashboard/refresh.html",
        {"run": SummaryRefresh.objects.first(), "refreshed": summary.latest()},
    )


@login_required
def refresh_progress(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "dashboard.refresh")
    run = SummaryRefresh.objects.first()
    response = render(request, "dashboard/_refresh_progress.html", {"run": run})
    busy = run is not None and run.status in (SummaryRefresh.Status.QUEUED, "running")
    if not busy and request.GET.get("was") == "busy" and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


# ---- the annual report


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "report.view")
    area = selectors.area_for(request.user, request.GET.get("area"))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    year = min(max(year, 2000), timezone.localdate().year + 1)
    content = report.build(user=request.user, area=area, year=year)
    return render(
        request,
        "dashboard/report.html",
        {
            "content": content,
            "area": area,
            "year": year,
            "reports": selectors.report_list(user=request.user).filter(area=area)[:10],
            "may_generate": policy.may(request.user, "report.generate", area=area),
        },
    )


@login_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    area = selectors.area_for(request.user, request.POST.get("area"))
    try:
        year = int(request.POST.get("year", ""))
        generated = services.annual_report_start(actor=request.user, year=year, area=area)
    except (ValueError, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [_("Give a year.")])))
        return redirect(reverse("dashboard:report") + f"?area={area.pk}")
    return redirect("dashboard:report_detail", pk=generated.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "report.view")
    generated = selectors.report_get(user=request.user, pk=pk)
    template = "dashboard/_report_progress.html" if request.htmx else "dashboard/report_job.html"  # type: ignore[attr-defined]
    response = render(request, template, {"report": generated})
    if request.htmx and generated.status in ("done", "failed") and request.GET.get("was"):  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


def _file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    policy.require(request.user, "report.view")
    generated = selectors.report_get(user=request.user, pk=pk)
    data = getattr(generated, kind)
    if generated.status != AnnualReport.Status.DONE or data is None:
        raise Http404
    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }
    response = HttpResponse(bytes(data), content_type=types[kind])
    name = f"annual-report-{generated.area.code}-{generated.year}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(request, pk, "docx")


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(request, pk, "pdf")
