from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from . import policy
from .models import Area, Role, StaffAssignment


@transaction.atomic
def area_create(
    *, actor: Any, code: str, name: str, level: str, parent: Area | None = None
) -> Area:
    policy.require(actor, "area.manage", area=parent)
    area = Area(code=code, name=name, level=level, parent=parent)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def assignment_create(*, user: Any, area: Area, role: str) -> StaffAssignment:
    """Give `user` `role` in `area` (and below); the role's Django group follows."""
    assignment = StaffAssignment.objects.filter(user=user, area=area, role=role).first()
    if assignment is None:
        assignment = StaffAssignment(user=user, area=area, role=role)
        assignment.full_clean()
        assignment.save()
    _sync_roles(user)
    return assignment


@transaction.atomic
def assignment_save(*, actor: Any, assignment: StaffAssignment) -> StaffAssignment:
    """Add or change an assignment (the admin): only in the actor's own areas, and the user's
    role groups follow (a changed role leaves its old group)."""
    policy.require_area_choice(actor, "area.manage", assignment.area)
    previous = None
    if assignment.pk:
        previous = StaffAssignment.objects.select_related("user").get(pk=assignment.pk).user
    assignment.full_clean()
    assignment.save()
    _sync_roles(assignment.user)
    if previous is not None and previous.pk != assignment.user_id:
        _sync_roles(previous)
    return assignment


def _sync_roles(user: Any) -> None:
    """The user's role groups are exactly the roles of their assignments; staff, since the
    admin is one of the interfaces every role uses."""
    roles = set(StaffAssignment.objects.filter(user=user).values_list("role", flat=True))
    user.groups.remove(*Group.objects.filter(name__in=set(Role.values) - roles))
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    policy.forget(user)
