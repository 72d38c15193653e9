"""Elder care (养老服务): institutions and their residents, grades, safety inspections, the
fund-raising screening, home-care centres, home modification, care workers and the old-age
allowance. Every write goes through `services`; every read through `policy.scope`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel
from civil_affairs.core.validators import clean_credit_code, validate_no_formula


def validate_credit_code(value: str) -> None:
    clean_credit_code(value)


def _history() -> HistoricalRecords:
    return HistoricalRecords(excluded_fields=["created_at", "updated_at"])


class Institution(TimeStampedModel):
    """A care institution (养老机构), filed (备案) with the bureau since licences ended in 2019."""

    class Nature(models.TextChoices):
        PUBLIC = "public", _("Public (公办)")
        PUBLIC_PRIVATE = "public_private", _("Publicly built, privately run (公建民营)")
        PRIVATE = "private", _("Private (民办)")

    area_lookup = "area"

    name = models.CharField(_("name"), max_length=100, validators=[validate_no_formula])
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    filing_number = models.CharField(
        _("filing number"), max_length=50, blank=True, validators=[validate_no_formula]
    )
    beds = models.PositiveIntegerField(_("beds"))
    nursing_beds = models.PositiveIntegerField(_("nursing beds"), default=0)
    operator = models.CharField(
        _("operator"), max_length=100, blank=True, validators=[validate_no_formula]
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    history = _history()

    class Meta:
        verbose_name = _("care institution")
        verbose_name_plural = _("care institutions")
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        beds, nursing = self.beds, self.nursing_beds
        if beds is not None and nursing is not None and nursing > beds:
            raise ValidationError(
                {"nursing_beds": _("Nursing beds are part of the beds: at most the beds.")}
            )


class Grade(TimeStampedModel):
    """A grade (等级评定, GB/T 37276): level 1 to 5, rated on a date, valid until a date."""

    area_lookup = "institution__area"

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="grades", verbose_name=_("institution")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=[(n, str(n)) for n in range(1, 6)])
    rated_on = models.DateField(_("rated on"))
    valid_until = models.DateField(_("valid until"))
    evidence = models.CharField(
        _("evidence"), max_length=300, blank=True, validators=[validate_no_formula]
    )
    history = _history()

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["institution", "-rated_on"]

    def __str__(self) -> str:
        return f"{self.institution} · {self.level}"


class AbilityLevel(models.IntegerChoices):
    """Ability assessment of older people (GB/T 42195-2022)."""

    INTACT = 0, _("0 Ability intact")
    MILD = 1, _("1 Mild loss of ability")
    MODERATE = 2, _("2 Moderate loss of ability")
    SEVERE = 3, _("3 Severe loss of ability")
    TOTAL = 4, _("4 Total loss of ability")


class Resident(TimeStampedModel):
    """A person living in an institution from admission to discharge. Whether the bureau
    supports them there as extreme poverty (特困 centralised) is relief's fact, asked through
    the benefits registry, never copied here."""

    area_lookup = "institution__area"

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("institution"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    ability_level = models.PositiveSmallIntegerField(
        _("ability level"), choices=AbilityLevel.choices, null=True, blank=True
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    vaccinated = models.BooleanField(_("vaccinated"), default=False)
    vaccinated_on = models.DateField(_("vaccinated on"), null=True, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["institution", "-admitted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(discharged_on__isnull=True),
                name="eldercare_one_open_residence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.institution}"


class Inspection(TimeStampedModel):
    """A safety inspection of an institution against GB 38600."""

    class Kind(models.TextChoices):
        FIRE = "fire", _("Fire safety")
        BUILDING = "building", _("Building safety")
        FOOD = "food", _("Food safety")
        ABUSE_FRAUD = "abuse_fraud", _("Abuse and fraud")
        FUNDRAISING = "fundraising", _("Illegal fund-raising")

    area_lookup = "institution__area"

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    inspected_on = models.DateField(_("inspected on"))
    inspectors = models.CharField(_("inspectors"), max_length=200, validators=[validate_no_formula])
    notes = models.TextField(_("notes"), blank=True, validators=[validate_no_formula])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = _history()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()} · {self.inspected_on}"


class Finding(TimeStampedModel):
    """A hazard found by an inspection: fixed by a deadline, closed with evidence. A major
    hazard stays open until an elder-care officer verifies the evidence."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major hazard")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {Status.OPEN: {Status.CLOSED}, Status.CLOSED: set()}

    area_lookup = "inspection__institution__area"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    description = models.TextField(_("description"), validators=[validate_no_formula])
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, validators=[validate_no_formula])
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="eldercare_finding_due")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} · {self.description[:40]}"


