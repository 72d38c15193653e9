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

from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy

from . import forms, services
from .models import Application

S = Application.Status


@dataclass(frozen=True)
class Step:
    name: str
    label: Any
    form: type[Any]
    statuses: frozenset[str]
    actions: tuple[str, ...]
    call: Callable[..., Any]
    style: str = "primary"


def _visit(actor: Any, application: Application, data: dict[str, Any], files: Any) -> Any:
    return services.application_record_visit(
        actor=actor,
        application=application,
        visited_on=data["visited_on"],
        visitors=data["visitors"],
        findings=data["findings"],
        photos=data.get("photos") or [],
    )


CASEWORK = ("application.casework",)
APPROVERS = ("application.approve", "application.approve_delegated")
STEPS = [
    Step(
        "accept",
        gettext_lazy("Accept"),
        forms.AcceptForm,
        frozenset({S.APPLIED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_accept(
            actor=actor, application=a, note=d["note"]
        ),
    ),
    Step(
        "visit",
        gettext_lazy("Record the home visit"),
        forms.VisitForm,
        frozenset({S.ACCEPTED}),
        CASEWORK,
        _visit,
    ),
    Step(
        "request_crosscheck",
        gettext_lazy("Request the cross-check"),
        forms.AcceptForm,
        frozenset({S.VISITED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_request_crosscheck(
            actor=actor, application=a, note=d["note"]
        ),
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
        "start_notice",
        gettext_lazy("Start the public notice"),
        forms.NoticeForm,
        frozenset({S.CROSSCHECK_CLEARED}),
        CASEWORK,
        lambda actor, a, d, f: services.application_start_notice(
            actor=actor, application=a, start=d["start"]
        ),
    ),
    Step(
        "submit",
        gettext_lazy("Submit to the township"),
        forms.SubmitForm,
        frozenset({S.IN_NOTICE}),
        CASEWORK,
        lambda actor, a, d, f: services.application_submit(
            actor=actor, application=a, objections=d["objections"]
        ),
    ),
    Step(
        "review",
        gettext_lazy("Pass the township review"),
        forms.ReviewForm,
        frozenset({S.SUBMITTED}),
        ("application.review",),
        lambda actor, a, d, f: services.application_review(
            actor=actor, application=a, opinion=d["opinion"]
        ),
    ),
    Step(
        "approve",
        gettext_lazy("Approve"),
        forms.ApproveForm,
        frozenset({S.REVIEWED}),
        APPROVERS,
        lambda actor, a, d, f: services.application_approve(
            actor=actor, application=a, note=d["note"]
        ),
        "success",
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
    if step.name == "submit" and application.program == Application.Kind.TEMPORARY:
        return application.status in (S.IN_NOTICE, S.VISITED)
    if step.name == "pay_first":
        return (
            application.status == S.APPLIED
            and application.urgent
            and application.program == Application.Kind.TEMPORARY
        )
    return application.status in step.statuses


def allowed_steps(user: Any, application: Application) -> list[Step]:
    return [
        step
        for step in STEPS
        if step_applies(step, application)
        and any(policy.may(user, action, application) for action in step.actions)
        # a township approves only where approval is delegated (and within its limit)
        and (step.name != "approve" or services.may_approve(user, application))
    ]
