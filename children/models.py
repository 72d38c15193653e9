"""Child welfare (儿童福利): the children's registry, their allowances, the child directors and
supervisors who visit them, mandatory reports of harm and care activities.

Allowances are the contract with payments: the payroll providers (children/payroll.py) read
them, and the amounts of each month come from the standards of that month (children/
standards.py), never from a stored amount.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel


class Category(models.TextChoices):
    ORPHAN_INSTITUTIONAL = "orphan_institutional", _("Orphan in an institution")
    ORPHAN_SCATTERED = "orphan_scattered", _("Orphan living with relatives")
    UNSUPPORTED = "unsupported", _("De-facto unsupported child")
    DIFFICULTY = "difficulty", _("Child in difficulty")
    LEFT_BEHIND = "left_behind", _("Left-behind child")


class Risk(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


class Program(models.TextChoices):
    """The monthly programs this app pays through the payroll."""

    ORPHAN = "orphan_allowance", _("Orphan basic living allowance")
    UNSUPPORTED = "unsupported_child_allowance", _("De-facto unsupported child allowance")


# the program each category is paid under (categories not listed are not paid)
CATEGORY_PROGRAM = {
    Category.ORPHAN_INSTITUTIONAL: Program.ORPHAN,
    Category.ORPHAN_SCATTERED: Program.ORPHAN,
    Category.UNSUPPORTED: Program.UNSUPPORTED,
}
# the variant of the orphan amount standard each category is paid at
CATEGORY_VARIANT = {
    Category.ORPHAN_INSTITUTIONAL: "institutional",
    Category.ORPHAN_SCATTERED: "scattered",
    Category.UNSUPPORTED: "scattered",
}


class Child(TimeStampedModel):
    """A child on the registry: one row per person."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("On the registry")
        CLOSED = "closed", _("Left the registry")

    TRANSITIONS = {Status.ACTIVE: {Status.CLOSED}, Status.CLOSED: {Status.ACTIVE}}

    area_lookup = "area"

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="child", verbose_name=_("child")
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    school = models.CharField(_("school"), max_length=100, blank=True)
    in_full_time_education = models.BooleanField(_("in full-time education"), default=False)
    left_school_on = models.DateField(
        _("left school on"),
        null=True,
        blank=True,
        help_text=_("After the age the allowance ends at, it is paid through this month."),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=Risk.choices, default=Risk.LOW
    )
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [models.Index(fields=["area", "category"], name="child_area_category")]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_category_display()}"


class ParentSituation(TimeStampedModel):
    """Why a parent cannot raise the child (de-facto unsupported), or where they are (left
    behind), with its evidence and when it began and ended."""

    class Parent(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")

    class Situation(models.TextChoices):
        DEAD = "dead", _("Dead")
        MISSING = "missing", _("Missing")
        SEVERE_DISABILITY = "severe_disability", _("Severe disability")
        SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
        PRISON = "prison", _("In prison")
        COMPULSORY_REHAB = "compulsory_rehab", _("In compulsory drug rehabilitation")
        GUARDIANSHIP_REVOKED = "guardianship_revoked", _("Guardianship revoked")
        AWAY_WORKING = "away_working", _("Away working")
        UNABLE_TO_CARE = "unable_to_care", _("Unable to care")
        CARING = "caring", _("Raises the child")

    # the situations that make a child de-facto unsupported (民发〔2019〕62号)
    UNSUPPORTING = frozenset(
        {
            Situation.DEAD,
            Situation.MISSING,
            Situation.SEVERE_DISABILITY,
            Situation.SERIOUS_ILLNESS,
            Situation.PRISON,
            Situation.COMPULSORY_REHAB,
            Situation.GUARDIANSHIP_REVOKED,
        }
    )

    area_lookup = "child__area"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="parents", verbose_name=_("child")
    )
    parent = models.CharField(_("parent"), max_length=10, choices=Parent.choices)
    situation = models.CharField(_("situation"), max_length=30, choices=Situation.choices)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("E.g. released from prison: the category ends from the next month."),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("parent's situation")
        verbose_name_plural = _("parents' situations")
        ordering = ["child", "parent", "id"]

    def __str__(self) -> str:
        return f"{self.get_parent_display()}: {self.get_situation_display()}"


