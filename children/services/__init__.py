"""Every write of the children's app: forms, the admin, the API, imports and the cross-check
call these (DESIGN.md rule 1)."""

from .allowances import (
    allowance_grant,
    allowance_resume,
    allowance_stop,
    allowance_suspend,
    amount_for,
    last_month_by_age,
)
from .monitoring import (
    appointment_create,
    appointment_end,
    follow_up_close,
    training_record,
    visit_record,
)
from .registry import (
    child_close,
    child_register,
    child_update,
    guardian_add,
    parent_situation_end,
)
from .reports import (
    care_activity_record,
    mandatory_report_close,
    mandatory_report_receive,
    mandatory_report_refer,
)

__all__ = [
    "allowance_grant",
    "allowance_resume",
    "allowance_stop",
    "allowance_suspend",
    "amount_for",
    "appointment_create",
    "appointment_end",
    "care_activity_record",
    "child_close",
    "child_register",
    "child_update",
    "follow_up_close",
    "guardian_add",
    "last_month_by_age",
    "mandatory_report_close",
    "mandatory_report_receive",
    "mandatory_report_refer",
    "parent_situation_end",
    "training_record",
    "visit_record",
]
