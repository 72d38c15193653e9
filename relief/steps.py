"""The steps of an application's case, one table for the pages and the API.

Each step names its form (the fields it takes, checked the same way wherever they come
from), the statuses it applies to, the roles that may take it (policy actions) and the
service it calls. Whether the case may really move is the service's rule, not this table's:
the table only decides which buttons a page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy

from . import forms, rules, services
from .models import Application

S = Application.Status


@dataclass(frozen=True)
class Step:
    name: str
    label: Any
    form: type[Any]
    statuses: frozenset[str]  # where the step applies when it is not a move along the path
    actions: tuple[str, ...]
    call: Callable[..., Any]
    style: str = "primary"
    target: str = ""  # the status the step moves the case to, on the case's path


def _visit(actor: Any, application: Application, data: dict[str, Any], files: Any) -> Any:
    return services.application_record_visit(
        actor=actor,
        application=application,
        visited_on=data["visited_on"],
        visitors=data["visitors"],
        findings=data["findings"],
        photos=data.get("photos") or [],
    )


NONE: frozenset[str] = frozenset()
CASEWORK = ("application.casework",)
APPROVERS = ("application.approve", "application.approve_delegated")
STEPS = [
    Step(
        "accept",
        gettext_lazy("Accept"),
        forms.AcceptanceForm,
        NONE,
        CASEWORK,
        lambda actor, a, d, f: services.application_accept(
            actor=actor,
            application=a,
            note=d["note"],
            finance_check_authorised=d["finance_check_authorised"],
            staff_relative=d["staff_relative"],
            staff_relative_note=d["staff_relative_note"],
        ),
        target=S.ACCEPTED,
    ),
    Step(
        "confirm_grade",
        gettext_lazy("Confirm the disability grade (federation)"),
        forms.GradeForm,
        NONE,
        ("application.confirm_grade",),
        lambda actor, a, d, f: services.application_confirm_grade(
            actor=actor,
            application=a,
            grade=d["grade"],
            disability_type=d["disability_type"],
            note=d["note"],
        ),
        target=S.GRADE_CONFIRMED,
    ),
    Step(
        "visit",
        gettext_lazy("Record the home visit"),
        forms.VisitForm,
        NONE,
        CASEWORK,
        _visit,
        target=S.VISITED,
    ),
    Step(
        "record_authorisation",
        gettext_lazy("The signed authorisation to check finances is on file"),
        forms.AcceptForm,
        NONE,
        CASEWORK,
        lambda actor, a, d, f: services.application_record_authorisation(
            actor=actor, application=a, note=d["note"]
        ),
        "secondary",
    ),
    Step(
        "request_crosscheck",
        gettext_lazy("Request the cross-check"),
        forms.AcceptForm,
        NONE,
        CASEWORK,
        lambda actor, a, d, f: services.application_request_crosscheck(
            actor=actor, application=a, note=d["note"]
        ),
        target=S.CROSSCHECK_REQUESTED,
    ),
    Step(
        "clear_crosscheck",
        gettext_lazy("Record the cross-check result"),
        forms.CrosscheckResultForm,
        frozenset({S.CROSSCHECK_REQUESTED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_clear_crosscheck(
            actor=actor, application=a, result=d["result"]
        ),
    ),
    Step(
        "submit",
        gettext_lazy("Submit to the township"),
        forms.AcceptForm,
        NONE,
        CASEWORK,
        lambda actor, a, d, f: services.application_submit(
            actor=actor, application=a, note=d["note"]
        ),
        target=S.SUBMITTED,
    ),
    Step(
        "review",
        gettext_lazy("Give the township's first opinion"),
        forms.ReviewForm,
        NONE,
        ("application.review",),
        lambda actor, a, d, f: services.application_review(
            actor=actor, application=a, opinion=d["opinion"]
        ),
        target=S.REVIEWED,
    ),
    Step(
        "start_notice",
        gettext_lazy("Start the public notice"),
        forms.NoticeForm,
        NONE,
        CASEWORK,
        lambda actor, a, d, f: services.application_start_notice(
            actor=actor, application=a, start=d["start"]
        ),
        target=S.IN_NOTICE,
    ),
    Step(
        "close_notice",
        gettext_lazy("Close the notice (no founded objection)"),
        forms.SubmitForm,
        frozenset({S.IN_NOTICE}),
        CASEWORK,
        lambda actor, a, d, f: services.application_close_notice(
            actor=actor, application=a, objections=d["objections"]
        ),
    ),
    Step(
        "record_objection",
        gettext_lazy("Objection with grounds: re-investigate"),
        forms.ObjectionForm,
        frozenset({S.IN_NOTICE}),
        CASEWORK,
        lambda actor, a, d, f: services.application_record_objection(
            actor=actor, application=a, objection=d["objection"]
        ),
        "warning",
    ),
    Step(
        "approve",
        gettext_lazy("Approve"),
        forms.ApproveForm,
        NONE,
        APPROVERS,
        lambda actor, a, d, f: services.application_approve(
            actor=actor, application=a, note=d["note"]
        ),
        "success",
        target=S.APPROVED,
    ),
    Step(
        "pay_first",
        gettext_lazy("Pay first (urgent)"),
        forms.ApproveForm,
        frozenset({S.APPLIED}),
        APPROVERS,
        lambda actor, a, d, f: services.application_pay_first(
            actor=actor, application=a, note=d["note"]
        ),
        "warning",
    ),
    Step(
        "refuse",
        gettext_lazy("Refuse"),
        forms.ReasonForm,
        frozenset(Application.OPEN),
        ("application.refuse",),
        lambda actor, a, d, f: services.application_refuse(
            actor=actor, application=a, reason=d["reason"]
        ),
        "danger",
    ),
    Step(
        "withdraw",
        gettext_lazy("Withdraw"),
        forms.ReasonForm,
        frozenset(Application.OPEN),
        ("application.withdraw",),
        lambda actor, a, d, f: services.application_withdraw(
            actor=actor, application=a, reason=d["reason"]
        ),
        "secondary",
    ),
]
STEP_BY_NAME = {step.name: step for step in STEPS}


def step_applies(step: Step, application: Application) -> bool:
    if step.name == "visit" and application.documents_pending:
        return True
    if step.name == "record_authorisation":
        return (
            application.is_open
            and not application.finance_check_authorised
            and S.CROSSCHECK_REQUESTED in services.path(application)
        )
    if step.name == "pay_first":
        return (
            application.status == S.APPLIED
            and application.urgent
            and application.program == Application.Kind.TEMPORARY
        )
    if step.target:
        return services.before(application, step.target) == application.status
    return application.status in step.statuses


def _may(user: Any, step: Step, application: Application) -> bool:
    if step.name != "approve" or policy.may(user, "application.approve", application):
        return any(policy.may(user, action, application) for action in step.actions)
    if not policy.may(user, "application.approve_delegated", application):
        return False
    # a township approves only what is delegated to it today (temporary: within its limit)
    township = application.area.township
    if application.program == Application.Kind.TEMPORARY:
        return not application.staff_relative
    return (
        township is not None
        and not application.staff_relative
        and rules.delegated(township, application.program, timezone.localdate())
    )


def allowed_steps(user: Any, application: Application) -> list[Step]:
    return [
        step for step in STEPS if step_applies(step, application) and _may(user, step, application)
    ]
