"""Funerals, marriage registration and place names (DOMAIN.md "funeral").

Marriage records name their parties by ID number and name rather than by `people.Person`:
people who marry here come from anywhere, and a Person row is a beneficiary of this county.
A death names the Person when the deceased is on file (the fee waiver asks the benefits
registry about them), and always their ID number (the cross-check matches on it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel
from civil_affairs.core.validators import mask_id_number

HISTORY = {"excluded_fields": ["created_at", "updated_at"]}


def _area(help_text: Any = "") -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=help_text,
    )


def _user(verbose: Any) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=verbose,
    )


# ==== funerals ==================================================================================


class Death(TimeStampedModel):
    """A death handled by the funeral service: the body cremated, or buried where burial is
    allowed (outside the cremation zones)."""

    class Disposal(models.TextChoices):
        CREMATION = "cremation", _("Cremation")
        BURIAL = "burial", _("Burial (outside the cremation zone)")

    area_lookup = "area"

    area = _area(_("Where the deceased lived: their village or community."))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person on file"),
    )
    id_number = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=100)
    died_on = models.DateField(_("date of death"))
    disposal = models.CharField(
        _("disposal"), max_length=20, choices=Disposal.choices, default=Disposal.CREMATION
    )
    handled_on = models.DateField(_("handled on"))
    facility = models.CharField(_("funeral home or crematorium"), max_length=200, blank=True)
    cremation_certificate = models.CharField(
        _("cremation certificate number"), max_length=40, blank=True
    )
    sent_list = models.ForeignKey(
        "crosscheck.ExternalList",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent to the cross-check in list"),
    )
    recorded_by = _user(_("recorded by"))
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("death handled")
        verbose_name_plural = _("deaths handled")
        ordering = ["-handled_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="funeral_one_death_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.died_on}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def cremated(self) -> bool:
        return self.disposal == self.Disposal.CREMATION


class FeeWaiver(TimeStampedModel):
    """The basic funeral services free of charge (惠民殡葬) for a dibao or extreme-poverty
    family, paid from the special account (one-off program `funeral_fee_waiver`)."""

    area_lookup = "death__area"

    death = models.OneToOneField(
        Death, on_delete=models.PROTECT, related_name="fee_waiver", verbose_name=_("death")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    basis = models.CharField(
        _("basis"), max_length=200, help_text=_("The benefits that made the family eligible.")
    )
    ledger_entry = models.ForeignKey(
        "payments.LedgerEntry",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ledger entry"),
    )
    paid_on = models.DateField(_("paid on"))
    recorded_by = _user(_("recorded by"))
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("fee waiver")
        verbose_name_plural = _("fee waivers")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.death} · {self.amount}"


class Cemetery(TimeStampedModel):
    """A public-welfare cemetery (公益性公墓) and its construction."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        COMPLETED = "completed", _("Completed")

    area_lookup = "area"

    area = _area()
    name = models.CharField(_("name"), max_length=200)
    planned_plots = models.PositiveIntegerField(_("planned plots"), default=0)
    investment = models.DecimalField(
        _("planned investment"), max_digits=14, decimal_places=2, default=0
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("public cemetery")
        verbose_name_plural = _("public cemeteries")
        ordering = ["area__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="funeral_cemetery_name")
        ]

    def __str__(self) -> str:
        return self.name


class CemeteryProgress(models.Model):
    """One report of a cemetery's construction: the percentage done and what was done."""

    history_exempt = "append-only: each row is itself a dated progress report"
    area_lookup = "cemetery__area"

    cemetery = models.ForeignKey(
        Cemetery, on_delete=models.CASCADE, related_name="reports", verbose_name=_("cemetery")
    )
    reported_on = models.DateField(_("reported on"))
    progress = models.PositiveSmallIntegerField(_("progress (percent)"))
    plots_built = models.PositiveIntegerField(_("plots built"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("construction report")
        verbose_name_plural = _("construction reports")
        ordering = ["cemetery", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cemetery} · {self.reported_on} · {self.progress}%"


class TombSweepingPlan(TimeStampedModel):
    """A township's (or the county's) plan for the tomb-sweeping season (清明祭扫)."""

    area_lookup = "area"

    area = _area()
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    measures = models.TextField(_("measures"), blank=True)
    staff = models.PositiveIntegerField(_("staff on duty"), default=0)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("tomb-sweeping plan")
        verbose_name_plural = _("tomb-sweeping plans")
        ordering = ["-year", "area__code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="funeral_one_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"


# ==== marriage registration ======================================================================


class Marriage(TimeStampedModel):
    """A registered marriage between two persons. Only the marriage registrar sees these."""

    class Status(models.TextChoices):
        MARRIED = "married", _("Married")
        DIVORCED = "divorced", _("Divorced")

    TRANSITIONS = {Status.MARRIED: {Status.DIVORCED}, Status.DIVORCED: set()}

    area_lookup = "area"

    area = _area(_("The registry that registered it."))
    registered_on = models.DateField(_("registered on"))
    certificate_no = models.CharField(_("certificate number"), max_length=40)
    party_a_id_number = models.CharField(_("first party's ID number"), max_length=18)
    party_a_name = models.CharField(_("first party's name"), max_length=100)
    party_b_id_number = models.CharField(_("second party's ID number"), max_length=18)
    party_b_name = models.CharField(_("second party's name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.MARRIED
    )
    ended_on = models.DateField(_("divorced on"), null=True, blank=True)
    registrar = _user(_("registrar"))
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("marriage")
        verbose_name_plural = _("marriages")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate_no"], name="funeral_marriage_cert"),
        ]
        indexes = [
            models.Index(fields=["party_a_id_number"], name="funeral_marriage_a"),
            models.Index(fields=["party_b_id_number"], name="funeral_marriage_b"),
        ]

    def __str__(self) -> str:
        return f"{self.party_a_name} · {self.party_b_name} · {self.registered_on}"

    def parties(self) -> tuple[str, str]:
        return (self.party_a_id_number, self.party_b_id_number)


class MarriageRefusal(TimeStampedModel):
    """A marriage registration refused, and why (the notice given to the couple)."""

    history_exempt = "written once: the record of a refusal given at the counter"
    area_lookup = "area"

    area = _area()
    refused_on = models.DateField(_("refused on"))
    party_a_id_number = models.CharField(_("first party's ID number"), max_length=18)
    party_a_name = models.CharField(_("first party's name"), max_length=100)
    party_b_id_number = models.CharField(_("second party's ID number"), max_length=18)
    party_b_name = models.CharField(_("second party's name"), max_length=100)
    reasons = models.TextField(_("reasons"))
    registrar = _user(_("registrar"))

    class Meta:
        verbose_name = _("marriage refusal")
        verbose_name_plural = _("marriage refusals")
        ordering = ["-refused_on", "-id"]

    def __str__(self) -> str:
        return f"{self.party_a_name} · {self.party_b_name} · {self.refused_on}"


class Kinship(TimeStampedModel):
    """Two persons recorded as related in a way that bars their marriage: direct relatives by
    blood, or collateral relatives by blood within three generations."""

    class Degree(models.TextChoices):
        DIRECT = "direct", _("Direct relatives by blood")
        COLLATERAL = "collateral", _("Collateral relatives within three generations")

    area_lookup = "area"

    area = _area()
    id_number_a = models.CharField(_("first person's ID number"), max_length=18)
    id_number_b = models.CharField(_("second person's ID number"), max_length=18)
    degree = models.CharField(_("relation"), max_length=20, choices=Degree.choices)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("recorded relation")
        verbose_name_plural = _("recorded relations")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_a", "id_number_b"], name="funeral_kinship_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number_a)} · {mask_id_number(self.id_number_b)}"


class DivorceApplication(TimeStampedModel):
    """Divorce by agreement (民法典 1076–1078): the application opens a cooling-off period in
    which either party may withdraw; after it, both apply for the certificate within the
    next period, otherwise the application is deemed withdrawn (the daily job)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DEEMED_WITHDRAWN = "deemed_withdrawn", _("Deemed withdrawn")
        CERTIFIED = "certified", _("Divorce certificate issued")

    TRANSITIONS = {
        Status.PENDING: {Status.WITHDRAWN, Status.DEEMED_WITHDRAWN, Status.CERTIFIED},
        Status.WITHDRAWN: set(),
        Status.DEEMED_WITHDRAWN: set(),
        Status.CERTIFIED: set(),
    }

    area_lookup = "area"

    area = _area()
    marriage = models.ForeignKey(
        Marriage, on_delete=models.PROTECT, related_name="divorces", verbose_name=_("marriage")
    )
    applied_on = models.DateField(_("applied on"))
    cooling_off_ends = models.DateField(_("cooling-off ends"))
    certificate_by = models.DateField(_("certificate to be applied for by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    withdrawn_by = models.CharField(_("withdrawn by"), max_length=100, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    certificate_no = models.CharField(_("divorce certificate number"), max_length=40, blank=True)
    registrar = _user(_("registrar"))
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("divorce application")
        verbose_name_plural = _("divorce applications")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["marriage"],
                condition=Q(status="pending"),
                name="funeral_one_pending_divorce",
            )
        ]

    def __str__(self) -> str:
        return f"{self.marriage} · {self.applied_on}"


class CertificateReplacement(TimeStampedModel):
    """A replacement marriage or divorce certificate (补领) for one party."""

    class Kind(models.TextChoices):
        MARRIAGE = "marriage", _("Marriage certificate")
        DIVORCE = "divorce", _("Divorce certificate")

    history_exempt = "written once: the record of a certificate issued again"
    area_lookup = "area"

    area = _area()
    marriage = models.ForeignKey(
        Marriage,
        on_delete=models.PROTECT,
        related_name="replacements",
        verbose_name=_("marriage"),
    )
    kind = models.CharField(_("certificate"), max_length=20, choices=Kind.choices)
    party_id_number = models.CharField(_("party's ID number"), max_length=18)
    issued_on = models.DateField(_("issued on"))
    certificate_no = models.CharField(_("new certificate number"), max_length=40)
    reason = models.CharField(_("reason"), max_length=200)
    registrar = _user(_("registrar"))

    class Meta:
        verbose_name = _("replacement certificate")
        verbose_name_plural = _("replacement certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.certificate_no} · {self.issued_on}"


class MarriageAgency(TimeStampedModel):
    """A marriage agency (婚介) under the bureau's supervision."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    area_lookup = "area"

    area = _area()
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    manager = models.CharField(_("person in charge"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("marriage agency")
        verbose_name_plural = _("marriage agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyInspection(TimeStampedModel):
    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        RECTIFY = "rectify", _("To rectify")
        CLOSED = "closed", _("Ordered to close")

    area_lookup = "agency__area"

    agency = models.ForeignKey(
        MarriageAgency,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("agency"),
    )
    inspected_on = models.DateField(_("inspected on"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    findings = models.TextField(_("findings"), blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    inspector = _user(_("inspector"))
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("agency inspection")
        verbose_name_plural = _("agency inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.inspected_on}"


# ==== place names =================================================================================


class PlaceName(TimeStampedModel):
    """A standard place name (地名管理条例 2022)."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Administrative area")
        VILLAGE = "village", _("Village or community")
        NATURAL_VILLAGE = "natural_village", _("Natural village")
        ROAD = "road", _("Road or street")
        BRIDGE = "bridge", _("Bridge")
        MOUNTAIN = "mountain", _("Mountain")
        WATER = "water", _("River or lake")
        BUILDING = "building", _("Building or residential area")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        STANDARD = "standard", _("Standard name")
        PROPOSED = "proposed", _("Proposed")
        FORMER = "former", _("Former name")
        CANCELLED = "cancelled", _("Cancelled")

    area_lookup = "area"

    area = _area()
    name = models.CharField(_("name"), max_length=100)
    pinyin = models.CharField(_("pinyin"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.STANDARD
    )
    meaning = models.CharField(_("origin and meaning"), max_length=300, blank=True)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["area__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "name"],
                condition=Q(status="standard"),
                name="funeral_one_standard_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class NamingDecision(TimeStampedModel):
    """Naming a place or renaming one: approved by the government, or filed with it, and
    announced to the public (公告). Approving or filing writes the registry."""

    class Kind(models.TextChoices):
        NAMING = "naming", _("Naming")
        RENAMING = "renaming", _("Renaming")

    class Procedure(models.TextChoices):
        APPROVAL = "approval", _("Approval")
        FILING = "filing", _("Filing")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DONE = "done", _("Approved or filed")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = {
        Status.PROPOSED: {Status.DONE, Status.REJECTED},
        Status.DONE: set(),
        Status.REJECTED: set(),
    }

    area_lookup = "area"

    area = _area()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        PlaceName,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("place name"),
        help_text=_("The name renamed; for a naming, the new name once approved."),
    )
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceName.Kind.choices)
    new_name = models.CharField(_("new name"), max_length=100)
    new_pinyin = models.CharField(_("pinyin"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    notice_on = models.DateField(_("public notice on"), null=True, blank=True)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("naming decision")
        verbose_name_plural = _("naming decisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.new_name}"


class CorrectionTask(TimeStampedModel):
    """A fault found in the national place-name database, and its correction."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CORRECTED = "corrected", _("Corrected")

    TRANSITIONS = {Status.OPEN: {Status.CORRECTED}, Status.CORRECTED: set()}

    area_lookup = "area"

    area = _area()
    place = models.ForeignKey(
        PlaceName,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("place name"),
    )
    found_on = models.DateField(_("found on"))
    problem = models.CharField(_("problem"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    correction = models.CharField(_("correction"), max_length=300, blank=True)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("correction task")
        verbose_name_plural = _("correction tasks")
        ordering = ["status", "-found_on", "-id"]

    def __str__(self) -> str:
        return self.problem


class EntryChange(TimeStampedModel):
    """A village or community entry added to the register of divisions or changed in it."""

    class Change(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")

    area_lookup = "area"

    area = _area(_("The village or community (for an entry added: its township)."))
    change = models.CharField(_("change"), max_length=20, choices=Change.choices)
    entry_name = models.CharField(_("entry name"), max_length=100)
    entry_code = models.CharField(_("12-digit code"), max_length=12)
    effective_on = models.DateField(_("effective on"))
    detail = models.CharField(_("what changed"), max_length=300, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("village or community entry change")
        verbose_name_plural = _("village or community entry changes")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_change_display()} · {self.entry_name}"


class Boundary(TimeStampedModel):
    """An administrative boundary line the county keeps (with a neighbour, or between two of
    its townships), with its markers."""

    area_lookup = "area"

    area = _area(_("The county or township that keeps it."))
    name = models.CharField(_("name"), max_length=200)
    parties = models.CharField(_("the two sides"), max_length=200)
    length_km = models.DecimalField(_("length (km)"), max_digits=8, decimal_places=2, default=0)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="funeral_boundary_name")]

    def __str__(self) -> str:
        return self.name


class BoundaryMarker(TimeStampedModel):
    class Condition(models.TextChoices):
        INTACT = "intact", _("Intact")
        DAMAGED = "damaged", _("Damaged")
        MISSING = "missing", _("Missing")

    area_lookup = "boundary__area"

    boundary = models.ForeignKey(
        Boundary, on_delete=models.CASCADE, related_name="markers", verbose_name=_("boundary")
    )
    number = models.CharField(_("marker number"), max_length=40)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.INTACT
    )
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("boundary marker")
        verbose_name_plural = _("boundary markers")
        ordering = ["boundary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["boundary", "number"], name="funeral_marker_number")
        ]

    def __str__(self) -> str:
        return f"{self.boundary} · {self.number}"


class BoundaryInspection(TimeStampedModel):
    """A joint inspection (界线联检) of a boundary by both sides."""

    area_lookup = "boundary__area"

    boundary = models.ForeignKey(
        Boundary, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("boundary")
    )
    inspected_on = models.DateField(_("inspected on"))
    parties = models.CharField(_("parties taking part"), max_length=300)
    markers_checked = models.PositiveIntegerField(_("markers checked"))
    disputes = models.TextField(_("disputes"), blank=True)
    history = HistoricalRecords(**HISTORY)

    class Meta:
        verbose_name = _("joint inspection")
        verbose_name_plural = _("joint inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.boundary} · {self.inspected_on}"
