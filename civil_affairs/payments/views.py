"""Pages of payments: views parse input, call one service and render; reads go through
selectors, scoped by the access policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.http import safe_next
from civil_affairs.core.status import history
from civil_affairs.core.validators import mask_account

from . import bankfile, forms, selectors, services
from . import reconciliation as reconciliation_module
from .models import (
    ExportJob,
    Overpayment,
    Payment,
    Payroll,
    ReconciliationLine,
    ReconciliationRun,
    program_label,
)

PAGE = 50


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _attachment(stream: Any, name: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---- payrolls


@login_required
def payroll_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "payroll.view")
    status = request.GET.get("status", "")
    page = Paginator(selectors.payroll_list(user=request.user, status=status), PAGE).get_page(
        request.GET.get("page")
    )
    may_generate = policy.may(request.user, "payroll.generate")
    return render(
        request,
        "payments/payroll_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Payroll.Status.choices,
            "may_generate": may_generate,
            "form": forms.GenerateForm(user=request.user) if may_generate else None,
        },
    )


@login_required
def payroll_generate(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "payroll.generate")
    form = forms.GenerateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            payroll = services.payroll_generate(
                actor=request.user,
                month=form.cleaned_data["month"],
                programs=form.cleaned_data["programs"],
                areas=list(form.cleaned_data["areas"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The payroll is being generated."))
            return redirect("payments:payroll_detail", pk=payroll.pk)
    return render(request, "payments/payroll_generate.html", {"form": form})


@login_required
@require_POST
def payroll_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate a draft (or failed) payroll again, for the same month, programs and areas."""
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    try:
        services.payroll_regenerate(actor=request.user, payroll=payroll)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("payments:payroll_detail", pk=pk)


def _actions(user: Any, payroll: Payroll) -> dict[str, bool]:
    """The buttons of a payroll's page: its status allows the action and the user may take it."""
    may = {
        "generate": payroll.kind == Payroll.Kind.REGULAR
        and policy.may(user, "payroll.generate", payroll),
        "discard": policy.may(user, "payroll.generate", payroll),
        "submit": policy.may(user, "payroll.submit", payroll),
        "approve": services.may_approve(user, payroll),
        "return": policy.may(user, "payroll.approve", payroll),
        "export": policy.may(user, "payroll.export", payroll)
        or policy.may(user, "payroll.export_masked", payroll),
        "bank_file": policy.may(user, "payroll.export", payroll),
        "bank_return": policy.may(user, "payroll.bank_return", payroll),
        "close": policy.may(user, "payroll.close", payroll),
        "hold": policy.may(user, "payroll.hold", payroll),
    }
    return {action: allowed and payroll.allows(action) for action, allowed in may.items()}


@login_required
def payroll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    policy.require(request.user, "payroll.view", payroll)
    actions = _actions(request.user, payroll)
    needs = []
    if payroll.status in {Payroll.Status.DRAFT, Payroll.Status.SUBMITTED}:
        balances = services.fund_balances(services.county_of(payroll.area))
        for program, need in sorted(services.payable_by_program(payroll).items()):
            balance = balances.get(program, 0)
            needs.append((program_label(program), need, balance, need <= balance))
    return render(
        request,
        "payments/payroll_detail.html",
        {
            "payroll": payroll,
            "actions": actions,
            "summary": selectors.payroll_summary(payroll),
            "counts": [
                (Payment.Status(s).label, rows, amount)
                for s, (rows, amount) in sorted(selectors.status_counts(payroll).items())
            ],
            "progress": selectors.generation_progress(payroll),
            "may_resume": policy.may(request.user, "payroll.generate", payroll),
            "needs": needs,
            "history": [
                (change, Payroll.Status(change.new_status).label)
                for change in history(payroll)
                if change.new_status in Payroll.Status.values
            ],
            "jobs": selectors.recent_export_jobs(user=request.user, payroll=payroll),
            "bank_returns": payroll.bank_returns.all(),
            "supplements": selectors.supplementary_payrolls(user=request.user, payroll=payroll),
        },
    )