class Guardian(TimeStampedModel):
    """A guardian, or an entrusted guardian (委托监护人) of a left-behind child."""

    area_lookup = "child__area"

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("child")
    )
    name = models.CharField(_("name"), max_length=50)
    relationship = models.CharField(_("relationship"), max_length=30)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    entrusted = models.BooleanField(_("entrusted guardian"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["child", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Allowance(TimeStampedModel):
    """A child's right to a monthly allowance from `start_month` (months are their first day;
    `end_month` is the last month paid). The amount of each month is the standard in force
    that month; the age rule is applied by the payroll's SQL, from the standards."""

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

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="allowances", verbose_name=_("child")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("child")
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    program = models.CharField(_("program"), max_length=40, choices=Program.choices)
    variant = models.CharField(
        _("amount standard"), max_length=20, help_text=_("institutional or scattered")
    )
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"), null=True, blank=True)
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("child allowance")
        verbose_name_plural = _("child allowances")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="stopped"),
                name="one_open_child_allowance",
            )
        ]
        indexes = [models.Index(fields=["program", "area"], name="child_allowance_program")]

    def __str__(self) -> str:
        return f"{self.get_program_display()} · {self.person.name}"


class Appointment(TimeStampedModel):
    """A child director (儿童主任, a village or community) or a child supervisor (儿童督导员, a
    township), from their appointment to its end."""

    class Post(models.TextChoices):
        DIRECTOR = "director", _("Child director")
        SUPERVISOR = "supervisor", _("Child supervisor")

    # the level of area each post serves
    POST_LEVEL = {Post.DIRECTOR: "village", Post.SUPERVISOR: "township"}

    area_lookup = "area"

    post = models.CharField(_("post"), max_length=12, choices=Post.choices)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
    )
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["area__code", "post", "-appointed_on"]

    def __str__(self) -> str:
        return f"{self.get_post_display()} · {self.name}"


class Training(TimeStampedModel):
    area_lookup = "appointment__area"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("trainee")
    )
    trained_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-trained_on", "id"]

    def __str__(self) -> str:
        return f"{self.trained_on} {self.topic}"


class Visit(TimeStampedModel):
    """A visit (探访) to a child: what was found and the risk level it leaves the child at."""

    area_lookup = "child__area"

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="visits", verbose_name=_("child")
    )
    visited_on = models.DateField(_("visited on"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("visitor"),
    )
    findings = models.TextField(_("findings"))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=Risk.choices)
    referral = models.CharField(_("referral"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["child", "visited_on"], name="visit_child_day")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.child}"


class FollowUp(TimeStampedModel):
    """What a high-risk visit opens: someone must act on it by the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    TRANSITIONS = {Status.OPEN: {Status.DONE}, Status.DONE: set()}

    area_lookup = "child__area"

    visit = models.OneToOneField(
        Visit, on_delete=models.PROTECT, related_name="follow_up", verbose_name=_("visit")
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("child")
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"{self.child} · {self.deadline}"


class MandatoryReport(TimeStampedModel):
    """A mandatory report (强制报告) of harm to a minor: seen only by the roles that handle them
    (policy action mandatory_report.view), everywhere."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {
        Status.RECEIVED: {Status.REFERRED, Status.CLOSED},
        Status.REFERRED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    received_at = models.DateTimeField(_("received at"))
    reporter = models.CharField(_("reporter"), max_length=100)
    reporter_unit = models.CharField(_("reporter's unit"), max_length=100, blank=True)
    child_name = models.CharField(_("child's name"), max_length=50)
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child on the registry"),
    )
    description = models.TextField(_("what was reported"))
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    police_case_number = models.CharField(_("police case number"), max_length=50, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("mandatory report")
        verbose_name_plural = _("mandatory reports")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.child_name}"


class CareActivity(TimeStampedModel):
    """A care activity for children: theme, date, area, children reached, what was raised."""

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    held_on = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    children_reached = models.PositiveIntegerField(_("children reached"), default=0)
    funds_raised = models.DecimalField(
        _("funds raised (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    goods_value = models.DecimalField(
        _("goods raised (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("care activity")
        verbose_name_plural = _("care activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.theme}"
