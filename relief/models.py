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
    monthly_amount = models.DecimalField(
        _("monthly amount"), max_digits=14, decimal_places=2, help_text=_("The amount now.")
    )
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    first_payroll_month = models.DateField(
        _("first payroll month"),
        help_text=_("Months before it, from the first month, are paid in it as arrears."),
    )
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    basis = models.JSONField(
        _("basis"), default=dict, blank=True, help_text=_("The standard and inputs it used.")
    )
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
    real_estate = models.PositiveSmallIntegerField(_("homes owned"), default=0)
    deposits = models.DecimalField(
        _("bank deposits"), max_digits=14, decimal_places=2, default=Decimal("0.00")
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
