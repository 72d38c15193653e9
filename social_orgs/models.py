"""Social organisations (社会组织): the registry, annual inspections, evaluations, the
abnormal-activity and serious-violation lists, enforcement, charities, township social-work
stations, volunteers and the welfare lottery.

Every row belongs to an area: a registered organisation to the county (or township) that
registered it, a community organisation to the township it is filed with (备案)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel
from civil_affairs.core.validators import validate_no_formula

HISTORY_EXCLUDED = ["created_at", "updated_at"]


class OrgType(models.TextChoices):
    """The type, and the digit a civil-affairs credit code carries for it (5 + this digit)."""

    SOCIAL_GROUP = "1", _("Social group")
    SERVICE_AGENCY = "2", _("Social service agency")
    FOUNDATION = "3", _("Foundation")


class Organisation(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DEREGISTERED = "deregistered", _("Deregistered")
        REVOKED = "revoked", _("Revoked")

    class Registration(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        FILED = "filed", _("Community organisation filed at the township")

    TRANSITIONS = {
        Status.ACTIVE: {Status.DEREGISTERED, Status.REVOKED},
        Status.DEREGISTERED: set(),
        Status.REVOKED: set(),
    }
    # fields whose change is recorded as a dated change (变更登记)
    CHANGEABLE = (
        "name",
        "legal_representative",
        "supervising_unit",
        "funds",
        "members",
        "address",
        "business_scope",
    )

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered in"),
        help_text=_("The county for a registered organisation; the township it is filed with."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_formula])
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, help_text=_("5 + type digit…")
    )
    org_type = models.CharField(_("type"), max_length=1, choices=OrgType.choices)
    registration = models.CharField(
        _("registration"),
        max_length=12,
        choices=Registration.choices,
        default=Registration.REGISTERED,
    )
    supervising_unit = models.CharField(
        _("supervising unit"),
        max_length=200,
        blank=True,
        help_text=_("Empty for direct registration."),
    )
    direct_registration = models.BooleanField(_("direct registration"), default=False)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    funds = models.DecimalField(_("registered funds"), max_digits=14, decimal_places=2, default=0)
    members = models.PositiveIntegerField(_("members"), default=0)
    address = models.CharField(_("address"), max_length=200, blank=True)
    business_scope = models.CharField(_("business scope"), max_length=500, blank=True)
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.ACTIVE
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="org_credit_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationChange(TimeStampedModel):
    """A dated change of a registered item (变更登记): what it was and what it became."""

    area_lookup = "organisation__area"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("organisation"),
    )
    changed_on = models.DateField(_("changed on"))
    field = models.CharField(_("item"), max_length=30)
    old_value = models.CharField(_("before"), max_length=500, blank=True)
    new_value = models.CharField(_("after"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("registration change")
        verbose_name_plural = _("registration changes")
        ordering = ["organisation", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.field} · {self.changed_on}"


class Inspection(TimeStampedModel):
    """The annual inspection (年检) of one organisation for one year's work."""

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        BASIC_PASS = "basic_pass", _("Basic pass")
        FAIL = "fail", _("Fail")

    area_lookup = "organisation__area"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("organisation"),
    )
    year = models.PositiveIntegerField(_("year inspected"))
    reported_on = models.DateField(_("report received on"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    rectification = models.TextField(_("rectification required"), blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("annual inspection")
        verbose_name_plural = _("annual inspections")
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_inspection_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.year} · {self.get_result_display()}"


class Evaluation(TimeStampedModel):
    """A grade evaluation (等级评估) 1A–5A; valid for the years a standard sets."""

    area_lookup = "organisation__area"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("organisation"),
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), choices=[(n, f"{n}A") for n in range(1, 6)]
    )
    awarded_on = models.DateField(_("awarded on"))
    valid_until = models.DateField(_("valid until"))
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-awarded_on"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.grade}A"


