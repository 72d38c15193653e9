"""Elder care's writes: one service per business action (DESIGN.md rule 1). The pages, the
admin, the API and the imports all call these."""

from .allowances import (
    allowance_enrol,
    allowance_resume,
    allowance_stop,
    allowance_suspend,
    first_month_of,
    tier_in,
)
from .centres import centre_advance, centre_create, centre_update
from .inspections import finding_add, finding_close, inspection_record, screening_record
from .institutions import (
    grade_record,
    institution_create,
    institution_update,
    resident_admit,
    resident_discharge,
    resident_update,
)
from .modifications import (
    modification_accept,
    modification_apply,
    modification_assess,
    modification_refuse,
    modification_start_works,
)
from .workers import careworker_create, careworker_leave, training_record

__all__ = [
    "allowance_enrol",
    "allowance_resume",
    "allowance_stop",
    "allowance_suspend",
    "careworker_create",
    "careworker_leave",
    "centre_advance",
    "centre_create",
    "centre_update",
    "finding_add",
    "finding_close",
    "first_month_of",
    "grade_record",
    "inspection_record",
    "institution_create",
    "institution_update",
    "modification_accept",
    "modification_apply",
    "modification_assess",
    "modification_refuse",
    "modification_start_works",
    "resident_admit",
    "resident_discharge",
    "resident_update",
    "screening_record",
    "tier_in",
    "training_record",
]
