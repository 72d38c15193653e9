"""The one access policy of the portal.

A staff member works in the areas assigned to them and everything below (a township
assignment covers its villages). Every read goes through `scope(user, queryset)`; every
write through `require(user, action, obj)`. An object outside the user's areas is
answered with 404, never with its data. Which role may do which action is the ACTIONS
table below: the only place such a rule lives.

Models opt in by naming the path to their area: `area_lookup = "household__area"`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Area, Role, StaffAssignment

CASEWORKER = Role.CASEWORKER
REVIEWER = Role.TOWNSHIP_REVIEWER
APPROVER = Role.COUNTY_APPROVER
FINANCE = Role.FINANCE
ADMINISTRATOR = Role.ADMINISTRATOR
FEDERATION = Role.DISABILITY_FEDERATION
ELDERCARE_OFFICER = Role.ELDERCARE_OFFICER
CHILDREN_OFFICER = Role.CHILDREN_OFFICER
CHILD_SUPERVISOR = Role.CHILD_SUPERVISOR
CHILD_DIRECTOR = Role.CHILD_DIRECTOR
CLERK = Role.CIVIL_AFFAIRS_CLERK
GOVERNANCE_OFFICER = Role.GOVERNANCE_OFFICER
REGISTRATION_OFFICER = Role.REGISTRATION_OFFICER
FUNERAL_OFFICER = Role.FUNERAL_OFFICER
REGISTRAR = Role.MARRIAGE_REGISTRAR
PLACE_NAMES_OFFICER = Role.PLACE_NAMES_OFFICER
EVERYONE = frozenset(Role)

# action -> roles that may perform it (in an area that covers the object)
ACTIONS: dict[str, frozenset[str]] = {
    # people
    "person.view": EVERYONE,
    "person.create": frozenset({CASEWORKER, ADMINISTRATOR}),
    "person.update": frozenset({CASEWORKER, ADMINISTRATOR}),
    "person.view_full_id": frozenset({CASEWORKER, REVIEWER, APPROVER, FINANCE, ADMINISTRATOR}),
    "person.export": EVERYONE,
    "person.export_full_id": frozenset({FINANCE, ADMINISTRATOR}),
    # the access log (reveals of people in the user's areas; exports: county-wide)
    "accesslog.view": frozenset({ADMINISTRATOR}),
    # areas and staff
    "area.manage": frozenset({ADMINISTRATOR}),
    # django-celery-beat's periodic tasks and their schedules (county-wide settings)
    "schedule.manage": frozenset({ADMINISTRATOR}),
    # backups of the database and uploaded files (county-wide: a county-level assignment)
    "backup.view": frozenset({ADMINISTRATOR}),
    "backup.run": frozenset({ADMINISTRATOR}),
    # relief
    "household.view": EVERYONE,
    "household.create": frozenset({CASEWORKER, ADMINISTRATOR}),
    "household.update": frozenset({CASEWORKER, ADMINISTRATOR}),
    "household.import": frozenset({CASEWORKER, ADMINISTRATOR}),
    "application.create": frozenset({CASEWORKER}),
    "application.casework": frozenset({CASEWORKER}),  # accept, visit, notice, submit
    "application.review": frozenset({REVIEWER}),
    "application.approve": frozenset({APPROVER}),
    "application.approve_delegated": frozenset({REVIEWER}),  # township approval where delegated
    "application.refuse": frozenset({CASEWORKER, REVIEWER, APPROVER}),
    "application.withdraw": frozenset({CASEWORKER}),
    # the two disability subsidies: the federation confirms the grade (issue 10, item 5)
    "application.confirm_grade": frozenset({FEDERATION}),
    # the county's spot checks of approvals the townships made under delegation
    "spotcheck.manage": frozenset({APPROVER}),
    # delegation of approval per program and dated, holidays, township reserve funds
    "delegation.manage": frozenset({ADMINISTRATOR}),
    "reserve.manage": frozenset({FINANCE, ADMINISTRATOR}),
    # a new payee when the head of household dies (the household's dibao continues)
    "household.change_payee": frozenset({CASEWORKER}),
    # low-income monitoring: register edge and heavy-expense households, act on alerts
    "monitoring.manage": frozenset({CASEWORKER}),
    "entitlement.review": frozenset({CASEWORKER}),
    # stop, suspend, resume, change amount, gradual exit (reviews, cross-check warnings)
    "entitlement.manage": frozenset({CASEWORKER, APPROVER}),
    "homeless.manage": frozenset({CASEWORKER}),
    "medical_aid.record": frozenset({CASEWORKER}),
    "standard.manage": frozenset({ADMINISTRATOR}),
    # payments
    "payroll.view": frozenset({REVIEWER, APPROVER, FINANCE, ADMINISTRATOR}),
    "payroll.generate": frozenset({FINANCE}),
    "payroll.hold": frozenset({FINANCE, APPROVER}),
    "payroll.submit": frozenset({FINANCE}),
    "payroll.approve": frozenset({APPROVER}),
    "payroll.export": frozenset({FINANCE}),
    "payroll.bank_return": frozenset({FINANCE}),
    "payroll.export_full_id": frozenset({FINANCE}),
    "ledger.manage": frozenset({FINANCE}),
    "ledger.view": frozenset({APPROVER, FINANCE, ADMINISTRATOR}),
    # payroll lists (CSV, xlsx) with masked ID numbers and accounts, for those who check them
    "payroll.export_masked": frozenset({REVIEWER, APPROVER, ADMINISTRATOR}),
    "payroll.close": frozenset({FINANCE}),
    "reconciliation.run": frozenset({FINANCE, APPROVER, ADMINISTRATOR}),
    "payment.correct": frozenset({CASEWORKER, ADMINISTRATOR}),  # a failed row's new account
    "overpayment.view": frozenset({CASEWORKER, REVIEWER, APPROVER, FINANCE, ADMINISTRATOR}),
    "overpayment.register": frozenset({CASEWORKER, APPROVER, FINANCE}),
    "overpayment.recover": frozenset({FINANCE}),
    "overpayment.waive": frozenset({APPROVER}),
    # cross-checks
    "crosscheck.upload": frozenset({APPROVER, ADMINISTRATOR}),
    "crosscheck.run": frozenset({APPROVER, ADMINISTRATOR}),
    "crosscheck.view": frozenset({REVIEWER, APPROVER, ADMINISTRATOR}),  # lists and runs
    "crosscheck.rules": frozenset({ADMINISTRATOR}),  # rules, thresholds, the schedule
    "warning.supervise": frozenset({REVIEWER, APPROVER, ADMINISTRATOR}),  # overdue warnings
    "warning.view": EVERYONE,
    "warning.resolve": frozenset({CASEWORKER, APPROVER}),
    # ---- eldercare
    # Pages and lists of institutions, residents, inspections, centres, modifications, care
    # workers and allowances: the county's elder-care officer and the staff who work with
    # elders in townships (a resident's ability level is care data, not a disability record).
    "eldercare.view": frozenset(
        {ELDERCARE_OFFICER, ADMINISTRATOR, CASEWORKER, REVIEWER, APPROVER, CLERK, FINANCE}
    ),
    "institution.manage": frozenset({ELDERCARE_OFFICER, ADMINISTRATOR}),  # and their grades
    "institution.import": frozenset({ELDERCARE_OFFICER, ADMINISTRATOR}),
    "resident.manage": frozenset({ELDERCARE_OFFICER}),  # admit, assess, vaccinate, discharge
    "inspection.record": frozenset({ELDERCARE_OFFICER}),  # inspections and their findings
    "finding.close": frozenset({ELDERCARE_OFFICER}),  # verifies the evidence of a fix
    "screening.record": frozenset({ELDERCARE_OFFICER}),  # illegal fund-raising screening
    "centre.manage": frozenset({ELDERCARE_OFFICER, CLERK}),  # a township clerk: their centres
    "modification.apply": frozenset({ELDERCARE_OFFICER, CASEWORKER, CLERK}),
    "modification.manage": frozenset({ELDERCARE_OFFICER, CLERK}),  # assess, works, refuse
    "modification.accept": frozenset({ELDERCARE_OFFICER}),  # the acceptance check (验收)
    "modification_item.manage": frozenset({ELDERCARE_OFFICER, ADMINISTRATOR}),  # county lists
    "careworker.manage": frozenset({ELDERCARE_OFFICER}),
    # Township caseworkers take old-age allowance applications where the elder is registered
    # (as they do relief's); the county officer too. Stopping and suspending: the same, and the
    # roles that confirm cross-check warnings (a death stops every program).
    "allowance.enrol": frozenset({ELDERCARE_OFFICER, CASEWORKER}),
    "allowance.manage": frozenset({ELDERCARE_OFFICER, CASEWORKER, APPROVER}),
    # ---- children
    "child.view": frozenset(
        {
            CHILDREN_OFFICER,
            CHILD_SUPERVISOR,
            CHILD_DIRECTOR,
            CASEWORKER,
            REVIEWER,
            APPROVER,
            ADMINISTRATOR,
        }
    ),
    "child.register": frozenset(
        {CHILDREN_OFFICER, CHILD_SUPERVISOR, CHILD_DIRECTOR, ADMINISTRATOR}
    ),
    "child.import": frozenset({CHILDREN_OFFICER, ADMINISTRATOR}),
    "child_allowance.manage": frozenset({CHILDREN_OFFICER}),  # grant, suspend, resume, stop
    # stop or suspend from a confirmed cross-check warning (a death, the age of 18)
    "child_allowance.stop": frozenset({CHILDREN_OFFICER, CASEWORKER, APPROVER}),
    "child_staff.manage": frozenset({CHILDREN_OFFICER, ADMINISTRATOR}),  # directors, supervisors
    "child_visit.record": frozenset({CHILDREN_OFFICER, CHILD_SUPERVISOR, CHILD_DIRECTOR}),
    "child_followup.close": frozenset({CHILDREN_OFFICER, CHILD_SUPERVISOR, CHILD_DIRECTOR}),
    # mandatory reports of harm to minors: only those who handle them, in every interface
    "mandatory_report.view": frozenset({CHILDREN_OFFICER, ADMINISTRATOR}),
    "mandatory_report.manage": frozenset({CHILDREN_OFFICER, ADMINISTRATOR}),
    "care_activity.view": EVERYONE,
    "care_activity.record": frozenset({CHILDREN_OFFICER, CHILD_SUPERVISOR, CHILD_DIRECTOR}),
    # ---- governance
    #
    "committee.view": EVERYONE,
    # committees, members, sub-committees, vacancies and eligibility checks, by-elections
    "committee.manage": frozenset({CLERK, GOVERNANCE_OFFICER}),
    "committee.import": frozenset({CLERK, GOVERNANCE_OFFICER}),
    # the three lists and the cancelled certificates (county-wide items)
    "village_list.manage": frozenset({GOVERNANCE_OFFICER}),
    "certificate.request": frozenset({CLERK, GOVERNANCE_OFFICER}),
    # village rules: versions, the township's filing and legality check
    "village_rules.manage": frozenset({CLERK, GOVERNANCE_OFFICER}),
    # "four deliberations, two disclosures" and the disclosure calendar
    "deliberation.manage": frozenset({CLERK, GOVERNANCE_OFFICER}),
    "disclosure.manage": frozenset({CLERK, GOVERNANCE_OFFICER}),
    # ---- social organisations
    #
    "organisation.view": EVERYONE,
    "organisation.register": frozenset({REGISTRATION_OFFICER}),
    "organisation.file": frozenset({REGISTRATION_OFFICER, CLERK}),  # community organisations
    "organisation.change": frozenset({REGISTRATION_OFFICER}),  # changes, deregister, revoke
    "organisation.import": frozenset({REGISTRATION_OFFICER}),
    "annual_inspection.record": frozenset({REGISTRATION_OFFICER}),
    "orglist.manage": frozenset({REGISTRATION_OFFICER}),  # abnormal and serious-violation
    "evaluation.record": frozenset({REGISTRATION_OFFICER}),
    "enforcement.manage": frozenset({REGISTRATION_OFFICER}),
    "charity.manage": frozenset({REGISTRATION_OFFICER}),
    "station.manage": frozenset({REGISTRATION_OFFICER, CLERK}),
    "volunteer.manage": frozenset({REGISTRATION_OFFICER, CLERK}),
    "lottery.manage": frozenset({REGISTRATION_OFFICER}),
    # ---- funerals, marriage registration, place names
    # funerals: deaths handled, fee waivers, cemeteries, tomb-sweeping plans
    "funeral.view": frozenset({FUNERAL_OFFICER, APPROVER, ADMINISTRATOR}),
    "death.record": frozenset({FUNERAL_OFFICER}),
    # deaths sent to the cross-check as a death list: by those who upload its lists
    "death.send": frozenset({APPROVER, ADMINISTRATOR}),
    "fee_waiver.pay": frozenset({FUNERAL_OFFICER}),
    "cemetery.manage": frozenset({FUNERAL_OFFICER}),
    # marriage records (parties' whole ID numbers): the registrar alone
    "marriage.view": frozenset({REGISTRAR}),
    "marriage.register": frozenset({REGISTRAR}),
    "agency.view": frozenset({REGISTRAR, ADMINISTRATOR}),
    "agency.manage": frozenset({REGISTRAR}),
    # place names and boundaries
    "placename.view": frozenset({PLACE_NAMES_OFFICER, CLERK, ADMINISTRATOR}),
    "placename.manage": frozenset({PLACE_NAMES_OFFICER}),
    "placename.import": frozenset({PLACE_NAMES_OFFICER, ADMINISTRATOR}),
    # ---- dashboards and the annual report
    # figures, charts, breakdowns, queues and their xlsx/PNG exports (within the user's areas)
    "dashboard.view": frozenset(
        {
            REVIEWER,
            APPROVER,
            FINANCE,
            ADMINISTRATOR,
            FEDERATION,
            ELDERCARE_OFFICER,
            CHILDREN_OFFICER,
            CHILD_SUPERVISOR,
            CLERK,
            GOVERNANCE_OFFICER,
            REGISTRATION_OFFICER,
            FUNERAL_OFFICER,
            REGISTRAR,
            PLACE_NAMES_OFFICER,
        }
    ),
    "dashboard.refresh": frozenset({APPROVER, FINANCE, ADMINISTRATOR}),  # the payments summary
    "report.view": frozenset({REVIEWER, APPROVER, FINANCE, ADMINISTRATOR}),
    "report.generate": frozenset({REVIEWER, APPROVER, ADMINISTRATOR}),
    "target.manage": frozenset({APPROVER, ADMINISTRATOR}),
}

M = TypeVar("M", bound=models.Model)


def assignments(user: Any) -> list[StaffAssignment]:
    """The user's assignments (area and role), read once per request."""
    cached = getattr(user, "_policy_assignments", None)
    if cached is None:
        cached = list(StaffAssignment.objects.filter(user=user).select_related("area"))
        user._policy_assignments = cached
    return cached


