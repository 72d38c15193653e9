import sys
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from civil_affairs.areas import policy

# The home page's cards: (title, url name, policy action that shows it).
APPS: list[tuple[Any, str, str]] = [
    (_("People"), "people:list", "person.view"),
    (_("Households and cases"), "relief:household_list", "household.view"),
    (_("Approval queue"), "relief:approval_queue", "application.approve"),
    (_("Due reviews"), "relief:due_reviews", "entitlement.review"),
    (_("Payrolls"), "payments:payroll_list", "payroll.view"),
    (_("Fund ledger"), "payments:ledger", "ledger.view"),
    (_("Warnings"), "crosscheck:warning_list", "warning.view"),
    (_("External lists"), "crosscheck:list_upload", "crosscheck.upload"),
    # eldercare
    (_("Care institutions"), "eldercare:institution_list", "eldercare.view"),
    (_("Overdue rectifications"), "eldercare:overdue_list", "inspection.record"),
    (_("Old-age allowance"), "eldercare:allowance_list", "allowance.enrol"),
    # children
    (_("Children's registry"), "children:child_list", "child.view"),
    (_("Follow-ups of high-risk visits"), "children:follow_up_list", "child_visit.record"),
    (_("Mandatory reports"), "children:report_list", "mandatory_report.view"),
    # governance
    (_("Committees and by-elections"), "governance:committee_list", "committee.manage"),
    (_("Village rules and deliberations"), "governance:rules_list", "village_rules.manage"),
    # social organisations
    (_("Social organisations"), "social_orgs:organisation_list", "annual_inspection.record"),
    (_("Social-work stations"), "social_orgs:station_list", "station.manage"),
    # funerals, marriage registration, place names
    (_("Deaths handled"), "funeral:deaths", "funeral.view"),
    (_("Marriage registration"), "funeral:marriages", "marriage.view"),
    (_("Marriage agencies"), "funeral:agencies", "agency.view"),
    (_("Place names"), "funeral:places", "placename.view"),
    # dashboards and the annual report
    (_("Dashboards"), "dashboard:overview", "dashboard.view"),
    (_("Annual work report"), "dashboard:report", "report.view"),
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assignments = policy.assignments(request.user)
    apps = [(title, url) for title, url, action in APPS if policy.may(request.user, action)]
    return render(request, "home.html", {"assignments": assignments, "apps": apps})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the API answers in JSON like every other API error; pages as Django does."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found."))}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 (templates/500.html); or 503 "try again shortly" when the database does not answer
    (a restart, a failover): nothing was saved, and the page says so. Rendered without the
    request's context, whose menus would ask the database again."""
    exc = sys.exc_info()[1]
    context: dict[str, Any] = {"status": 500}
    if isinstance(exc, OperationalError | InterfaceError):
        context = {
            "status": 503,
            "title": _("Service briefly unavailable"),
            "message": _(
                "The database is not answering (it may be restarting). Nothing was saved: "
                "please try again in a moment."
            ),
        }
    if request.path.startswith("/api/"):
        detail = context.get("message") or _("Server error")
        answer: HttpResponse = JsonResponse({"detail": str(detail)}, status=context["status"])
    else:
        answer = HttpResponse(render_to_string("500.html", context), status=context["status"])
    if context["status"] == 503:
        answer["Retry-After"] = "10"
    return answer


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 with the failing part otherwise."""
    state: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = "ok"
    except Exception as exc:
        state["database"] = f"down: {exc.__class__.__name__}"
    state["broker"] = _broker_state()
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **state}, status=200 if healthy else 503
    )


def _broker_state() -> str:
    from civil_affairs.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"down: {exc.__class__.__name__}"
