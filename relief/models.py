"""Social assistance. Entitlements (what is paid monthly) are the contract with payments:
payroll providers read them (see relief/payroll.py); everything else in this app feeds them."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel
from civil_affairs.core.validators import validate_no_formula

if TYPE_CHECKING:
    from civil_affairs.people.models import Person


class Program(models.TextChoices):
    """Monthly relief programs (one-off temporary assistance is not paid through payroll)."""

    DIBAO = "dibao", _("Minimum living allowance")
    EXTREME_POVERTY = "extreme_poverty", _("Extreme-poverty support")
    DISABILITY_LIVING = "disability_living", _("Disability living subsidy")
    DISABILITY_CARE = "disability_care", _("Severe disability care subsidy")


class Entitlement(TimeStampedModel):
    """A person's right to a monthly amount of one program, from `start_month`.

    The amount in force for a month is the EntitlementPeriod covering it, so that a new
    standard or a review changes the months from its effective month only. Months are
    stored as their first day. `end_month` is the last month paid (inclusive).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        GRADUAL_EXIT = "gradual_exit", _("Gradual exit")
        STOPPED = "stopped", _("Stopped")

    TRANSITIONS = {
        Status.ACTIVE: {Status.SUSPENDED, Status.GRADUAL_EXIT, Status.STOPPED},
        Status.SUSPENDED: {Status.ACTIVE, Status.STOPPED},
        Status.GRADUAL_EXIT: {Status.ACTIVE, Status.STOPPED},
        Status.STOPPED: set(),
    }

    area_lookup = "area"

    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("beneficiary"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Where it is paid: the household's village or community."),
    )
    household = models.ForeignKey(
        "relief.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlements",
        verbose_name=_("household"),
        help_text=_("Set for dibao, which is paid per household to its head."),
    )
    application = models.ForeignKey(
        "relief.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlements",
        verbose_name=_("application"),
    )
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("standard used"),
        help_text=_("The main standard row the amount was computed from (all are in the basis)."),
    )
    monthly_amount = models.DecimalField(
        _("monthly amount"), max_digits=14, decimal_places=2, help_text=_("The amount now.")
    )
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    basis = models.JSONField(
        _("basis"), default=dict, blank=True, help_text=_("The standard and inputs it used.")
    )
    # Whom it is paid to when not the beneficiary: centralised extreme-poverty support to the
    # care home (an institution: its name and account), the dispersed care subsidy to the
    # contracted caregiver (a person on file).
    payee_name = models.CharField(
        _("payee (institution)"),
        max_length=100,
        blank=True,
        db_default="",
        validators=[validate_no_formula],
    )
    payee_bank_name = models.CharField(_("payee's bank"), max_length=100, blank=True, db_default="")
    payee_account = models.CharField(_("payee's account"), max_length=32, blank=True, db_default="")
    caregiver = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contracted caregiver"),
        help_text=_("Paid the care amount of dispersed extreme-poverty support."),
    )
    # The care agreement's months: from `caregiver_from` to `caregiver_to` (open-ended when
    # empty) the care amount goes to the caregiver, the rest to the person (relief/payroll.py).
    caregiver_from = models.DateField(_("care agreement from month"), null=True, blank=True)
    caregiver_to = models.DateField(_("care agreement to month"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=~Q(status="stopped"),
                name="one_open_entitlement_per_program",
            )
        ]
        indexes = [models.Index(fields=["program", "area"], name="entitlement_program_area")]

    def __str__(self) -> str:
        return f"{self.get_program_display()} · {self.person} · {self.monthly_amount}"


