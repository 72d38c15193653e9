"""Community governance (基层治理): village and residents' committees with their members,
vacancies and by-elections, sub-committees and the supervisory committee; the three lists and
the certificates committees no longer issue; village rules; "four deliberations, two
disclosures" and the village-affairs disclosure calendar."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel

HISTORY_EXCLUDED = ["created_at", "updated_at"]


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Committee(TimeStampedModel):
    """A committee of one village or community for one term (任期)."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Villagers' committee")
        RESIDENTS = "residents", _("Residents' committee")
        SUPERVISORY = "supervisory", _("Village affairs supervisory committee")
        MEDIATION = "mediation", _("People's mediation sub-committee")
        SECURITY = "security", _("Public security sub-committee")
        PUBLIC_HEALTH = "public_health", _("Public health sub-committee")
        LIVING_ENVIRONMENT = "living_environment", _("Living environment sub-committee")

    MAIN = (Kind.VILLAGE, Kind.RESIDENTS)
    SUB = (Kind.MEDIATION, Kind.SECURITY, Kind.PUBLIC_HEALTH, Kind.LIVING_ENVIRONMENT)

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
    )
    kind = models.CharField(_("committee"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcommittees",
        verbose_name=_("under the committee"),
    )
    elected_on = models.DateField(_("elected or formed on"))
    term_ends_on = models.DateField(_("term ends on"))
    dissolved_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["area", "kind", "-elected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind"],
                condition=Q(dissolved_on__isnull=True),
                name="one_current_committee_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area.name} · {self.get_kind_display()} ({self.elected_on:%Y})"

    @property
    def is_main(self) -> bool:
        return self.kind in self.MAIN


class Member(TimeStampedModel):
    class Post(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")

    area_lookup = "committee__area"

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="members", verbose_name=_("committee")
    )
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person on file"),
    )
    post = models.CharField(_("post"), max_length=12, choices=Post.choices)
    elected_on = models.DateField(_("elected on"))
    by_election = models.BooleanField(_("elected in a by-election"), default=False)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "post", "name"]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_post_display()}"


