"""Every write of the relief app, one function per business action (see each module).

The forms, the admin, the import, the API and the Celery tasks all call these.
"""

from .applications import (
    application_accept,
    application_approve,
    application_approve_many,
    application_clear_crosscheck,
    application_create,
    application_pay_first,
    application_record_visit,
    application_refuse,
    application_request_crosscheck,
    application_review,
    application_start_notice,
    application_submit,
    application_withdraw,
)
from .entitlements import (
    apply_amount_change,
    entitlement_change_amount,
    entitlement_create,
    entitlement_gradual_exit,
    entitlement_resume,
    entitlement_stop,
    entitlement_suspend,
)
from .households import (
    clean_member,
    household_create,
    household_set_members,
    household_update,
)
from .other import (
    homeless_close,
    homeless_give_service,
    homeless_intake,
    medical_aid_record,
    patrol_zone_create,
    patrol_zone_update,
)
from .reviews import review_complete, review_mark_overdue, review_schedule

__all__ = [
    "application_accept",
    "application_approve",
    "application_approve_many",
    "application_clear_crosscheck",
    "application_create",
    "application_pay_first",
    "application_record_visit",
    "application_refuse",
    "application_request_crosscheck",
    "application_review",
    "application_start_notice",
    "application_submit",
    "application_withdraw",
    "apply_amount_change",
    "clean_member",
    "entitlement_change_amount",
    "entitlement_create",
    "entitlement_gradual_exit",
    "entitlement_resume",
    "entitlement_stop",
    "entitlement_suspend",
    "homeless_close",
    "homeless_give_service",
    "homeless_intake",
    "household_create",
    "household_set_members",
    "household_update",
    "medical_aid_record",
    "patrol_zone_create",
    "patrol_zone_update",
    "review_complete",
    "review_mark_overdue",
    "review_schedule",
]
