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
from .management import (
    due_reviews,
    entitlement_detail,
    entitlement_list,
    entitlement_payee,
    review_detail,
)
from .other import figures, homeless_detail, homeless_list, medical_aid
from .rules import (
    change_payee,
    monitoring,
    monitoring_act,
    monitoring_register,
    non_resident_create,
    open_cases,
    public_list,
    spot_check_record,
    spot_checks,
)

__all__ = [
    "application_create",
    "application_detail",
    "application_step",
    "approval_queue",
    "change_payee",
    "due_reviews",
    "entitlement_detail",
    "entitlement_list",
    "entitlement_payee",
    "figures",
    "homeless_detail",
    "homeless_list",
    "household_create",
    "household_detail",
    "household_edit",
    "household_list",
    "medical_aid",
    "member_means",
    "monitoring",
    "monitoring_act",
    "monitoring_register",
    "non_resident_create",
    "open_cases",
    "public_list",
    "review_detail",
    "spot_check_record",
    "spot_checks",
    "visit_photo",
]