def area_ids(user: Any, roles: Iterable[str] | None = None) -> set[int]:
    """Ids of every area the user works in (for `roles`, or any role), subtrees included."""
    if not getattr(user, "is_authenticated", False):
        return set()
    wanted = set(roles) if roles is not None else None
    codes = {a.area.code for a in assignments(user) if wanted is None or a.role in wanted}
    if not codes:
        return set()
    cache: dict[frozenset[str], set[int]] | None = getattr(user, "_policy_area_ids", None)
    if cache is None:  # getattr/setattr, not __dict__: request.user is a lazy wrapper
        cache = {}
        user._policy_area_ids = cache
    key = frozenset(codes)
    if key not in cache:
        cache[key] = set(Area.objects.within(*codes).values_list("id", flat=True))
    return cache[key]


def forget(user: Any) -> None:
    """Drop what this module remembers of the user (after their assignments change)."""
    for name in ("_policy_assignments", "_policy_area_ids"):
        if hasattr(user, name):
            delattr(user, name)


def roles(user: Any) -> set[str]:
    return {a.role for a in assignments(user)} if user.is_authenticated else set()


def is_unrestricted(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def scope(user: Any, queryset: models.QuerySet[M], action: str | None = None) -> models.QuerySet[M]:
    """Only the rows in the user's areas; with `action`, only in the areas where the user
    holds a role that may do it (the areas a finance officer may generate a payroll for)."""
    if is_unrestricted(user):
        return queryset
    lookup = area_lookup(queryset.model)
    return queryset.filter(**{f"{lookup}__in": area_ids(user, ACTIONS[action] if action else None)})


def scope_up(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """Rows in the user's areas or in the areas above them: for decisions an upper level
    publishes for everyone below (a model with `area_reads_up = True`: the county's
    cancelled certificates and its lists of village duties hold in every village)."""
    if is_unrestricted(user):
        return queryset
    ids = set(area_ids(user))
    for assignment in assignments(user):
        node: Area | None = assignment.area
        while node is not None:
            ids.add(node.pk)
            node = node.parent
    return queryset.filter(**{f"{area_lookup(queryset.model)}__in": ids})


def within(queryset: models.QuerySet[M], area: Area | None) -> models.QuerySet[M]:
    """The rows in `area` or below it (None: all). Not an access rule: combine with `scope`."""
    if area is None:
        return queryset
    if queryset.model is Area:
        return queryset.filter(code__startswith=area.code)
    return queryset.filter(**{f"{area_lookup(queryset.model)}__code__startswith": area.code})


def holds_county_wide(user: Any, action: str) -> bool:
    """Whether the user holds, at a county-level area, a role that may do `action`.

    County-wide settings — rows that belong to no area (match rules, column mappings,
    django-celery-beat's periodic tasks and schedules) — are changed only so: a township
    administrator may not switch off the county's death rule. Settings that do name an area
    (standards, thresholds) follow `require` like everything else, so the county's own rows
    are out of a township user's reach in the same way (their area is above the user's)."""
    if is_unrestricted(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    allowed = ACTIONS[action]
    return any(a.role in allowed and a.area.level == Area.Level.COUNTY for a in assignments(user))


def require_county_wide(user: Any, action: str) -> None:
    """Raise PermissionDenied unless `holds_county_wide(user, action)`."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please log in."))
    if not holds_county_wide(user, action):
        raise PermissionDenied(
            _("Only a county-level role may change this county-wide setting (%(action)s).")
            % {"action": action}
        )


def outside_error(field: str) -> ValidationError:
    """The one message about a person or object outside the user's areas: it says no more
    (not whether the ID number is on file, nor where)."""
    return ValidationError({field: _("Not in your areas.")}, code="outside")


def require_area_choice(user: Any, action: str, area: Area, field: str = "area") -> None:
    """For a form's area choice: an area outside the user's is a field error (the user picked
    it), not a 404; then the role must allow `action` there."""
    if not is_unrestricted(user) and area.pk not in area_ids(user):
        raise ValidationError({field: _("This area is not one of yours.")})
    require(user, action, area=area)


def area_lookup(model: type[models.Model]) -> str:
    if model is Area:
        return "pk"
    try:
        return model.area_lookup  # type: ignore[attr-defined,no-any-return]
    except AttributeError:
        raise TypeError(f"{model.__name__} names no area_lookup: it cannot be scoped") from None


def area_of(obj: models.Model) -> Area:
    if isinstance(obj, Area):
        return obj
    value: Any = obj
    for part in area_lookup(type(obj)).split("__"):
        value = getattr(value, part)
    return value  # type: ignore[no-any-return]


def may(user: Any, action: str, obj: models.Model | None = None, area: Area | None = None) -> bool:
    try:
        require(user, action, obj, area=area)
    except (PermissionDenied, Http404):
        return False
    return True


def require(
    user: Any, action: str, obj: models.Model | None = None, *, area: Area | None = None
) -> None:
    """Raise unless `user` may do `action` to `obj` (or in `area`).

    Outside the user's areas: Http404, so nothing about the object leaks.
    Inside, but not in a role allowed to do it: PermissionDenied with the reason.
    """
    allowed = ACTIONS[action]
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please log in."))
    target = area if area is not None else (area_of(obj) if obj is not None else None)
    if is_unrestricted(user):
        return
    if target is not None and target.pk not in area_ids(user):
        raise Http404
    permitted = area_ids(user, allowed)
    if (target is None and not permitted) or (target is not None and target.pk not in permitted):
        raise PermissionDenied(
            _("Your role does not allow this action (%(action)s).") % {"action": action}
        )
