"""Dashboards: the payments summary, targets, refresh runs and annual reports.

The summary (PaymentSummary) holds, per program, area (where the row was paid) and period,
what the payment rows and the fund ledger say was actually paid: it is what the money
figures read, so that no page view scans the payment rows. A refresh (SummaryRefresh) writes
a complete new set of rows under its own id and, once done, becomes the one readers use;
older sets are deleted then.

A refresh does not read every payment row again: each applied bank return is tallied once
(ReturnTally, PersonMonths, marked by TalliedReturn) — a return settles only rows still to
pay, so what it paid never changes — and the summary is summed from the tallies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel


class SummaryRefresh(models.Model):
    """One recomputation of the payments summary (nightly, after a bank return, on demand)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        BANK_RETURN = "bank_return", _("After a bank return")
        ON_DEMAND = "on_demand", _("On demand")
        REBUILD = "rebuild", _("Rebuilt from every payment row")

    history_exempt = "job bookkeeping: each run is kept as it ran"

    trigger = models.CharField(_("trigger"), max_length=15, choices=Trigger.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(_("summary rows"), default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.steps_total:
            return 0
        return self.steps_done * 100 // self.steps_total


class PaymentSummary(models.Model):
    """What was paid, per program, area and period (a month, or for distinct persons also a
    quarter and a year), as of one refresh.

    person_times: for a monthly program, person-months paid (paid rows that are not back pay
    of a month already paid: a month paid once counts once, a failed row counts only when
    reissued and paid); for a one-off program, payments made. persons: distinct persons
    paid in the period. amount: yuan actually paid (bank-confirmed rows, reissues included,
    failed rows excluded; one-off payments not reversed).
    """

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    history_exempt = "derived data: recomputed in full by each refresh"
    area_lookup = "area"

    refresh = models.ForeignKey(
        SummaryRefresh, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    program = models.CharField(_("program"), max_length=40)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    start = models.DateField(_("first month"))
    person_times = models.PositiveIntegerField(_("person-times"), default=0)
    persons = models.PositiveIntegerField(_("persons"), default=0)
    amount = models.DecimalField(_("amount paid"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("payments summary row")
        verbose_name_plural = _("payments summary")
        indexes = [
            models.Index(fields=["refresh", "period", "program", "start"], name="summary_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.area_id} {self.period} {self.start}"


class Target(TimeStampedModel):
    """A figure's target for an area and a year (e.g. social-work coverage ≥ 30% in 2023):
    the dashboards show the figure against it; the annual report lists next year's."""

    area_lookup = "area"

    figure_key = models.CharField(
        _("figure"), max_length=80, help_text=_("The key of a registered figure.")
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "figure_key", "area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure_key", "area", "year"], name="one_target_per_figure_area_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure_key} {self.year} ≥ {self.value}"


class AnnualReport(models.Model):
    """An annual work report generated for a year and an area, kept for download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    history_exempt = "job output: each report is kept as it was generated, never changed"
    area_lookup = "area"

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    docx = models.BinaryField(_("DOCX file"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF file"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.steps_total:
            return 0
        return self.steps_done * 100 // self.steps_total


class TalliedReturn(models.Model):
    """A bank return whose paid rows are in the tallies."""

    history_exempt = "derived data: written once per bank return by a refresh"

    bank_return = models.OneToOneField(
        "payments.BankReturn", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    tallied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.bank_return_id}"


class ReturnTally(models.Model):
    """What one bank return paid, per program, area paid in and benefit month: person-times
    (rows that are not back pay) and amount."""

    history_exempt = "derived data: written once per bank return by a refresh"

    bank_return = models.ForeignKey(
        "payments.BankReturn", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    program = models.CharField(max_length=40)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    month = models.DateField()
    person_times = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    def __str__(self) -> str:
        return f"{self.bank_return_id} {self.program} {self.area_id} {self.month}"


class PersonMonths(models.Model):
    """The months of a year in which a person was paid one of the programs counted together
    for distinct persons (summary.GROUP_PROGRAMS), in an area, as bits (January = 1): a
    quarter's or a year's distinct persons are counted from them without the payment rows."""

    history_exempt = "derived data: updated once per bank return by a refresh"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField()
    months = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "person", "year"], name="person_months_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.area_id} {self.year}: {self.months:012b}"