class Vacancy(TimeStampedModel):
    """A post left empty during a term, filled by a by-election (补选) after the candidate's
    eligibility check (资格联审)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CHECKED = "checked", _("Candidate found eligible")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Not filled (term ended)")

    TRANSITIONS = {
        Status.OPEN: {Status.CHECKED, Status.CANCELLED},
        Status.CHECKED: {Status.OPEN, Status.FILLED, Status.CANCELLED},
        Status.FILLED: set(),
        Status.CANCELLED: set(),
    }
    PENDING = (Status.OPEN, Status.CHECKED)

    area_lookup = "committee__area"

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("committee")
    )
    post = models.CharField(_("post"), max_length=12, choices=Member.Post.choices)
    former = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("former member"),
    )
    arose_on = models.DateField(_("vacant since"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    candidate_name = models.CharField(_("candidate"), max_length=50, blank=True)
    candidate_sex = models.CharField(
        _("candidate's sex"), max_length=1, choices=Sex.choices, blank=True
    )
    candidate_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("candidate on file"),
    )
    checked_on = models.DateField(_("eligibility checked on"), null=True, blank=True)
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    check_note = models.CharField(_("eligibility check findings"), max_length=500, blank=True)
    held_on = models.DateField(_("by-election held on"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for the candidate"), null=True, blank=True)
    elected = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member elected"),
    )
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["arose_on", "id"]

    def __str__(self) -> str:
        return f"{self.committee} · {self.get_post_display()}"


class ListItem(TimeStampedModel):
    """An item of the three lists (三张清单) of what committees do."""

    class Kind(models.TextChoices):
        AUTONOMY = "autonomy", _("Self-governance matters")
        ASSIST = "assist", _("Matters assisting the government")
        NEGATIVE = "negative", _("Negative list")

    area_lookup = "area"
    area_reads_up = True  # the county's list holds in every village (policy.scope_up)

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    kind = models.CharField(_("list"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("item"), max_length=300)
    basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    listed_on = models.DateField(_("listed on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class CancelledCertificate(TimeStampedModel):
    """A certificate committees no longer issue (取消的证明事项)."""

    class Status(models.TextChoices):
        CANCELLED = "cancelled", _("Cancelled")
        RESTORED = "restored", _("Restored")

    area_lookup = "area"
    area_reads_up = True  # a county's cancellation holds in every village (policy.scope_up)

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    item = models.CharField(_("certificate"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    cancelled_on = models.DateField(_("cancelled on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default="cancelled"
    )
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("cancelled certificate")
        verbose_name_plural = _("cancelled certificates")
        ordering = ["-cancelled_on", "item"]

    def __str__(self) -> str:
        return self.item


class CertificateRequest(TimeStampedModel):
    """A request to a committee for a certificate, issued or refused (with the basis)."""

    class Outcome(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused: the certificate is cancelled")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
    )
    applicant = models.CharField(_("applicant"), max_length=50)
    item = models.CharField(_("certificate asked for"), max_length=200)
    requested_on = models.DateField(_("requested on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    cancelled = models.ForeignKey(
        CancelledCertificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("cancelled item"),
    )
    basis = models.CharField(_("basis of the refusal"), max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_outcome_display()}"


class VillageRules(TimeStampedModel):
    """One version of a village's rules (村规民约) or a community's residents' pact (居民公约)."""

    class Meeting(models.TextChoices):
        VILLAGERS = "villagers", _("Villagers' (residents') meeting")
        REPRESENTATIVES = "representatives", _("Representatives' meeting")

    class Status(models.TextChoices):
        PASSED = "passed", _("Passed by the meeting")
        FILED = "filed", _("Filed with the township")
        IN_FORCE = "in_force", _("In force (legality checked)")
        RETURNED = "returned", _("Returned: not lawful")
        SUPERSEDED = "superseded", _("Superseded")

    TRANSITIONS = {
        Status.PASSED: {Status.FILED},
        Status.FILED: {Status.IN_FORCE, Status.RETURNED},
        Status.IN_FORCE: {Status.SUPERSEDED},
        Status.RETURNED: set(),
        Status.SUPERSEDED: set(),
    }

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    topics = models.CharField(_("topics covered"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    meeting = models.CharField(_("passed by"), max_length=16, choices=Meeting.choices)
    passed_on = models.DateField(_("passed on"))
    attendance = models.PositiveIntegerField(_("present"), default=0)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    filed_on = models.DateField(_("filed with the township on"), null=True, blank=True)
    checked_on = models.DateField(_("legality checked on"), null=True, blank=True)
    check_note = models.CharField(_("legality check findings"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="passed")
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("village rules")
        verbose_name_plural = _("village rules")
        ordering = ["area", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["area", "version"], name="one_rules_version_number"),
            models.UniqueConstraint(
                fields=["area"], condition=Q(status="in_force"), name="one_rules_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} · {self.title} v{self.version}"


class Deliberation(TimeStampedModel):
    """A village decision through "four deliberations, two disclosures" (四议两公开)."""

    class Step(models.IntegerChoices):
        PROPOSED = 1, _("Proposed by the Party branch")
        CONSULTED = 2, _("Discussed by the two committees")
        REVIEWED = 3, _("Reviewed by the Party members' meeting")
        RESOLVED = 4, _("Resolved by the villagers' (representatives') meeting")
        RESOLUTION_DISCLOSED = 5, _("Resolution disclosed")
        RESULT_DISCLOSED = 6, _("Result of implementation disclosed")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
    )
    subject = models.CharField(_("matter decided"), max_length=300)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("deliberation")
        verbose_name_plural = _("deliberations")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.subject


class DeliberationStep(TimeStampedModel):
    area_lookup = "deliberation__area"

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="steps", verbose_name=_("deliberation")
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Deliberation.Step.choices)
    on = models.DateField(_("date"))
    record = models.TextField(_("record"))
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("deliberation step")
        verbose_name_plural = _("deliberation steps")
        ordering = ["deliberation", "step"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "step"], name="one_row_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} · {self.on}"


class Disclosure(TimeStampedModel):
    """One entry of the village-affairs disclosure calendar (村务公开): due and done."""

    class Topic(models.TextChoices):
        AFFAIRS = "affairs", _("Village affairs")
        FINANCE = "finance", _("Finances")
        PARTY = "party", _("Party affairs")

    area_lookup = "area"

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or community"),
    )
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    period_start = models.DateField(_("period from"))
    due_on = models.DateField(_("due on"))
    disclosed_on = models.DateField(_("disclosed on"), null=True, blank=True)
    content = models.TextField(_("what was disclosed"), blank=True)
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["due_on", "area", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "topic", "period_start"], name="one_disclosure_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area.name} · {self.get_topic_display()} · {self.due_on}"
