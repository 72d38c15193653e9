"""Cross-checks: lists from other departments, the rules that judge a hit, runs and warnings.

A list (ExternalList) is loaded into ListRow (its valid rows) and RejectedRow (the others, by
row number). A run (MatchRun) matches the loaded lists and the checks without files against
everyone with an open benefit in any app (civil_affairs/benefits.py), set-based in SQL, and
inserts one Warning per (person, list row, rule) — or per (person, rule, evidence key) for
checks without a list row — so that a rerun never raises the same warning twice and a
dismissed warning stays dismissed.
"""

from __future__ import annotations

import builtins
import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs import benefits
from civil_affairs.core.models import TimeStampedModel

from .kinds import LIST_KINDS, Kind


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Action(models.TextChoices):
    """What happens to the benefits a confirmed warning concerns."""

    STOP = "stop", _("Stop")
    SUSPEND = "suspend", _("Suspend")
    CHANGE_AMOUNT = "change_amount", _("Change the amount")
    REVIEW = "review", _("Review")  # a suggestion only: the caseworker decides
    KEEP = "keep", _("No change")  # a confirmed review that changes nothing


class ColumnMapping(TimeStampedModel):
    """Which column of a department's file holds which field, per list kind; saved on upload."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, unique=True)
    columns = models.JSONField(_("columns"), default=dict, help_text=_("field → column heading"))
    delimiter = models.CharField(_("delimiter"), max_length=1, default=",")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(Kind(self.kind).label)


class ExternalList(TimeStampedModel):
    """A file from another department, valid for a date, covering an area (usually the county)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to load")
        LOADING = "loading", _("Loading")
        LOADED = "loaded", _("Loaded")
        FAILED = "failed", _("Failed")
        RETIRED = "retired", _("Retired")

    TRANSITIONS = {
        Status.PENDING: {Status.LOADING, Status.FAILED},
        Status.LOADING: {Status.LOADED, Status.FAILED},
        Status.FAILED: {Status.LOADING},
        Status.LOADED: {Status.RETIRED},
        Status.RETIRED: {Status.LOADED},
    }

    area_lookup = "area"

    kind = models.CharField(
        _("kind"), max_length=30, choices=[(k.value, k.label) for k in LIST_KINDS]
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area covered"),
        help_text=_("Only beneficiaries in this area are matched against the list."),
    )
    valid_on = models.DateField(_("valid for"), help_text=_("The date the list describes."))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The department that sent it.")
    )
    file = models.FileField(_("file"), upload_to="crosscheck/lists/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    columns = models.JSONField(_("column mapping used"), default=dict)
    extra_columns = models.JSONField(
        _("other columns kept"), default=list, help_text=_("Headings of x0, x1, … of its rows.")
    )
    delimiter = models.CharField(_("delimiter"), max_length=1, default=",")
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_loaded = models.PositiveIntegerField(_("rows loaded"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    last_row = models.PositiveIntegerField(
        _("last row"), default=0, help_text=_("The number of the file's last row.")
    )
    error = models.TextField(_("error"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "progress"])

    class Meta:
        verbose_name = _("external list")
        verbose_name_plural = _("external lists")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"], name="crosscheck_list_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.source} · {self.valid_on}"


class ListRow(models.Model):
    """A valid row of a loaded list: the department's evidence, as it was sent.

    Stored as the loader's COPY wrote it, in a partition of its own per list (the table is
    partitioned by `id`, which is the list's id × ROW_SPAN + the row's number in the file),
    so that a list of a million rows is written once. Columns the mapping does not use are
    kept in x0…x19 (their headings are the list's `extra_columns`). After validation the ID
    number is 18 characters, `event_date` a date (YYYY-MM-DD) and `value` a decimal, as text.
    The partitions have a BRIN index on `id` and no unique index: ids are unique by
    construction, and the foreign keys to rows are not enforced by the database.
    """

    history_exempt = "rows of a department's list are evidence loaded once and never edited"
    ROW_SPAN = 1_000_000_000
    EXTRA_COLUMNS = 20

    id = models.BigIntegerField(primary_key=True)
    list = models.ForeignKey(
        ExternalList,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # a partitioned evidence table: rows go when their list does
        db_index=False,
        related_name="rows",
        verbose_name=_("list"),
    )
    id_number = models.TextField(_("ID number"), null=True)  # noqa: DJ001 - COPY writes NULL
    name = models.TextField(_("name"), null=True, blank=True)  # noqa: DJ001 - COPY writes NULL
    event_date = models.TextField(_("date"), null=True, blank=True)  # noqa: DJ001 - COPY writes NULL
    value = models.TextField(_("value"), null=True, blank=True)  # noqa: DJ001 - COPY writes NULL
    detail = models.TextField(_("detail"), null=True, blank=True)  # noqa: DJ001 - COPY writes NULL

    class Meta:
        verbose_name = _("list row")
        verbose_name_plural = _("list rows")

    def __str__(self) -> str:
        return f"{self.list_id}:{self.row_number}"

    @property
    def row_number(self) -> int:
        """The row in the file as a spreadsheet numbers it (the heading is row 1)."""
        return self.id - self.list_id * self.ROW_SPAN

    @property
    def event_day(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.event_date) if self.event_date else None

    def extras(self) -> builtins.list[tuple[str, str]]:  # `list` is the field above
        """(heading, cell) of the file's other columns."""
        headings = self.list.extra_columns
        return [
            (heading, getattr(self, f"x{i}") or "")
            for i, heading in enumerate(headings[: self.EXTRA_COLUMNS])
        ]


for _i in range(ListRow.EXTRA_COLUMNS):
    ListRow.add_to_class(f"x{_i}", models.TextField(null=True, blank=True, editable=False))


class RejectedRow(models.Model):
    """A row of a list that was not loaded, and why: shown to the uploader by row number."""

    history_exempt = "a load report: written once by the loader, read by the uploader"

    class Problem(models.TextChoices):
        MISSING = "missing", _("is empty")
        ID_LENGTH = "id_length", _("does not have 18 characters")
        ID_FORMAT = "id_format", _("is not 17 digits followed by a digit or X")
        ID_BIRTH_DATE = "id_birth_date", _("holds an impossible birth date")
        ID_BIRTH_FUTURE = "id_birth_future", _("holds a birth date in the future")
        ID_CHECKSUM = "id_checksum", _("has a wrong check character")
        BAD_DATE = "bad_date", _("is not a date (YYYY-MM-DD)")
        BAD_AMOUNT = "bad_amount", _("is not an amount")
        TOO_LONG = "too_long", _("is too long")
        COLUMNS = "columns", _("has a different number of columns than the heading (found/heading)")

    list = models.ForeignKey(
        ExternalList, on_delete=models.CASCADE, related_name="rejected", verbose_name=_("list")
    )
    row_number = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=30, blank=True)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices)
    value = models.CharField(_("value"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["list", "row_number"]

    def __str__(self) -> str:
        return f"{self.list_id}:{self.row_number} {self.problem}"


class Threshold(TimeStampedModel):
    """An amount a rule compares a list's value with (a vehicle's value, a monthly pension).

    Effective-dated and per area: for a beneficiary, the row of the most specific area above
    theirs that is valid on the list's date applies.
    """

    class Name(models.TextChoices):
        VEHICLE_VALUE = "vehicle_value", _("Vehicle value")
        PROPERTY_VALUE = "property_value", _("Real-estate value")
        PENSION_MONTHLY = "pension_monthly", _("Monthly pension")
        SALARY_MONTHLY = "salary_monthly", _("Monthly salary")
        REGISTERED_CAPITAL = "registered_capital", _("Registered capital")

    area_lookup = "area"

    name = models.CharField(_("threshold"), max_length=30, choices=Name.choices)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["name", "area__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "area", "valid_from"], name="crosscheck_threshold_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="crosscheck_threshold_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.area} {self.valid_from}: {self.amount}"


class MatchRule(TimeStampedModel):
    """What a hit of one kind means: the programs it affects, how serious, what to do."""

    class Reach(models.TextChoices):
        PERSON = "person", _("The person named")
        HOUSEHOLD = "household", _("The person named and their household (household-wide)")
        OTHERS = "others", _("The other members of their household")

    class EffectiveBasis(models.TextChoices):
        EVENT = "event", _("The month after the date in the row (else after the list's date)")
        LIST = "list", _("The month after the list's date")
        BIRTHDAY = "birthday", _("The month after the birthday")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    programs = ArrayField(
        models.CharField(max_length=40),
        verbose_name=_("programs affected"),
        help_text=_("Program codes; empty means every program."),
        blank=True,
        default=list,
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    suggested_action = models.CharField(
        _("suggested action"),
        max_length=20,
        choices=[(a.value, a.label) for a in (Action.STOP, Action.SUSPEND, Action.REVIEW)],
        default=Action.REVIEW,
    )
    reach = models.CharField(
        _("whom a hit concerns"),
        max_length=10,
        choices=Reach.choices,
        default=Reach.PERSON,
        help_text=_("Household-wide rules reach the beneficiaries in the household of the person."),
    )
    # A standard as the threshold: "standard:<kind>" (the pension rule: "standard:dibao"), the
    # row of the beneficiary's area (and household variant) valid on the list's date.
    STANDARD_PREFIX = "standard:"

    threshold_name = models.CharField(
        _("threshold"),
        max_length=60,
        blank=True,
        help_text=_(
            "Only rows whose value is above this threshold are hits: a threshold of the "
            "thresholds table, or a standard."
        ),
    )
    age_years = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, help_text=_("Age events: the age that ends or changes.")
    )
    effective_basis = models.CharField(
        _("suggested effective month"),
        max_length=10,
        choices=EffectiveBasis.choices,
        default=EffectiveBasis.EVENT,
    )
    unless_fact = models.CharField(
        _("except for"),
        max_length=60,
        blank=True,
        help_text=_(
            "Age events: no warning for a person of whom a paying app states this fact "
            "(in_full_time_education: a child still in full-time school)."
        ),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("flag for supervisors after (days)"),
        help_text=_("Unresolved warnings older than this are shown on the supervisors' page."),
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("match rule")
        verbose_name_plural = _("match rules")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def unregistered_programs(self) -> builtins.list[str]:
        """The programs it names that no app pays benefits of (yet)."""
        return sorted(set(self.programs) - benefits.programs())

    @property
    def in_effect(self) -> bool:
        """Active, and (when it names programs) one of them is paid by a registered app: a
        rule for programs no app pays yet (the age events before the allowances exist)
        matches no one and becomes effective when such an app registers its benefits."""
        return self.active and (
            not self.programs or len(self.unregistered_programs) < len(set(self.programs))
        )


class MatchRun(models.Model):
    """One run of the matching job: which checks, how far it got, what it found."""

    history_exempt = "a job's own progress record, written only by the job; each run is new"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Check(models.TextChoices):
        LISTS = "lists", _("Loaded lists")
        DUPLICATES = "duplicates", _("Duplicates in the county")
        AGE = "age", _("Age events")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    as_of = models.DateField(_("as of"))
    checks = ArrayField(models.CharField(max_length=20), verbose_name=_("checks"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
        help_text=_("Empty: the monthly schedule."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    warnings_created = models.PositiveIntegerField(_("new warnings"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} · {self.get_status_display()}"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.chunks_total:
            return 0
        return min(99, 100 * self.chunks_done // self.chunks_total)


class Warning(models.Model):
    """A hit: the evidence (a list row, or a key for checks without files) about a person's case.

    `person` is the beneficiary whose case it concerns; `subject` is whom the evidence names
    (another member of the household, for household-wide rules). `area` is where the
    beneficiary is paid, so the caseworker of that area sees it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    TRANSITIONS = {
        Status.OPEN: {Status.CONFIRMED, Status.DISMISSED},
        Status.CONFIRMED: set(),
        Status.DISMISSED: set(),
    }

    area_lookup = "area"

    # A run inserts thousands of warnings in one statement; every index and every foreign
    # key check (Django's are deferred to the commit) costs there. So: few indexes (the unique
    # keys below lead with person; the queue uses (status, area)), and the database checks
    # the keys that say whom and where (person, area); rule, subject and run are written by
    # the run's own joins from existing rows, and rules, people and runs are never deleted.
    rule = models.ForeignKey(
        MatchRule,
        on_delete=models.PROTECT,
        related_name="warnings",
        verbose_name=_("rule"),
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="crosscheck_warnings",
        verbose_name=_("beneficiary"),
        db_index=False,
    )
    subject = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person named in the evidence"),
        db_index=False,
        db_constraint=False,
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        db_index=False,
    )
    list_row = models.ForeignKey(
        ListRow,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # ListRow is partitioned; lists with warnings are never removed
        null=True,
        blank=True,
        related_name="warnings",
        verbose_name=_("list row"),
    )
    evidence_key = models.CharField(_("evidence"), max_length=200, blank=True)
    evidence = models.JSONField(_("evidence details"), default=dict, blank=True)
    suggested_action = models.CharField(
        _("suggested action"), max_length=20, choices=Action.choices
    )
    suggested_month = models.DateField(_("suggested effective month"), null=True, blank=True)
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warnings",
        verbose_name=_("run"),
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
        db_index=False,
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_action = models.CharField(
        _("action taken"), max_length=20, choices=Action.choices, blank=True
    )
    effective_month = models.DateField(_("effective month"), null=True, blank=True)
    new_amount = models.DecimalField(
        _("new monthly amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    resolution_note = models.TextField(_("reason or note"), blank=True)
    outcome = models.JSONField(
        _("outcome"),
        default=dict,
        blank=True,
        help_text=_("What confirming it changed: benefits and overpayments."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "list_row", "rule"],
                condition=Q(list_row__isnull=False),
                name="crosscheck_warning_once_per_row",
            ),
            models.UniqueConstraint(
                fields=["person", "rule", "evidence_key"],
                condition=Q(list_row__isnull=True),
                name="crosscheck_warning_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "area"], name="crosscheck_warning_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"