class EntitlementPeriod(models.Model):
    """The monthly amount of an entitlement from `valid_from` to `valid_to` (inclusive)."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="periods")
    valid_from = models.DateField(_("from month"))
    valid_to = models.DateField(_("to month"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=14, decimal_places=2)
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entitlement period")
        verbose_name_plural = _("entitlement periods")
        ordering = ["entitlement", "valid_from"]
        indexes = [models.Index(fields=["entitlement", "valid_from"], name="period_from")]

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m}…{self.valid_to or ''}: {self.monthly_amount}"


class Household(TimeStampedModel):
    """A household (户) on file: where it lives and how often it is reviewed."""

    class RegisteredType(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    class Category(models.TextChoices):
        # The review interval of each category is a standard (kind review_interval_months).
        A = "A", _("A: stable (reviewed yearly)")
        B = "B", _("B: some change expected (reviewed half-yearly)")
        C = "C", _("C: income likely to change (reviewed quarterly)")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("village or community"),
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[validate_no_formula]
    )
    registered_type = models.CharField(
        _("registered type"), max_length=10, choices=RegisteredType.choices
    )
    category = models.CharField(
        _("review category"), max_length=1, choices=Category.choices, default=Category.A
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible caseworker"),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["area", "id"]

    def __str__(self) -> str:
        head = self.head
        return _("Household of %(name)s") % {"name": head.name if head else f"#{self.pk}"}

    @property
    def head(self) -> "Person | None":
        for member in self.members.all():
            if member.relationship == HouseholdMember.Relationship.HEAD:
                return member.person
        return None


class HouseholdMember(TimeStampedModel):
    """A person in a household, with what the means test needs: income by source and assets.

    A person belongs to one household at most. Income per member and the asset test are
    computed from these rows (relief/calc.py), never typed in.
    """

    class Relationship(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other relative")

    class WorkCapacity(models.TextChoices):
        FULL = "full", _("Able to work")
        PARTIAL = "partial", _("Partly able to work")
        NONE = "none", _("Unable to work")

    class Health(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        CHRONIC = "chronic", _("Chronic illness")
        SERIOUS = "serious", _("Serious illness")

    area_lookup = "household__area"

    INCOME_FIELDS = (
        "income_wages",
        "income_business",
        "income_farming",
        "income_property",
        "income_transfer",
        "income_other",
    )

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    relationship = models.CharField(
        _("relationship to the head"), max_length=12, choices=Relationship.choices
    )
    work_capacity = models.CharField(
        _("work capacity"), max_length=8, choices=WorkCapacity.choices, default=WorkCapacity.FULL
    )
    disability_certificate = models.CharField(
        _("disability certificate number"), max_length=20, blank=True
    )
    disability_type = models.CharField(_("disability type"), max_length=12, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )
    health = models.CharField(
        _("health condition"), max_length=8, choices=Health.choices, default=Health.HEALTHY
    )
    income_wages = models.DecimalField(
        _("monthly wages"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    income_business = models.DecimalField(
        _("monthly business income"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    income_farming = models.DecimalField(
        _("monthly farming income"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    income_property = models.DecimalField(
        _("monthly property income"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    income_transfer = models.DecimalField(
        _("monthly pensions and transfers"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    income_other = models.DecimalField(
        _("other monthly income"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    vehicles = models.PositiveSmallIntegerField(_("vehicles owned"), default=0)
    vehicles_exempt = models.PositiveSmallIntegerField(
        _("of which exempt"),
        default=0,
        db_default=0,  # raw inserts (bench data) need no value
        help_text=_(
            "A disabled person's mobility vehicle, a motorcycle, or the one vehicle that is the "
            "household's livelihood: not counted in the asset test."
        ),
    )
    real_estate = models.PositiveSmallIntegerField(_("homes owned"), default=0)
    home_floor_area = models.DecimalField(
        _("floor area of the homes (m²)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),
    )
    deposits = models.DecimalField(
        _("bank deposits"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    securities = models.DecimalField(
        _("securities"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),
    )
    insurance = models.DecimalField(
        _("commercial insurance (cash value)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),
    )
    in_full_time_school = models.BooleanField(
        _("in full-time education"), default=False, db_default=False
    )
    unable_to_work_by_illness = models.BooleanField(
        _("unable to work by illness (recorded exception)"),
        default=False,
        db_default=False,
        help_text=_(
            "For extreme-poverty support: a member whose age and disability do not show it, "
            "but whom an illness leaves without work capacity; say why in the note."
        ),
    )
    illness_note = models.CharField(
        _("illness: evidence"),
        max_length=300,
        blank=True,
        db_default="",
        validators=[validate_no_formula],
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], name="person_in_one_household"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"

    @property
    def monthly_income(self) -> Decimal:
        return sum((getattr(self, f) for f in self.INCOME_FIELDS), Decimal("0.00"))

    @property
    def financial_assets(self) -> Decimal:
        return self.deposits + self.securities + self.insurance


class IncomeKind(models.TextChoices):
    """What an income is: the county decides which kinds are not counted (a standard of kind
    income_not_counted per kind), the national rules list several."""

    WAGES = "wages", _("Wages")
    BUSINESS = "business", _("Business income")
    FARMING = "farming", _("Farming income")
    PROPERTY = "property", _("Property income (rent, interest)")
    PENSION = "pension", _("Pension")
    RURAL_BASIC_PENSION = "rural_basic_pension", _("Rural basic pension")
    MAINTENANCE = "maintenance", _("Maintenance from supporters")
    YOUFU = "youfu", _("Special care payments (优抚)")
    AWARDS = "awards", _("Awards and scholarships")
    ASSISTANCE = "assistance", _("Social assistance money")
    DISABILITY_SUBSIDY = "disability_subsidy", _("Disability subsidies")
    OLD_AGE_ALLOWANCE = "old_age_allowance", _("Old-age allowance")
    OTHER = "other", _("Other income")


# the member's monthly income fields and the kind each one is (typed at intake or imported)
INCOME_FIELD_KINDS = {
    "income_wages": IncomeKind.WAGES,
    "income_business": IncomeKind.BUSINESS,
    "income_farming": IncomeKind.FARMING,
    "income_property": IncomeKind.PROPERTY,
    "income_transfer": IncomeKind.PENSION,
    "income_other": IncomeKind.OTHER,
}
# incomes from work: a member with one of these gets the cost-of-working deduction
WORK_INCOME = (IncomeKind.WAGES, IncomeKind.BUSINESS)


class IncomeEntry(TimeStampedModel):
    """A member's income of one kind, the same amount each month from `first_month` to
    `last_month`: the monthly figures of the reference period (relief/calc.py averages them
    over the months entered)."""

    area_lookup = "member__household__area"

    member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.CASCADE,
        related_name="incomes",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=IncomeKind.choices)
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("to month"))
    monthly_amount = models.DecimalField(_("each month"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[validate_no_formula])
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("income entry")
        verbose_name_plural = _("income entries")
        ordering = ["member", "kind", "first_month"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.first_month:%Y-%m}…{self.last_month:%Y-%m}: "
            f"{self.monthly_amount}"
        )


class Supporter(TimeStampedModel):
    """Someone legally bound to support a member (赡养、抚养、扶养义务人), and whether they
    are able to: extreme-poverty support needs none able; the maintenance they owe is
    counted as the household's income."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    class Situation(models.TextChoices):
        ABLE = "able", _("Able to support")
        ELDERLY = "elderly", _("Elderly, without means")
        DISABLED = "disabled", _("Severely disabled")
        ILL = "ill", _("Seriously ill")
        ASSISTED = "assisted", _("Receives dibao or extreme-poverty support")
        PRISON = "prison", _("In prison")
        MISSING = "missing", _("Missing")
        OTHER = "other", _("Other reason, unable")

    area_lookup = "member__household__area"

    member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.CASCADE,
        related_name="supporters",
        verbose_name=_("supports"),
    )
    name = models.CharField(_("name"), max_length=50, validators=[validate_no_formula])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    situation = models.CharField(_("situation"), max_length=10, choices=Situation.choices)
    evidence = models.CharField(
        _("evidence"), max_length=300, blank=True, validators=[validate_no_formula]
    )
    maintenance_owed = models.DecimalField(
        _("maintenance owed each month"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("Counted as the household's income."),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("legally bound supporter")
        verbose_name_plural = _("legally bound supporters")
        ordering = ["member", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()}, {self.get_situation_display()})"

    @property
    def able(self) -> bool:
        return self.situation == self.Situation.ABLE


class SelfCareAssessment(TimeStampedModel):
    """The six-activity assessment of self-care (eating, dressing, getting in and out of bed,
    toilet, walking indoors, bathing): all six = full self-care, up to three failed =
    partial, four or more = none. Extreme-poverty support's care amount follows its level."""

    ACTIVITIES = ("eating", "dressing", "transfer", "toilet", "walking", "bathing")

    area_lookup = "member__household__area"

    member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("member"),
    )
    assessed_on = models.DateField(_("assessed on"))
    eating = models.BooleanField(_("eats unaided"))
    dressing = models.BooleanField(_("dresses unaided"))
    transfer = models.BooleanField(_("gets in and out of bed unaided"))
    toilet = models.BooleanField(_("uses the toilet unaided"))
    walking = models.BooleanField(_("walks indoors unaided"))
    bathing = models.BooleanField(_("bathes unaided"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("self-care assessment")
        verbose_name_plural = _("self-care assessments")
        ordering = ["member", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assessed_on} · {self.level}"

    @property
    def failed(self) -> int:
        return sum(1 for activity in self.ACTIVITIES if not getattr(self, activity))

    @property
    def level(self) -> str:
        """full, partial or none: the variants of the care amount standard."""
        failed = self.failed
        if failed == 0:
            return "full"
        return "partial" if failed <= 3 else "none"

    @property
    def level_label(self) -> str:
        return str(Application.SelfCare(self.level).label)


class Application(TimeStampedModel):
    """An application for assistance and the case that follows it, as one state machine.

    applied → accepted → visited → cross-check requested → cleared → public notice →
    submitted (to the township) → reviewed → approved → in payment; refused or withdrawn
    at any step before approval. Temporary assistance skips the cross-check and the notice,
    and urgent temporary assistance may be paid first and documented after.
    """

    class Kind(models.TextChoices):
        DIBAO = "dibao", _("Minimum living allowance")
        EXTREME_POVERTY = "extreme_poverty", _("Extreme-poverty support")
        DISABILITY_LIVING = "disability_living", _("Disability living subsidy")
        DISABILITY_CARE = "disability_care", _("Severe disability care subsidy")
        TEMPORARY = "temporary", _("Temporary assistance")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        VISITED = "visited", _("Home visit done")
        CROSSCHECK_REQUESTED = "crosscheck_requested", _("Cross-check requested")
        CROSSCHECK_CLEARED = "crosscheck_cleared", _("Cross-check cleared")
        SUBMITTED = "submitted", _("Submitted to the township")
        REVIEWED = "reviewed", _("Township's first opinion given")
        IN_NOTICE = "in_notice", _("In public notice")
        NOTICE_ENDED = "notice_ended", _("Notice ended without a founded objection")
        GRADE_CONFIRMED = "grade_confirmed", _("Grade confirmed by the federation")
        APPROVED = "approved", _("Approved")
        IN_PAYMENT = "in_payment", _("In payment")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    S = Status
    OPEN = (
        S.APPLIED,
        S.ACCEPTED,
        S.VISITED,
        S.CROSSCHECK_REQUESTED,
        S.CROSSCHECK_CLEARED,
        S.SUBMITTED,
        S.REVIEWED,
        S.IN_NOTICE,
        S.NOTICE_ENDED,
        S.GRADE_CONFIRMED,
    )
    # Every move the case may make; which path a program takes is relief/steps.py's PATHS.
    TRANSITIONS = {
        S.APPLIED: {S.ACCEPTED, S.APPROVED, S.REFUSED, S.WITHDRAWN},  # approved: pay first
        S.ACCEPTED: {S.VISITED, S.GRADE_CONFIRMED, S.REFUSED, S.WITHDRAWN},
        S.VISITED: {S.CROSSCHECK_REQUESTED, S.SUBMITTED, S.REFUSED, S.WITHDRAWN},
        S.CROSSCHECK_REQUESTED: {S.CROSSCHECK_CLEARED, S.REFUSED, S.WITHDRAWN},
        S.CROSSCHECK_CLEARED: {S.SUBMITTED, S.REFUSED, S.WITHDRAWN},
        S.SUBMITTED: {S.REVIEWED, S.REFUSED, S.WITHDRAWN},
        S.REVIEWED: {S.IN_NOTICE, S.APPROVED, S.REFUSED, S.WITHDRAWN},
        # an objection found to have grounds: back to the home visit (re-investigation)
        S.IN_NOTICE: {S.NOTICE_ENDED, S.ACCEPTED, S.REFUSED, S.WITHDRAWN},
        S.NOTICE_ENDED: {S.APPROVED, S.REFUSED, S.WITHDRAWN},
        S.GRADE_CONFIRMED: {S.APPROVED, S.CROSSCHECK_REQUESTED, S.REFUSED, S.WITHDRAWN},
        S.APPROVED: {S.IN_PAYMENT},
        S.IN_PAYMENT: set(),
        S.REFUSED: set(),
        S.WITHDRAWN: set(),
    }

    class Coverage(models.TextChoices):
        HOUSEHOLD = "household", _("The whole household")
        SINGLE = "single", _("One member alone (单人保)")

    class SupportMode(models.TextChoices):
        CENTRALISED = "centralised", _("Centralised (in a care home)")
        DISPERSED = "dispersed", _("Dispersed (at home)")

    class SelfCare(models.TextChoices):
        FULL = "full", _("Fully able to care for themselves")
        PARTIAL = "partial", _("Partly able to care for themselves")
        NONE = "none", _("Unable to care for themselves")

    class AssistanceKind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        EXPENSE = "expense", _("Sudden expense")

    area_lookup = "area"

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("household"),
        help_text=_("Empty for a non-resident helped where the emergency happened."),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
        help_text=_("The household's, or where a non-resident's emergency happened."),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="relief_applications",
        verbose_name=_("applicant"),
        help_text=_("For household dibao the head; otherwise the person assisted."),
    )
    program = models.CharField(_("program"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.APPLIED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    statement = models.TextField(
        _("what the applicant says"), blank=True, validators=[validate_no_formula]
    )
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices, blank=True)
    support_mode = models.CharField(
        _("support mode"), max_length=12, choices=SupportMode.choices, blank=True
    )
    self_care = models.CharField(
        _("self-care ability"), max_length=8, choices=SelfCare.choices, blank=True
    )
    assistance_kind = models.CharField(
        _("assistance kind"), max_length=10, choices=AssistanceKind.choices, blank=True
    )
    requested_amount = models.DecimalField(
        _("amount asked for"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    urgent = models.BooleanField(_("urgent: pay first, document after"), default=False)
    documents_pending = models.BooleanField(_("documents still to come"), default=False)
    start_month = models.DateField(
        _("first month"),
        null=True,
        blank=True,
        help_text=_("Leave empty to start the month after approval."),
    )
    applied_on = models.DateField(_("applied on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    crosscheck_note = models.TextField(_("cross-check result"), blank=True)
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    notice_objections = models.TextField(_("objections during the notice"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_opinion = models.TextField(_("township opinion"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_amount = models.DecimalField(
        _("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # the case order of the national rules (issue 10, item 4)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    special_case = models.BooleanField(
        _("special case: the longer time limit"),
        default=False,
        help_text=_("Decided within the longer working-day limit (45 instead of 30)."),
    )
    finance_check_authorised = models.BooleanField(
        _("signed authorisation to check finances (核对授权书)"), default=False
    )
    staff_relative = models.BooleanField(
        _("close relative of staff or village cadres (近亲属备案)"), default=False
    )
    staff_relative_note = models.CharField(
        _("whose relative"), max_length=200, blank=True, validators=[validate_no_formula]
    )
    proposed_amount = models.DecimalField(
        _("proposed monthly amount (first opinion)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    notice_round = models.PositiveSmallIntegerField(_("notice round"), default=0)
    approved_delegated = models.BooleanField(
        _("approved by the township (delegated)"), default=False
    )
    # the two disability subsidies: the federation's confirmation of the grade
    confirmed_grade = models.PositiveSmallIntegerField(_("confirmed grade"), null=True, blank=True)
    confirmed_type = models.CharField(_("confirmed type"), max_length=12, blank=True)
    grade_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade confirmed by"),
    )
    grade_confirmed_at = models.DateTimeField(_("grade confirmed at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["status", "program"], name="application_status")]

    def __str__(self) -> str:
        return f"{self.get_program_display()} · {self.person.name} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_monthly(self) -> bool:
        return self.program != self.Kind.TEMPORARY

    @property
    def in_crosscheck(self) -> bool:
        """From the cross-check request until the decision: the page then shows what other
        departments' lists say about the household."""
        return self.household_id is not None and self.status in {
            self.Status.CROSSCHECK_REQUESTED,
            self.Status.CROSSCHECK_CLEARED,
            self.Status.IN_NOTICE,
            self.Status.NOTICE_ENDED,
            self.Status.SUBMITTED,
            self.Status.REVIEWED,
        }

    @property
    def non_resident(self) -> bool:
        return self.household_id is None


class HomeVisit(TimeStampedModel):
    """The home visit (入户调查) of an application."""

    area_lookup = "application__area"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="visits", verbose_name=_("application")
    )
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=200, validators=[validate_no_formula])
    findings = models.TextField(_("findings"), validators=[validate_no_formula])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.visited_on}: {self.visitors}"


class VisitPhoto(TimeStampedModel):
    area_lookup = "visit__application__area"

    visit = models.ForeignKey(
        HomeVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("home visit")
    )
    image = models.FileField(_("photo"), upload_to="relief/visits/%Y/%m/")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.image.name or ""


class Review(TimeStampedModel):
    """A periodic review of a household in payment (dynamic management)."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")
        DONE = "done", _("Done")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue unchanged")
        ADJUST = "adjust", _("Adjust the amount")
        SUSPEND = "suspend", _("Suspend")
        STOP = "stop", _("Stop")
        GRADUAL_EXIT = "gradual_exit", _("Gradual exit")

    TRANSITIONS = {
        Status.DUE: {Status.OVERDUE, Status.DONE},
        Status.OVERDUE: {Status.DONE},
        Status.DONE: set(),
    }

    area_lookup = "household__area"

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("household")
    )
    due_date = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    effective_month = models.DateField(_("effective month"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[validate_no_formula])
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=~Q(status="done"),
                name="one_open_review_per_household",
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="review_due")]

    def __str__(self) -> str:
        return f"{self.household} · {self.due_date} · {self.get_status_display()}"


class PatrolZone(TimeStampedModel):
    """A designated patrol zone for homeless and beggar relief."""

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_no_formula])
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("patrolled"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("patrol zone")
        verbose_name_plural = _("patrol zones")
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return self.name


class HomelessCase(TimeStampedModel):
    """A homeless person or beggar taken in by the relief station, until they leave it."""

    class Status(models.TextChoices):
        IN_STATION = "in_station", _("In the station")
        LONG_STAY = "long_stay", _("Long-stay resident")
        RETURNED = "returned", _("Returned home")
        PLACED = "placed", _("Placed")
        LEFT = "left", _("Left on their own")

    # still in the station's care: services are given, the case is listed as open
    OPEN = (Status.IN_STATION, Status.LONG_STAY)
    TRANSITIONS = {
        Status.IN_STATION: {Status.LONG_STAY, Status.RETURNED, Status.PLACED, Status.LEFT},
        Status.LONG_STAY: {Status.RETURNED, Status.PLACED, Status.LEFT},
        Status.RETURNED: set(),
        Status.PLACED: set(),
        Status.LEFT: set(),
    }

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    zone = models.ForeignKey(
        PatrolZone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("found in patrol zone"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person, when identified"),
    )
    name = models.CharField(
        _("name or description"), max_length=100, validators=[validate_no_formula]
    )
    found_on = models.DateField(_("taken in on"))
    found_place = models.CharField(
        _("found at"), max_length=200, blank=True, validators=[validate_no_formula]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_STATION
    )
    destination = models.CharField(
        _("destination"),
        max_length=200,
        blank=True,
        help_text=_("The home address returned to, or the institution placed in."),
    )
    closed_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("homeless relief case")
        verbose_name_plural = _("homeless relief cases")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.found_on})"


class HomelessService(TimeStampedModel):
    """A service given to a homeless relief case (food, lodging, medical care, fare home…)."""

    class Kind(models.TextChoices):
        FOOD = "food", _("Food")
        LODGING = "lodging", _("Lodging")
        CLOTHING = "clothing", _("Clothing")
        MEDICAL = "medical", _("Medical care")
        FARE = "fare", _("Fare home")
        ESCORT = "escort", _("Escorted home")
        COUNSELLING = "counselling", _("Counselling")

    area_lookup = "case__area"

    case = models.ForeignKey(
        HomelessCase, on_delete=models.CASCADE, related_name="services", verbose_name=_("case")
    )
    kind = models.CharField(_("service"), max_length=12, choices=Kind.choices)
    given_on = models.DateField(_("given on"))
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on}"


class MedicalAid(TimeStampedModel):
    """Charity medical aid paid to a dibao patient for one treatment (one person-time)."""

    area_lookup = "household__area"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("patient")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="medical_aid", verbose_name=_("household")
    )
    hospital = models.CharField(_("hospital"), max_length=100, validators=[validate_no_formula])
    treated_on = models.DateField(_("treated on"))
    total_cost = models.DecimalField(_("total cost"), max_digits=14, decimal_places=2)
    insurance_paid = models.DecimalField(
        _("paid by medical insurance"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    aid_amount = models.DecimalField(_("aid paid"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("charity medical aid")
        verbose_name_plural = _("charity medical aid")
        ordering = ["-treated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.treated_on} · {self.aid_amount}"


class ApprovalDelegation(TimeStampedModel):
    """Approval of one program delegated to a township (审批权下放), from a date, until a
    date (inclusive) or further notice. Replaces the one flag per township."""

    area_lookup = "township"

    township = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "township"},
        verbose_name=_("township"),
    )
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(
        _("decision (document number)"),
        max_length=200,
        blank=True,
        validators=[validate_no_formula],
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("delegation of approval")
        verbose_name_plural = _("delegations of approval")
        ordering = ["township", "program", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.township.name} · {self.get_program_display()} · {self.valid_from}"


class Holiday(TimeStampedModel):
    """A public holiday (not a working day) or a weekend day worked in exchange (调休): the
    due dates of cases count working days."""

    area_lookup = "county"

    county = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("county"),
    )
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=50, validators=[validate_no_formula])
    working = models.BooleanField(
        _("a working day"), default=False, help_text=_("A weekend day worked in exchange.")
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("holiday or exchanged working day")
        verbose_name_plural = _("holidays and exchanged working days")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["county", "day"], name="one_holiday_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class SpotCheck(TimeStampedModel):
    """The county's spot check (抽查) of an approval a township made under delegation."""

    class Result(models.TextChoices):
        PENDING = "pending", _("To check")
        CONFIRMED = "confirmed", _("Approval confirmed")
        PROBLEM = "problem", _("Problem found")

    area_lookup = "application__area"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="spot_check", verbose_name=_("case")
    )
    drawn_on = models.DateField(_("drawn on"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    note = models.TextField(_("what the check found"), blank=True, validators=[validate_no_formula])
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-drawn_on", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.get_result_display()}"


class ReserveFund(TimeStampedModel):
    """A township's reserve fund (备用金) for temporary assistance in a year: what the township
    approves itself is paid from it, up to the amount set aside."""

    area_lookup = "township"

    township = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "township"},
        verbose_name=_("township"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount set aside"), max_digits=14, decimal_places=2)
    reference = models.CharField(
        _("document number"), max_length=100, blank=True, validators=[validate_no_formula]
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("township reserve fund")
        verbose_name_plural = _("township reserve funds")
        ordering = ["-year", "township"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="one_reserve_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.township.name} {self.year}: {self.amount}"


class MonitoredHousehold(TimeStampedModel):
    """A household watched by the low-income monitoring (低收入人口动态监测): a low-income
    edge household (低保边缘) or one with heavy necessary expenses (刚性支出困难)."""

    class Kind(models.TextChoices):
        EDGE = "edge", _("Low-income edge household")
        HEAVY_EXPENSE = "heavy_expense", _("Heavy necessary expenses")

    area_lookup = "household__area"

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="monitoring", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    monthly_expenses = models.DecimalField(
        _("necessary expenses each month"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("Medical care, schooling…: taken from the income when watching it."),
    )
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("no longer watched from"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[validate_no_formula])
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("monitored household")
        verbose_name_plural = _("monitored households")
        ordering = ["household", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(ended_on__isnull=True),
                name="one_open_monitoring_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_kind_display()}"


class MonitoringAlert(TimeStampedModel):
    """A watched household whose income per member (less its necessary expenses) fell below
    the dibao standard in a month: for a caseworker to act on."""

    class Status(models.TextChoices):
        OPEN = "open", _("To act on")
        DONE = "done", _("Acted on")

    area_lookup = "monitored__household__area"

    monitored = models.ForeignKey(
        MonitoredHousehold,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("monitored household"),
    )
    month = models.DateField(_("month"))
    income_per_member = models.DecimalField(_("income per member"), max_digits=14, decimal_places=2)
    standard = models.DecimalField(_("dibao standard"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    action_note = models.CharField(
        _("what was done"), max_length=300, blank=True, validators=[validate_no_formula]
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("monitoring alert")
        verbose_name_plural = _("monitoring alerts")
        ordering = ["status", "-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["monitored", "month"], name="one_alert_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.monitored} · {self.month:%Y-%m}"
