"""Every write of the dashboards: refreshes of the summary, annual reports, targets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import queue as jobs  # the parameter `queue` below is a flag
from civil_affairs.core.validators import clean_text

from . import figures, summary
from .models import AnnualReport, SummaryRefresh, Target

# a queued or running refresh older than this is taken for dead and a new one may start
STALE = datetime.timedelta(hours=2)


@transaction.atomic
def summary_refresh_start(
    *, actor: Any | None, trigger: str = "on_demand", queue: bool = True
) -> SummaryRefresh:
    """Queue a refresh of the payments summary (trigger "rebuild": recount from every payment
    row); one already waiting is returned instead, unless a rebuild is asked for and it is
    not one."""
    if actor is not None:
        policy.require(actor, "dashboard.refresh")
    busy = (
        SummaryRefresh.objects.select_for_update()
        .filter(
            status__in=[SummaryRefresh.Status.QUEUED, SummaryRefresh.Status.RUNNING],
            created_at__gt=timezone.now() - STALE,
        )
        .first()
    )
    rebuild = SummaryRefresh.Trigger.REBUILD
    if (
        busy is not None
        and busy.status == SummaryRefresh.Status.QUEUED
        and (busy.trigger == rebuild or trigger != rebuild)
    ):
        return busy
    refresh = SummaryRefresh.objects.create(
        trigger=trigger, requested_by=actor, steps_total=summary.STEPS
    )
    if queue:
        jobs.send_after_commit("dashboard.refresh_summary", refresh.pk)
    return refresh


def summary_refresh_run(*, refresh_id: int) -> SummaryRefresh:
    return summary.run(refresh_id)


@transaction.atomic
def annual_report_start(*, actor: Any, year: int, area: Area) -> AnnualReport:
    """Queue the annual work report of `year` for `area`, as the actor sees it."""
    policy.require(actor, "report.generate", area=area)
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Give a year between 2000 and next year.")})
    report = AnnualReport.objects.create(year=year, area=area, requested_by=actor)
    jobs.send_after_commit("dashboard.annual_report", report.pk)
    return report


def annual_report_run(*, report_id: int) -> AnnualReport:
    """Compute the figures and write the DOCX and PDF (a Celery task's work)."""
    from . import report as writer

    report = AnnualReport.objects.select_related("area", "requested_by").get(pk=report_id)
    if report.status == AnnualReport.Status.DONE:
        return report
    report.status = AnnualReport.Status.RUNNING
    report.steps_total = len(figures.all_figures()) + 2
    report.steps_done = 0
    report.save(update_fields=["status", "steps_total", "steps_done"])

    def progress(done: int) -> None:
        AnnualReport.objects.filter(pk=report_id).update(steps_done=done)

    try:
        content = writer.in_chinese(
            user=report.requested_by, area=report.area, year=report.year, progress=progress
        )
        report.docx = writer.to_docx(content)
        progress(report.steps_total - 1)
        report.pdf = writer.to_pdf(content)
        report.status = AnnualReport.Status.DONE
        report.steps_done = report.steps_total
    except Exception as exc:
        report.status = AnnualReport.Status.FAILED
        report.error = repr(exc)[:2000]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        raise
    report.finished_at = timezone.now()
    report.save(update_fields=["docx", "pdf", "status", "steps_done", "finished_at"])
    return report


@transaction.atomic
def target_set(
    *, actor: Any, figure_key: str, area: Area, year: int, value: Decimal, note: str = ""
) -> Target:
    """Set (or change) a figure's target for an area and a year."""
    policy.require(actor, "target.manage", area=area)
    known = {f.key for f in figures.all_figures()}
    if figure_key not in known:
        raise ValidationError({"figure_key": _("No figure has this key.")})
    if value < 0:
        raise ValidationError({"value": _("A target is zero or more.")})
    target, _created = Target.objects.update_or_create(
        figure_key=figure_key,
        area=area,
        year=year,
        defaults={"value": value, "note": clean_text(note, "note", max_length=300)},
    )
    return target
