from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel


class AreaQuerySet(models.QuerySet["Area"]):
    def within(self, *codes: str) -> "AreaQuerySet":
        """The areas with these codes and everything below them (a child's code starts with
        its parent's)."""
        condition = models.Q(pk__in=[])
        for code in codes:
            condition |= models.Q(code__startswith=code)
        return self.filter(condition)


class Area(TimeStampedModel):
    """A node of the administrative tree: county → township/street → village/community.

    A child's code starts with its parent's code (GB/T 2260 for the county, the 12-digit
    statistical division code below it), which the validation below enforces.
    """

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township or street")
        VILLAGE = "village", _("Village or community")

    CODE_LENGTH: dict[str, int] = {Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
    PARENT_LEVEL: dict[str, str] = {Level.TOWNSHIP: Level.COUNTY, Level.VILLAGE: Level.TOWNSHIP}

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent area"),
    )
    approval_delegated = models.BooleanField(
        _("approval delegated to the township"),
        default=False,
        help_text=_("Township approves relief cases itself (审批权下放)."),
    )
    history = HistoricalRecords()

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        length = self.CODE_LENGTH.get(self.level)
        if not self.code.isdigit() or (length and len(self.code) != length):
            errors["code"] = _("A %(level)s code is %(length)d digits.") % {
                "level": self.get_level_display(),
                "length": length or 0,
            }
        expected_parent = self.PARENT_LEVEL.get(self.level)
        if expected_parent is None and self.parent_id:
            errors["parent"] = _("A county has no parent area.")
        elif expected_parent is not None:
            if self.parent is None:
                errors["parent"] = _("This level needs a parent area.")
            elif self.parent.level != expected_parent:
                errors["parent"] = _("The parent of this area must be a %(level)s.") % {
                    "level": self.Level(expected_parent).label
                }
            elif "code" not in errors and not self.code.startswith(self.parent.code):
                errors["code"] = _("The code must start with the parent's code %(code)s.") % {
                    "code": self.parent.code
                }
        if errors:
            raise ValidationError(errors)

    @property
    def township(self) -> "Area | None":
        if self.level == self.Level.TOWNSHIP:
            return self
        if self.level == self.Level.VILLAGE:
            return self.parent
        return None


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    TOWNSHIP_REVIEWER = "township_reviewer", _("Township reviewer")
    COUNTY_APPROVER = "county_approver", _("County approver")
    FINANCE = "finance", _("Finance")
    ADMINISTRATOR = "administrator", _("Administrator")
    # relief: the disabled persons' federation (残联) confirms disability grades
    DISABILITY_FEDERATION = "disability_federation", _("Disabled persons' federation")
    # eldercare
    ELDERCARE_OFFICER = "eldercare_officer", _("Elder-care officer")
    # children
    CHILDREN_OFFICER = "children_officer", _("Children's officer")
    CHILD_SUPERVISOR = "child_supervisor", _("Child supervisor")
    CHILD_DIRECTOR = "child_director", _("Child director")
    # governance
    CIVIL_AFFAIRS_CLERK = "civil_affairs_clerk", _("Township civil affairs clerk")
    GOVERNANCE_OFFICER = "governance_officer", _("Governance officer")
    # social organisations
    REGISTRATION_OFFICER = "registration_officer", _("Registration officer")
    # funerals, marriage registration, place names
    FUNERAL_OFFICER = "funeral_officer", _("Funeral officer")
    MARRIAGE_REGISTRAR = "marriage_registrar", _("Marriage registrar")
    PLACE_NAMES_OFFICER = "place_names_officer", _("Place names officer")


# The level of area each role is assigned at (a child director works in one village, a
# marriage registrar for the whole county). An assignment at another level is refused.
ROLE_LEVELS: dict[str, str] = {
    Role.CASEWORKER: Area.Level.TOWNSHIP,
    Role.TOWNSHIP_REVIEWER: Area.Level.TOWNSHIP,
    Role.COUNTY_APPROVER: Area.Level.COUNTY,
    Role.FINANCE: Area.Level.COUNTY,
    Role.DISABILITY_FEDERATION: Area.Level.COUNTY,
    Role.ELDERCARE_OFFICER: Area.Level.COUNTY,
    Role.CHILDREN_OFFICER: Area.Level.COUNTY,
    Role.CHILD_SUPERVISOR: Area.Level.TOWNSHIP,
    Role.CHILD_DIRECTOR: Area.Level.VILLAGE,
    Role.CIVIL_AFFAIRS_CLERK: Area.Level.TOWNSHIP,
    Role.GOVERNANCE_OFFICER: Area.Level.COUNTY,
    Role.REGISTRATION_OFFICER: Area.Level.COUNTY,
    Role.FUNERAL_OFFICER: Area.Level.COUNTY,
    Role.MARRIAGE_REGISTRAR: Area.Level.COUNTY,
    Role.PLACE_NAMES_OFFICER: Area.Level.COUNTY,
    # administrators: a county or a township
}


class StaffAssignment(TimeStampedModel):
    """A staff member works in `area` and everything below it, in `role`."""

    area_lookup = "area"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("user"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("area")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"

    def clean(self) -> None:
        level = ROLE_LEVELS.get(self.role)
        if level is not None and self.area_id is not None and self.area.level != level:
            raise ValidationError(
                {
                    "area": _("A %(role)s is assigned to a %(level)s.")
                    % {"role": self.get_role_display(), "level": Area.Level(level).label}
                }
            )
