from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from . import policy
from .models import Area, StaffAssignment


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
    assignment, _ = StaffAssignment.objects.get_or_create(user=user, area=area, role=role)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if not user.is_staff:
        user.is_staff = True  # the admin is one of the interfaces every role uses
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_policy_assignments", None)
    user.__dict__.pop("_policy_area_ids", None)
    return assignment