class HomeCareCentre(TimeStampedModel):
    """A home-care service centre (居家养老服务中心) of a township or community."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        BUILT = "built", _("Built")
        OPERATING = "operating", _("Operating")

    TRANSITIONS = {
        Status.PLANNED: {Status.UNDER_CONSTRUCTION},
        Status.UNDER_CONSTRUCTION: {Status.BUILT},
        Status.BUILT: {Status.OPERATING},
        Status.OPERATING: set(),
    }
    # the date field each status sets
    STATUS_DATES = {
        Status.PLANNED: "planned_on",
        Status.UNDER_CONSTRUCTION: "construction_started_on",
        Status.BUILT: "built_on",
        Status.OPERATING: "opened_on",
    }

    area_lookup = "area"

    name = models.CharField(_("name"), max_length=100, validators=[validate_no_formula])
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    operator = models.CharField(
        _("operator"), max_length=100, blank=True, validators=[validate_no_formula]
    )
    services = models.CharField(
        _("services"), max_length=300, blank=True, validators=[validate_no_formula]
    )
    meal_service = models.BooleanField(_("meal service"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    planned_on = models.DateField(_("planned on"))
    construction_started_on = models.DateField(_("construction started on"), null=True, blank=True)
    built_on = models.DateField(_("built on"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("home-care service centre")
        verbose_name_plural = _("home-care service centres")
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name


class FundraisingScreening(TimeStampedModel):
    """One unit screened for illegal fund-raising: an institution, a home-care centre, or any
    other unit with 养老 in its name."""

    class UnitKind(models.TextChoices):
        INSTITUTION = "institution", _("Care institution")
        CENTRE = "centre", _("Home-care centre")
        OTHER = "other", _("Other unit with 养老 in its name")

    class Result(models.TextChoices):
        CLEAR = "clear", _("Nothing found")
        SUSPECTED = "suspected", _("Suspected: referred")

    area_lookup = "area"

    unit_kind = models.CharField(_("kind of unit"), max_length=20, choices=UnitKind.choices)
    unit_name = models.CharField(_("unit"), max_length=100, validators=[validate_no_formula])
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    centre = models.ForeignKey(
        HomeCareCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home-care centre"),
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    screened_on = models.DateField(_("screened on"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    notes = models.CharField(
        _("notes"), max_length=300, blank=True, validators=[validate_no_formula]
    )
    history = _history()

    class Meta:
        verbose_name = _("fund-raising screening")
        verbose_name_plural = _("fund-raising screenings")
        ordering = ["-screened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_name} · {self.screened_on}"


class ModificationItem(TimeStampedModel):
    """An item of the county's lists for aging-friendly home modification (data, kept in the
    admin): the basic list every eligible home may have, the optional list on request."""

    class List(models.TextChoices):
        BASIC = "basic", _("Basic list")
        OPTIONAL = "optional", _("Optional list")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_no_formula])
    list = models.CharField(_("list"), max_length=10, choices=List.choices)
    active = models.BooleanField(_("active"), default=True)
    history = _history()

    class Meta:
        verbose_name = _("modification item")
        verbose_name_plural = _("modification items")
        ordering = ["list", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Modification(TimeStampedModel):
    """Aging-friendly modification (适老化改造) of one elder's home: apply → assess (items and
    their costs, at most the cap per household) → works → acceptance (验收)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ASSESSED = "assessed", _("Assessed")
        WORKS = "works", _("Works under way")
        ACCEPTED = "accepted", _("Accepted (completed)")
        REFUSED = "refused", _("Refused")

    TRANSITIONS = {
        Status.APPLIED: {Status.ASSESSED, Status.REFUSED},
        Status.ASSESSED: {Status.WORKS, Status.REFUSED},
        Status.WORKS: {Status.ACCEPTED},
        Status.ACCEPTED: set(),
        Status.REFUSED: set(),
    }

    area_lookup = "area"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("elder")
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    address = models.CharField(_("address"), max_length=200, validators=[validate_no_formula])
    dependent = models.BooleanField(
        _("dependent"), default=False, help_text=_("Assessed as losing ability (失能).")
    )
    applied_on = models.DateField(_("applied on"))
    eligibility = models.JSONField(
        _("eligibility"), default=dict, blank=True, help_text=_("The facts it was granted on.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    total_cost = models.DecimalField(
        _("total cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    works_started_on = models.DateField(_("works started on"), null=True, blank=True)
    contractor = models.CharField(
        _("contractor"), max_length=100, blank=True, validators=[validate_no_formula]
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_notes = models.CharField(
        _("acceptance notes"), max_length=300, blank=True, validators=[validate_no_formula]
    )
    history = _history()

    class Meta:
        verbose_name = _("home modification")
        verbose_name_plural = _("home modifications")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_status_display()}"


class ModificationLine(models.Model):
    """One assessed item of a modification and its cost."""

    area_lookup = "modification__area"

    modification = models.ForeignKey(
        Modification, on_delete=models.CASCADE, related_name="lines", verbose_name=_("modification")
    )
    item = models.ForeignKey(
        ModificationItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modification item assessed")
        verbose_name_plural = _("modification items assessed")
        ordering = ["modification", "item__list", "item__code"]

    def __str__(self) -> str:
        return f"{self.item} · {self.cost}"


class CareWorker(TimeStampedModel):
    """A care worker (养老护理员) of an institution or a home-care centre."""

    class SkillLevel(models.IntegerChoices):
        # the national occupational skill standard for care workers (2019): five levels
        FIVE = 5, _("Level 5 (junior)")
        FOUR = 4, _("Level 4 (intermediate)")
        THREE = 3, _("Level 3 (senior)")
        TWO = 2, _("Level 2 (technician)")
        ONE = 1, _("Level 1 (senior technician)")

    area_lookup = "area"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_workers",
        verbose_name=_("institution"),
    )
    centre = models.ForeignKey(
        HomeCareCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_workers",
        verbose_name=_("home-care centre"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The employer's area."),
    )
    skill_level = models.PositiveSmallIntegerField(
        _("skill level"), choices=SkillLevel.choices, null=True, blank=True
    )
    certificate_number = models.CharField(
        _("certificate number"), max_length=50, blank=True, validators=[validate_no_formula]
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    employed_from = models.DateField(_("employed from"))
    employed_until = models.DateField(_("employed until"), null=True, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("care worker")
        verbose_name_plural = _("care workers")
        ordering = ["area__code", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(centre__isnull=False),
                name="eldercare_careworker_has_employer",
            )
        ]

    def __str__(self) -> str:
        return self.person.name

    @property
    def certified(self) -> bool:
        return bool(self.certificate_number)


class Training(models.Model):
    """A training course a care worker attended."""

    area_lookup = "worker__area"

    worker = models.ForeignKey(
        CareWorker,
        on_delete=models.CASCADE,
        related_name="trainings",
        verbose_name=_("care worker"),
    )
    course = models.CharField(_("course"), max_length=100, validators=[validate_no_formula])
    attended_on = models.DateField(_("attended on"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["worker", "-attended_on"]

    def __str__(self) -> str:
        return f"{self.course} · {self.attended_on}"


class OldAgeAllowance(TimeStampedModel):
    """A registered resident's old-age allowance (高龄津贴, 百岁补贴) from `first_month`.

    The tier and the amount of each month are not stored: the payroll provider reads them
    from the person's birth date and the standards in force that month (payroll.py), so a
    birthday moves the person into the next tier without anyone touching the record."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        STOPPED = "stopped", _("Stopped")

    TRANSITIONS = {
        Status.ACTIVE: {Status.SUSPENDED, Status.STOPPED},
        Status.SUSPENDED: {Status.ACTIVE, Status.STOPPED},
        Status.STOPPED: set(),
    }

    area_lookup = "area"

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="old_age_allowances",
        verbose_name=_("person"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Where the person is registered and paid."),
    )
    applied_on = models.DateField(_("applied on"))
    first_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("old-age allowance")
        verbose_name_plural = _("old-age allowances")
        ordering = ["area__code", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="stopped"),
                name="eldercare_one_open_allowance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_status_display()}"