@login_required
def payroll_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it); once the generation ends the page reloads."""
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    response = render(
        request,
        "payments/_progress.html",
        {
            "payroll": payroll,
            "progress": selectors.generation_progress(payroll),
            "may_resume": policy.may(request.user, "payroll.generate", payroll),
        },
    )
    if payroll.status != Payroll.Status.GENERATING and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def payroll_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue again the parts of a generation that are not done and not running."""
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    try:
        queued = services.payroll_resume(actor=request.user, payroll=payroll)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if queued:
            messages.success(
                request,
                ngettext(
                    "%(count)d part queued again.", "%(count)d parts queued again.", len(queued)
                )
                % {"count": len(queued)},
            )
        else:
            messages.info(request, _("Every unfinished part is running now: nothing to resume."))
    return redirect("payments:payroll_detail", pk=pk)


def _payroll_step(service: Any, success: Any) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        payroll = selectors.payroll_get(user=request.user, pk=pk)
        note = request.POST.get("note", "")
        try:
            service(actor=request.user, payroll=payroll, note=note)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, str(success))
        return redirect("payments:payroll_detail", pk=pk)

    return view


payroll_submit = _payroll_step(services.payroll_submit, gettext_lazy("Submitted for approval."))
payroll_approve = _payroll_step(services.payroll_approve, gettext_lazy("Approved."))
payroll_return = _payroll_step(services.payroll_return, gettext_lazy("Sent back to draft."))
payroll_close = _payroll_step(services.payroll_close, gettext_lazy("Closed."))
payroll_discard = _payroll_step(services.payroll_discard, gettext_lazy("The payroll is cancelled."))


# ---- rows, holds