class ListEntry(TimeStampedModel):
    """A stay on the abnormal-activity list (活动异常名录) or the serious-violation list
    (严重违法失信名单): from `entered_on` until `removed_on`."""

    class Kind(models.TextChoices):
        ABNORMAL = "abnormal", _("Abnormal-activity list")
        SERIOUS = "serious", _("Serious-violation list")

    area_lookup = "organisation__area"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="list_entries",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("list"), max_length=10, choices=Kind.choices)
    entered_on = models.DateField(_("listed on"))
    reason = models.CharField(_("reason"), max_length=300)
    inspection_year = models.PositiveIntegerField(
        _("for the inspection of year"), null=True, blank=True
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["-entered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(removed_on__isnull=True),
                name="one_open_entry_per_list",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organisation}"


class EnforcementCase(TimeStampedModel):
    """A case against an illegal social organisation (非法社会组织)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        BANNED = "banned", _("Banned (取缔)")
        WARNED = "warned", _("Warned and dissolved")
        REFERRED = "referred", _("Referred to the police")
        NO_CASE = "no_case", _("No violation found")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    subject = models.CharField(_("name used by the organisation"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    source = models.CharField(_("source of the lead"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="open")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-opened_on", "id"]

    def __str__(self) -> str:
        return self.subject


class Charity(TimeStampedModel):
    """An organisation recognised as a charity (慈善组织认定) and its public fund-raising status."""

    area_lookup = "organisation__area"

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="charity",
        verbose_name=_("organisation"),
    )
    recognised_on = models.DateField(_("recognised on"))
    public_fundraising = models.BooleanField(_("public fund-raising qualification"), default=False)
    fundraising_since = models.DateField(_("fund-raising qualified since"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("charity")
        verbose_name_plural = _("charities")
        ordering = ["organisation"]

    def __str__(self) -> str:
        return str(self.organisation)


class Donation(TimeStampedModel):
    area_lookup = "charity__organisation__area"

    charity = models.ForeignKey(
        Charity, on_delete=models.PROTECT, related_name="donations", verbose_name=_("charity")
    )
    received_on = models.DateField(_("received on"))
    donor = models.CharField(_("donor"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "id"]

    def __str__(self) -> str:
        return f"{self.donor} · {self.amount}"


class Station(TimeStampedModel):
    """A township social-work station (乡镇社工站)."""

    area_lookup = "area"

    area = models.OneToOneField(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("township")
    )
    name = models.CharField(_("name"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    stars = models.PositiveSmallIntegerField(
        _("star rating"), choices=[(n, "★" * n) for n in range(1, 6)], null=True, blank=True
    )
    villages = models.ManyToManyField(
        "areas.Area",
        blank=True,
        related_name="+",
        verbose_name=_("villages and communities served"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, m2m_fields=[villages])

    class Meta:
        verbose_name = _("social-work station")
        verbose_name_plural = _("social-work stations")
        ordering = ["area"]

    def __str__(self) -> str:
        return self.name


class StationStaff(TimeStampedModel):
    class Qualification(models.TextChoices):
        NONE = "none", _("No qualification")
        ASSISTANT = "assistant", _("Assistant social worker")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        SENIOR = "senior", _("Senior social worker")

    area_lookup = "station__area"

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="staff", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=50)
    qualification = models.CharField(
        _("qualification"), max_length=14, choices=Qualification.choices
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("station staff member")
        verbose_name_plural = _("station staff")
        ordering = ["station", "name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(TimeStampedModel):
    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=50)
    team = models.CharField(_("team"), max_length=200, blank=True)
    registered_on = models.DateField(_("registered on"))
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return self.name


class VolunteerService(TimeStampedModel):
    area_lookup = "volunteer__area"

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="services", verbose_name=_("volunteer")
    )
    served_on = models.DateField(_("served on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    activity = models.CharField(_("activity"), max_length=200)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("volunteer service")
        verbose_name_plural = _("volunteer services")
        ordering = ["-served_on", "id"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.served_on} · {self.hours}"


class LotterySales(TimeStampedModel):
    """Welfare lottery (福彩) sales of one channel in one month."""

    class Channel(models.TextChoices):
        DRAW = "draw", _("Draw games")
        INSTANT = "instant", _("Instant tickets")
        KENO = "keno", _("Fast draw (keno)")
        VIDEO = "video", _("Video lottery")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    month = models.DateField(_("month"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    amount = models.DecimalField(_("sales"), max_digits=14, decimal_places=2)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("lottery sales")
        verbose_name_plural = _("lottery sales")
        ordering = ["-month", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month", "channel"], name="one_sales_row_per_channel_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.get_channel_display()} · {self.amount}"


class FundUse(TimeStampedModel):
    """Use of the welfare lottery's public-welfare fund (彩票公益金) by project."""

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    year = models.PositiveIntegerField(_("year"))
    project = models.CharField(_("project"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("spent on"))
    beneficiaries = models.PositiveIntegerField(_("people reached"), default=0)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("public-welfare fund use")
        verbose_name_plural = _("public-welfare fund uses")
        ordering = ["-spent_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.amount}"
