"""Pages of the relief app. Views parse input, call one service, and render; reads go through
selectors (always scoped by the access policy)."""

from .applications import (
    application_create,
    application_detail,
    application_step,
    approval_queue,
    visit_photo,
)
from .households import (
    household_create,
    household_detail,
    household_edit,
    household_list,
    member_means,
)
from .management import due_reviews, entitlement_detail, entitlement_list, review_detail
from .other import figures, homeless_detail, homeless_list, medical_aid

__all__ = [
    "application_create",
    "application_detail",
    "application_step",
    "approval_queue",
    "due_reviews",
    "entitlement_detail",
    "entitlement_list",
    "figures",
    "homeless_detail",
    "homeless_list",
    "household_create",
    "household_detail",
    "household_edit",
    "household_list",
    "medical_aid",
    "member_means",
    "review_detail",
    "visit_photo",
]
