"""Social assistance. Entitlements (what is paid monthly) are the contract with payments:
payroll providers read them (see relief/payroll.py); everything else in this app feeds them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel


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