@login_required
def payroll_rows(request: HttpRequest, pk: int) -> HttpResponse:
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    townships = policy.scope(request.user, Area.objects.filter(level=Area.Level.TOWNSHIP))
    township = None
    if request.GET.get("township"):
        township = townships.filter(code=request.GET["township"]).first()
    rows = selectors.payroll_payments(
        user=request.user,
        payroll=payroll,
        status=request.GET.get("status", ""),
        program=request.GET.get("program", ""),
        area=township,
        query=request.GET.get("q", ""),
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    # before approval a row shows the care home or caregiver approval would pay
    payees = services.payees_now([row for row in page if not row.bank_account])
    for row in page:
        row.paid_to = row.payee_name or payees.get(row.pk, ("", ""))[0]  # type: ignore[attr-defined]
    return render(
        request,
        "payments/payroll_rows.html",
        {
            "payroll": payroll,
            "page": page,
            "filters": request.GET,
            "may_hold": _actions(request.user, payroll)["hold"],
            "statuses": Payment.Status.choices,
            "programs": [(p, program_label(p)) for p in payroll.programs],
            "townships": townships.order_by("code"),
            "hold_form": forms.HoldForm(),
        },
    )


@login_required
@require_POST
def payment_hold(request: HttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get(user=request.user, pk=pk)
    form = forms.HoldForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for holding this row."))
        services.payment_hold(
            actor=request.user, payment=payment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(name)s is held.") % {"name": payment.person.name})
    return redirect(safe_next(request, reverse("payments:payroll_rows", args=[payment.payroll_id])))


@login_required
@require_POST
def payment_release(request: HttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get(user=request.user, pk=pk)
    try:
        services.payment_release(actor=request.user, payment=payment)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("%(name)s is back in the payroll.") % {"name": payment.person.name}
        )
    return redirect(safe_next(request, reverse("payments:payroll_rows", args=[payment.payroll_id])))


# ---- exports


@login_required
def payroll_export_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    try:
        stream, name = services.payroll_export_csv(actor=request.user, payroll=payroll)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("payments:payroll_detail", pk=pk)
    return _attachment(stream, name, "text/csv; charset=utf-8")


@login_required
@require_POST
def payroll_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    try:
        services.payroll_export_xlsx(actor=request.user, payroll=payroll)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.info(request, _("The xlsx file is being written; its link appears below."))
    return redirect("payments:payroll_detail", pk=pk)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """An export job's progress (htmx polls it while it runs)."""
    job = selectors.export_job_get(user=request.user, pk=pk)
    return render(request, "payments/_export_job.html", {"job": job})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    path = Path(job.file)
    if job.status != ExportJob.Status.DONE or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_POST
def payroll_bank_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    try:
        stream, name = services.payroll_bank_file(actor=request.user, payroll=payroll)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("payments:payroll_detail", pk=pk)
    return _attachment(stream, name, f"text/plain; charset={bankfile.ENCODING}")


@login_required
def bank_return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    payroll = selectors.payroll_get(user=request.user, pk=pk)
    policy.require(request.user, "payroll.bank_return", payroll)
    form = forms.BankReturnForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            applied = services.bank_return_apply(
                actor=request.user,
                payroll=payroll,
                content=upload.read(),
                file_name=upload.name,
                encoding=form.cleaned_data["encoding"],
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                _("%(paid)d rows paid, %(failed)d failed (%(amount)s yuan back to the fund).")
                % {
                    "paid": applied.paid_rows,
                    "failed": applied.failed_rows,
                    "amount": applied.failed_amount,
                },
            )
            return redirect("payments:payroll_detail", pk=pk)
    return render(
        request,
        "payments/bank_return.html",
        {
            "payroll": payroll,
            "form": form,
            "problems": problems,
            "layout": bankfile.__doc__,
        },
    )


# ---- failed rows: correct and reissue


@login_required
def failed_list(request: HttpRequest) -> HttpResponse:
    if not (
        policy.may(request.user, "payment.correct") or policy.may(request.user, "payroll.generate")
    ):
        policy.require(request.user, "payroll.generate")
    rows = selectors.failed_payments(user=request.user)
    may_reissue = policy.may(request.user, "payroll.generate")
    form = forms.ReissueForm(request.POST or None, rows=rows)
    if request.method == "POST":
        policy.require(request.user, "payroll.generate")
        if form.is_valid():
            try:
                payroll = services.payroll_reissue(
                    actor=request.user,
                    payments=list(form.cleaned_data["payments"]),
                    month=form.cleaned_data["month"],
                    same_account=form.cleaned_data["same_account"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Supplementary payroll created."))
                return redirect("payments:payroll_detail", pk=payroll.pk)
    shown = list(rows[:500])
    accounts = services.accounts_now(shown)  # a payee's row: the payee's account, not the person's
    for row in shown:
        row.account_now = accounts[row.pk]  # type: ignore[attr-defined]
        row.masked_account_now = mask_account(row.account_now)  # type: ignore[attr-defined]
    return render(
        request,
        "payments/failed_list.html",
        {
            "rows": shown,
            "count": rows.count(),
            "form": form,
            "may_reissue": may_reissue,
            "may_correct": policy.may(request.user, "payment.correct"),
        },
    )


@login_required
def payment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get(user=request.user, pk=pk)
    policy.require(request.user, "payment.correct", payment)
    person = payment.person
    form = forms.AccountForm(
        request.POST or None,
        initial={"bank_name": person.bank_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_correct_account(
                actor=request.user, payment=payment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The account of %(name)s is corrected.") % {"name": person.name}
            )
            return redirect("payments:failed_list")
    paid_to_payee = services.PAID_TO_PAYEE % {"payee": payment.payee_name}
    return render(
        request,
        "payments/payment_correct.html",
        {"payment": payment, "form": form, "paid_to_payee": paid_to_payee},
        status=400 if form.errors else 200,
    )


# ---- the fund ledger


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "ledger.view")
    program = request.GET.get("program", "")
    may_manage = policy.may(request.user, "ledger.manage")
    form = forms.AllocationForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        policy.require(request.user, "ledger.manage")
        assert form is not None
        if form.is_valid():
            try:
                services.ledger_allocate(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Allocation recorded."))
                return redirect("payments:ledger")
    entries = selectors.ledger_entries(user=request.user, program=program)
    page = Paginator(entries, PAGE).get_page(request.GET.get("page"))
    reversed_ids = selectors.reversed_entries(list(page))
    return render(
        request,
        "payments/ledger.html",
        {
            "balances": selectors.ledger_balances(user=request.user),
            "page": page,
            "program": program,
            "programs": forms.program_choices(),
            "form": form,
            "may_manage": may_manage,
            "reversed_ids": reversed_ids,
        },
    )


@login_required
@require_POST
def ledger_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.ledger_entries(user=request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    try:
        services.ledger_reverse(actor=request.user, entry=entry, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The entry is reversed."))
    return redirect("payments:ledger")


# ---- overpayments


@login_required
def overpayment_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "overpayment.view")
    status = request.GET.get("status", Overpayment.Status.TO_RECOVER)
    rows = selectors.overpayment_list(user=request.user, status=status)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/overpayment_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Overpayment.Status.choices,
            "may_recover": policy.may(request.user, "overpayment.recover"),
            "may_waive": policy.may(request.user, "overpayment.waive"),
        },
    )


@login_required
@require_POST
def overpayment_recover(request: HttpRequest, pk: int) -> HttpResponse:
    overpayment = selectors.overpayment_get(user=request.user, pk=pk)
    form = forms.RecoverForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the amount recovered."))
        services.overpayment_recover(
            actor=request.user, overpayment=overpayment, **form.cleaned_data
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Recovery booked into the fund."))
    return redirect("payments:overpayment_list")


@login_required
@require_POST
def overpayment_waive(request: HttpRequest, pk: int) -> HttpResponse:
    overpayment = selectors.overpayment_get(user=request.user, pk=pk)
    try:
        services.overpayment_waive(
            actor=request.user, overpayment=overpayment, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The overpayment is waived."))
    return redirect("payments:overpayment_list")


# ---- reconciliation: what is owed against what is paid


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "payroll.view")
    running = ReconciliationRun.objects.filter(status=ReconciliationRun.Status.RUNNING).first()
    run = reconciliation_module.latest_run()
    context: dict[str, Any] = {
        "run": run,
        "running": running,
        "may_run": policy.may(request.user, "reconciliation.run"),
        "may_register": policy.may(request.user, "overpayment.register"),
        "sign": request.GET.get("sign", ""),
    }
    if run is not None:
        lines = selectors.reconciliation_lines(
            user=request.user, run=run, sign=context["sign"], program=request.GET.get("program", "")
        )
        context.update(
            page=Paginator(lines, PAGE).get_page(request.GET.get("page")),
            summary=selectors.reconciliation_summary(user=request.user, run=run),
            as_of=[(program_label(p), m[:7]) for p, m in sorted(run.as_of.items())],
        )
    return render(request, "payments/reconciliation.html", context)


@login_required
@require_POST
def reconciliation_start(request: HttpRequest) -> HttpResponse:
    try:
        services.reconciliation_start(actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("payments:reconciliation")


@login_required
def reconciliation_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of a run (htmx polls it); the page reloads when it is done."""
    policy.require(request.user, "payroll.view")
    run = ReconciliationRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    response = render(request, "payments/_reconciliation_progress.html", {"running": run})
    if run.status != ReconciliationRun.Status.RUNNING and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def reconciliation_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Paid more than owed: register the excess of that month as an overpayment to recover."""
    line = get_object_or_404(
        policy.scope(request.user, ReconciliationLine.objects.select_related("person")), pk=pk
    )
    try:
        if line.difference >= 0:
            raise ValidationError(_("Only a month paid above what is owed can be recovered."))
        found = services.overpayment_register(
            actor=request.user,
            person=line.person,
            program=line.program,
            from_month=line.month,
            to_month=line.month,
            due_amount=line.owed,
            reason=request.POST.get("reason", ""),
            source=f"payments.reconciliation:{line.run_id}",
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("%(count)d overpayments registered for %(name)s.")
            % {"count": len(found), "name": line.person.name},
        )
    return redirect(reverse("payments:reconciliation") + "?sign=too_much")
