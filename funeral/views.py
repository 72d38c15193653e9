"""Pages of the funeral app: lists with the forms of the actions their role allows. The
views parse input and call the services; `policy` decides who sees and does what.

Each list page is one table (columns and cells built here) and the forms beside it, shown by
the shared templates funeral/list.html and funeral/detail.html."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.forms import add_service_errors
from civil_affairs.core.status import history

from . import forms, selectors, services
from .models import CorrectionTask, Death, DivorceApplication, Marriage, NamingDecision, PlaceName
from .services.marriage import MarriageRefusedError

LIMIT = 200


@dataclass
class Panel:
    """A form beside the table: its title, the form (its prefix names it in the POST) and the
    service call that takes its cleaned data."""

    title: Any
    form: Any
    call: Callable[[dict[str, Any]], Any]
    button: Any = None

    def __post_init__(self) -> None:
        if self.button is None:
            self.button = gettext_lazy("Save")


@dataclass
class Table:
    id: str
    columns: list[Any]
    rows: list[list[Any]] = field(default_factory=list)


def link(text: Any, url: str) -> dict[str, Any]:
    return {"text": text, "url": url}


def _post(request: HttpRequest, panels: list[Panel]) -> HttpResponse | None:
    """Run the panel the POST names; a redirect on success, None to show the errors."""
    if request.method != "POST":
        return None
    for panel in panels:
        if request.POST.get("form") == panel.form.prefix:
            if panel.form.is_valid():
                try:
                    panel.call(dict(panel.form.cleaned_data))
                except ValidationError as exc:
                    add_service_errors(panel.form, exc)
                    return None
                messages.success(request, _("Saved."))
                return redirect(request.get_full_path())
            return None
    return None


def _bound(request: HttpRequest, prefix: str) -> Any:
    return request.POST if request.POST.get("form") == prefix else None


def _filtered(request: HttpRequest, rows: QuerySet[Any], date_field: str) -> QuerySet[Any]:
    """?area=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD: the figures' records links."""
    code = request.GET.get("area", "").strip()
    if code.isdigit():
        lookup = policy.area_lookup(rows.model)
        rows = rows.filter(**{f"{lookup}__in": Area.objects.within(code)})
    for param, op in (("from", "gte"), ("to", "lte")):
        text = request.GET.get(param, "")
        try:
            day = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            day = None
        if day is not None:
            rows = rows.filter(**{f"{date_field}__{op}": day})
    return rows


def _page(
    request: HttpRequest,
    title: Any,
    table: Table,
    panels: list[Panel],
    *,
    intro: Any = "",
    extra: dict[str, Any] | None = None,
    template: str = "funeral/list.html",
) -> HttpResponse:
    done = _post(request, panels)
    if done is not None:
        return done
    context = {"title": title, "table": table, "panels": panels, "intro": intro, **(extra or {})}
    return render(request, template, context)


def _panels(request: HttpRequest, action: str, obj: Any, panels: list[Panel]) -> list[Panel]:
    """The panels the user's role allows (a POST without the role is refused by the service)."""
    if request.method == "POST":
        return panels
    return panels if policy.may(request.user, action, obj) else []


# ==== funerals ===================================================================================


@login_required
def deaths(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = _filtered(
        request, selectors.deaths(user=user, query=request.GET.get("q", "")), "handled_on"
    )
    form = forms.DeathForm(_bound(request, "death"), user=user, prefix="death")
    panels = _panels(
        request,
        "death.record",
        None,
        [
            Panel(
                _("Record a death handled"), form, lambda d: services.death_record(actor=user, **d)
            )
        ],
    )
    if request.method == "POST" and request.POST.get("form") == "send":
        try:
            sent = services.deaths_send(actor=user, area=_county_of(user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Sent to the cross-check as a death list (%(n)d rows).")
                % {"n": Death.objects.filter(sent_list=sent).count()},
            )
        return redirect("funeral:deaths")
    table = Table(
        "deaths",
        [
            _("name"),
            _("ID number"),
            _("date of death"),
            _("disposal"),
            _("handled on"),
            _("area"),
            _("sent to the cross-check"),
            _("fee waiver"),
        ],
    )
    for d in rows[:LIMIT]:
        table.rows.append(
            [
                link(d.name, reverse("funeral:death_detail", args=[d.pk])),
                d.masked_id_number,
                d.died_on,
                d.get_disposal_display(),
                d.handled_on,
                d.area.name,
                d.sent_list.valid_on if d.sent_list else _("not yet"),
                d.fee_waiver.amount if hasattr(d, "fee_waiver") else "",
            ]
        )
    unsent = selectors.deaths_unsent(user=user).count()
    return _page(
        request,
        _("Deaths handled"),
        table,
        panels,
        extra={
            "search": True,
            "send": policy.may(user, "death.send") and unsent,
            "unsent": unsent,
        },
    )


def _county_of(user: Any) -> Area:
    """The highest area the user works in (sending covers all of it)."""
    found = policy.scope(user, Area.objects.order_by("code")).first()
    if found is None:
        raise ValidationError(_("You have no area."))
    return found


@login_required
def death_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    death = selectors.death_get(user=user, pk=pk)
    waiver = getattr(death, "fee_waiver", None)
    if request.method == "POST":
        try:
            services.fee_waiver_pay(actor=user, death=death)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The fees are waived and paid from the special account."))
        return redirect("funeral:death_detail", pk=death.pk)
    facts = [
        (_("name"), death.name),
        (_("ID number"), death.masked_id_number),
        (_("area"), death.area.name),
        (_("date of death"), death.died_on),
        (_("disposal"), death.get_disposal_display()),
        (_("handled on"), death.handled_on),
        (_("funeral home or crematorium"), death.facility),
        (_("cremation certificate number"), death.cremation_certificate),
        (
            _("sent to the cross-check"),
            death.sent_list.valid_on if death.sent_list else _("not yet"),
        ),
        (_("fee waiver"), f"{waiver.amount} ({waiver.paid_on})" if waiver else _("none")),
    ]
    basis = services.fee_waiver_basis(death)
    return render(
        request,
        "funeral/death_detail.html",
        {
            "title": death.name,
            "death": death,
            "facts": facts,
            "basis": basis,
            "may_pay": waiver is None and policy.may(user, "fee_waiver.pay", death),
        },
    )


@login_required
def cemeteries(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.CemeteryForm(_bound(request, "cemetery"), user=user, prefix="cemetery")
    panels = _panels(
        request,
        "cemetery.manage",
        None,
        [
            Panel(
                _("New public cemetery"), form, lambda d: services.cemetery_create(actor=user, **d)
            )
        ],
    )
    table = Table(
        "cemeteries",
        [_("name"), _("area"), _("planned plots"), _("status"), _("progress (percent)")],
    )
    for c in selectors.cemeteries(user=user)[:LIMIT]:
        table.rows.append(
            [
                link(c.name, reverse("funeral:cemetery_detail", args=[c.pk])),
                c.area.name,
                c.planned_plots,
                c.get_status_display(),
                c.progress,
            ]
        )
    return _page(request, _("Public cemeteries"), table, panels)


@login_required
def cemetery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cemetery = selectors.cemetery_get(user=user, pk=pk)
    form = forms.CemeteryReportForm(_bound(request, "report"), prefix="report")
    panels = _panels(
        request,
        "cemetery.manage",
        cemetery,
        [
            Panel(
                _("Construction report"),
                form,
                lambda d: services.cemetery_report(actor=user, cemetery=cemetery, **d),
            )
        ],
    )
    table = Table(
        "reports", [_("reported on"), _("progress (percent)"), _("plots built"), _("note")]
    )
    for r in cemetery.reports.all():
        table.rows.append([r.reported_on, r.progress, r.plots_built, r.note])
    intro = f"{cemetery.area.name} · {cemetery.get_status_display()} · {cemetery.progress}%"
    return _page(request, cemetery.name, table, panels, intro=intro)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.PlanForm(_bound(request, "plan"), user=user, prefix="plan")
    panels = _panels(
        request,
        "cemetery.manage",
        None,
        [Panel(_("New tomb-sweeping plan"), form, lambda d: services.plan_create(actor=user, **d))],
    )
    table = Table(
        "plans",
        [_("year"), _("area"), _("title"), _("from"), _("to"), _("staff on duty"), _("measures")],
    )
    for p in selectors.plans(user=user)[:LIMIT]:
        table.rows.append(
            [p.year, p.area.name, p.title, p.starts_on, p.ends_on, p.staff, p.measures]
        )
    return _page(request, _("Tomb-sweeping plans"), table, panels)


# ==== marriage ==================================================================================


@login_required
def marriages(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = selectors.marriages(user=user, query=request.GET.get("q", ""))
    form = forms.MarriageForm(_bound(request, "marriage"), user=user, prefix="marriage")
    refusal = None
    if request.method == "POST" and request.POST.get("form") == "marriage" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            marriage = services.marriage_register(actor=user, **data)
        except MarriageRefusedError as exc:
            data["refused_on"] = data.pop("registered_on")
            data.pop("certificate_no")
            refusal = services.marriage_refuse(actor=user, **data)
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Registered."))
            return redirect("funeral:marriage_detail", pk=marriage.pk)
    panels = _panels(
        request,
        "marriage.register",
        None,
        [Panel(_("Register a marriage"), form, lambda d: None, _("Register"))],
    )
    table = Table(
        "marriages",
        [
            _("registered on"),
            _("certificate number"),
            _("first party"),
            _("second party"),
            _("status"),
        ],
    )
    for m in rows[:LIMIT]:
        table.rows.append(
            [
                m.registered_on,
                link(m.certificate_no, reverse("funeral:marriage_detail", args=[m.pk])),
                f"{m.party_a_name} {m.party_a_id_number}",
                f"{m.party_b_name} {m.party_b_id_number}",
                m.get_status_display(),
            ]
        )
    return render(
        request,
        "funeral/list.html",
        {
            "title": _("Marriage registration"),
            "table": table,
            "panels": panels,
            "refusal": refusal,
            "search": True,
            "intro": _("Marriage records are shown in full to the marriage registrar only."),
        },
    )


@login_required
def marriage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    marriage = selectors.marriage_get(user=user, pk=pk)
    parties = [
        (marriage.party_a_id_number, marriage.party_a_name),
        (marriage.party_b_id_number, marriage.party_b_name),
    ]
    divorce_form = forms.DivorceForm(_bound(request, "divorce"), prefix="divorce")
    copy_form = forms.ReplacementForm(_bound(request, "copy"), prefix="copy", parties=parties)
    panels = _panels(
        request,
        "marriage.register",
        marriage,
        [
            Panel(
                _("Divorce by agreement: application"),
                divorce_form,
                lambda d: services.divorce_apply(actor=user, marriage=marriage, **d),
            ),
            Panel(
                _("Replacement certificate"),
                copy_form,
                lambda d: services.certificate_replace(actor=user, marriage=marriage, **d),
            ),
        ],
    )
    if marriage.status != Marriage.Status.MARRIED and request.method != "POST":
        panels = panels[1:]
    table = Table(
        "divorces",
        [
            _("applied on"),
            _("cooling-off ends"),
            _("certificate to be applied for by"),
            _("status"),
        ],
    )
    for a in marriage.divorces.all():
        table.rows.append(
            [
                link(a.applied_on, reverse("funeral:divorce_detail", args=[a.pk])),
                a.cooling_off_ends,
                a.certificate_by,
                a.get_status_display(),
            ]
        )
    intro = (
        f"{marriage.party_a_name} {marriage.party_a_id_number} · {marriage.party_b_name} "
        f"{marriage.party_b_id_number} · {marriage.registered_on} · {marriage.get_status_display()}"
    )
    copies = [
        f"{c.get_kind_display()} {c.certificate_no} {c.issued_on}"
        for c in marriage.replacements.all()
    ]
    return _page(
        request, marriage.certificate_no, table, panels, intro=intro, extra={"notes": copies}
    )


@login_required
def divorces(request: HttpRequest) -> HttpResponse:
    table = Table(
        "divorces",
        [
            _("applied on"),
            _("marriage"),
            _("cooling-off ends"),
            _("certificate to be applied for by"),
            _("status"),
        ],
    )
    near_lapse = request.GET.get("near_lapse") == "1"
    rows = (
        selectors.divorces_near_lapse(user=request.user)
        if near_lapse
        else selectors.divorces(user=request.user)
    )
    for a in rows[:LIMIT]:
        table.rows.append(
            [
                link(a.applied_on, reverse("funeral:divorce_detail", args=[a.pk])),
                str(a.marriage),
                a.cooling_off_ends,
                a.certificate_by,
                a.get_status_display(),
            ]
        )
    title = _("Divorce applications near lapse") if near_lapse else _("Divorce applications")
    return _page(request, title, table, [])


@login_required
def divorce_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.divorce_get(user=user, pk=pk)
    marriage = application.marriage
    parties = [
        (marriage.party_a_id_number, marriage.party_a_name),
        (marriage.party_b_id_number, marriage.party_b_name),
    ]
    withdraw = forms.WithdrawForm(_bound(request, "withdraw"), prefix="withdraw", parties=parties)
    certify = forms.CertifyForm(_bound(request, "certify"), prefix="certify")
    panels = _panels(
        request,
        "marriage.register",
        application,
        [
            Panel(
                _("Withdraw (during the cooling-off)"),
                withdraw,
                lambda d: services.divorce_withdraw(actor=user, application=application, **d),
                _("Withdraw"),
            ),
            Panel(
                _("Issue the divorce certificate"),
                certify,
                lambda d: services.divorce_certify(actor=user, application=application, **d),
                _("Issue"),
            ),
        ],
    )
    if application.status != DivorceApplication.Status.PENDING and request.method != "POST":
        panels = []
    table = Table("changes", [_("at"), _("old status"), _("new status"), _("note")])
    for c in history(application):
        table.rows.append([c.at, c.old_status, c.new_status, c.note])
    intro = (
        f"{marriage} · {application.get_status_display()} · "
        + _("cooling-off ends")
        + f" {application.cooling_off_ends} · "
        + _("certificate to be applied for by")
        + f" {application.certificate_by}"
    )
    return _page(request, _("Divorce application"), table, panels, intro=intro)


@login_required
def refusals(request: HttpRequest) -> HttpResponse:
    table = Table("refusals", [_("refused on"), _("first party"), _("second party"), _("reasons")])
    for r in selectors.refusals(user=request.user)[:LIMIT]:
        table.rows.append(
            [
                r.refused_on,
                f"{r.party_a_name} {r.party_a_id_number}",
                f"{r.party_b_name} {r.party_b_id_number}",
                r.reasons,
            ]
        )
    return _page(request, _("Marriage refusals"), table, [])


@login_required
def kinships(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.KinshipForm(_bound(request, "kinship"), user=user, prefix="kinship")
    panels = _panels(
        request,
        "marriage.register",
        None,
        [Panel(_("Record relatives"), form, lambda d: services.kinship_record(actor=user, **d))],
    )
    table = Table(
        "kinships",
        [
            _("first person's ID number"),
            _("second person's ID number"),
            _("relation"),
            _("evidence"),
        ],
    )
    for k in selectors.kinships(user=user)[:LIMIT]:
        table.rows.append([k.id_number_a, k.id_number_b, k.get_degree_display(), k.evidence])
    return _page(request, _("Recorded relatives"), table, panels)


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.AgencyForm(_bound(request, "agency"), user=user, prefix="agency")
    panels = _panels(
        request,
        "agency.manage",
        None,
        [Panel(_("New marriage agency"), form, lambda d: services.agency_create(actor=user, **d))],
    )
    table = Table(
        "agencies",
        [_("name"), _("unified social credit code"), _("area"), _("person in charge"), _("status")],
    )
    for a in selectors.agencies(user=user)[:LIMIT]:
        table.rows.append(
            [
                link(a.name, reverse("funeral:agency_detail", args=[a.pk])),
                a.credit_code,
                a.area.name,
                a.manager,
                a.get_status_display(),
            ]
        )
    return _page(request, _("Marriage agencies"), table, panels)


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    agency = selectors.agency_get(user=user, pk=pk)
    form = forms.AgencyInspectionForm(_bound(request, "inspection"), prefix="inspection")
    panels = _panels(
        request,
        "agency.manage",
        agency,
        [
            Panel(
                _("Record an inspection"),
                form,
                lambda d: services.agency_inspect(actor=user, agency=agency, **d),
            )
        ],
    )
    table = Table("inspections", [_("inspected on"), _("result"), _("findings"), _("rectify by")])
    for i in agency.inspections.all():
        table.rows.append([i.inspected_on, i.get_result_display(), i.findings, i.rectify_by or ""])
    intro = f"{agency.credit_code} · {agency.area.name} · {agency.get_status_display()}"
    return _page(request, agency.name, table, panels, intro=intro)


# ==== place names ===============================================================================


def _import_link(user: Any, key: str) -> str:
    if not policy.may(user, "placename.import"):
        return ""
    try:
        return reverse("imports:upload", args=[key])
    except Exception:  # the staged import is not installed yet
        return ""


@login_required
def places(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = selectors.place_names(
        user=user, query=request.GET.get("q", ""), kind=request.GET.get("kind", "")
    )
    form = forms.PlaceNameForm(_bound(request, "place"), user=user, prefix="place")
    panels = _panels(
        request,
        "placename.manage",
        None,
        [Panel(_("New place name"), form, lambda d: services.place_name_create(actor=user, **d))],
    )
    table = Table(
        "places",
        [_("name"), _("pinyin"), _("kind"), _("area"), _("longitude"), _("latitude"), _("status")],
    )
    for p in rows[:LIMIT]:
        table.rows.append(
            [
                p.name,
                p.pinyin,
                p.get_kind_display(),
                p.area.name,
                p.longitude or "",
                p.latitude or "",
                p.get_status_display(),
            ]
        )
    return _page(
        request,
        _("Place names"),
        table,
        panels,
        extra={"search": True, "import_url": _import_link(user, "funeral.place_names")},
    )


@login_required
def namings(request: HttpRequest) -> HttpResponse:
    user = request.user
    standard = selectors.place_names(user=user).filter(status=PlaceName.Status.STANDARD)
    form = forms.NamingForm(_bound(request, "naming"), user=user, places=standard, prefix="naming")
    panels = _panels(
        request,
        "placename.manage",
        None,
        [
            Panel(
                _("Propose a naming or renaming"),
                form,
                lambda d: services.naming_propose(actor=user, **d),
            )
        ],
    )
    table = Table(
        "namings",
        [
            _("kind"),
            _("new name"),
            _("pinyin"),
            _("area"),
            _("procedure"),
            _("status"),
            _("public notice on"),
        ],
    )
    for n in selectors.naming_decisions(user=user)[:LIMIT]:
        table.rows.append(
            [
                n.get_kind_display(),
                link(n.new_name, reverse("funeral:naming_detail", args=[n.pk])),
                n.new_pinyin,
                n.area.name,
                n.get_procedure_display(),
                n.get_status_display(),
                n.notice_on or "",
            ]
        )
    return _page(request, _("Naming and renaming"), table, panels)


@login_required
def naming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    decision = selectors.naming_get(user=user, pk=pk)
    form = forms.DecideForm(_bound(request, "decide"), prefix="decide")
    panels = _panels(
        request,
        "placename.manage",
        decision,
        [
            Panel(
                _("Decision"),
                form,
                lambda d: services.naming_decide(actor=user, decision=decision, **d),
            )
        ],
    )
    if decision.status != NamingDecision.Status.PROPOSED and request.method != "POST":
        panels = []
    table = Table("changes", [_("at"), _("old status"), _("new status"), _("note")])
    for c in history(decision):
        table.rows.append([c.at, c.old_status, c.new_status, c.note])
    old = (
        f"{decision.place.name} → "
        if decision.place and decision.kind == NamingDecision.Kind.RENAMING
        else ""
    )
    intro = (
        f"{decision.get_kind_display()}: {old}{decision.new_name} ({decision.new_pinyin}) · "
        f"{decision.get_status_display()}"
    )
    if decision.notice_on:
        intro += f" · {_('public notice on')} {decision.notice_on} · {decision.document_no}"
    return _page(request, _("Naming decision"), table, panels, intro=intro)


@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = _filtered(request, selectors.corrections(user=user), "corrected_on")
    form = forms.CorrectionForm(
        _bound(request, "correction"),
        user=user,
        places=selectors.place_names(user=user),
        prefix="correction",
    )
    panels = _panels(
        request,
        "placename.manage",
        None,
        [
            Panel(
                _("New correction task"), form, lambda d: services.correction_open(actor=user, **d)
            )
        ],
    )
    table = Table(
        "corrections",
        [
            _("found on"),
            _("problem"),
            _("place name"),
            _("area"),
            _("status"),
            _("corrected on"),
            _("correction"),
        ],
    )
    for t in rows[:LIMIT]:
        table.rows.append(
            [
                t.found_on,
                link(t.problem, reverse("funeral:correction_detail", args=[t.pk])),
                t.place.name if t.place else "",
                t.area.name,
                t.get_status_display(),
                t.corrected_on or "",
                t.correction,
            ]
        )
    return _page(request, _("Correction tasks"), table, panels)


@login_required
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = selectors.correction_get(user=user, pk=pk)
    form = forms.CorrectionCloseForm(_bound(request, "close"), prefix="close")
    panels = _panels(
        request,
        "placename.manage",
        task,
        [
            Panel(
                _("Corrected"),
                form,
                lambda d: services.correction_close(actor=user, task=task, **d),
            )
        ],
    )
    if task.status != CorrectionTask.Status.OPEN and request.method != "POST":
        panels = []
    table = Table("changes", [_("at"), _("old status"), _("new status"), _("note")])
    for c in history(task):
        table.rows.append([c.at, c.old_status, c.new_status, c.note])
    return _page(
        request,
        task.problem,
        table,
        panels,
        intro=f"{task.area.name} · {task.found_on} · {task.get_status_display()}",
    )


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = _filtered(request, selectors.entry_changes(user=user), "effective_on")
    form = forms.EntryChangeForm(_bound(request, "entry"), user=user, prefix="entry")
    panels = _panels(
        request,
        "placename.manage",
        None,
        [
            Panel(
                _("Record an entry added or changed"),
                form,
                lambda d: services.entry_change_record(actor=user, **d),
            )
        ],
    )
    table = Table(
        "entries",
        [
            _("effective on"),
            _("change"),
            _("entry name"),
            _("12-digit code"),
            _("area"),
            _("what changed"),
            _("document number"),
        ],
    )
    for e in rows[:LIMIT]:
        table.rows.append(
            [
                e.effective_on,
                e.get_change_display(),
                e.entry_name,
                e.entry_code,
                e.area.name,
                e.detail,
                e.document_no,
            ]
        )
    return _page(request, _("Village and community entries"), table, panels)


@login_required
def boundaries(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = selectors.boundaries(user=user)
    inspections = _filtered(request, selectors.boundary_inspections(user=user), "inspected_on")
    if request.GET.get("from") or request.GET.get("to"):
        rows = rows.filter(pk__in=inspections.values("boundary"))
    form = forms.BoundaryForm(_bound(request, "boundary"), user=user, prefix="boundary")
    panels = _panels(
        request,
        "placename.manage",
        None,
        [Panel(_("New boundary"), form, lambda d: services.boundary_create(actor=user, **d))],
    )
    table = Table(
        "boundaries",
        [
            _("name"),
            _("the two sides"),
            _("length (km)"),
            _("area"),
            _("markers"),
            _("last joint inspection"),
        ],
    )
    for b in rows[:LIMIT]:
        last = b.inspections.first()
        table.rows.append(
            [
                link(b.name, reverse("funeral:boundary_detail", args=[b.pk])),
                b.parties,
                b.length_km,
                b.area.name,
                b.markers.count(),
                last.inspected_on if last else "",
            ]
        )
    return _page(request, _("Boundaries"), table, panels)


@login_required
def boundary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    boundary = selectors.boundary_get(user=user, pk=pk)
    marker = forms.MarkerForm(_bound(request, "marker"), prefix="marker")
    inspection = forms.BoundaryInspectionForm(_bound(request, "inspection"), prefix="inspection")
    panels = _panels(
        request,
        "placename.manage",
        boundary,
        [
            Panel(
                _("Joint inspection"),
                inspection,
                lambda d: services.boundary_inspect(actor=user, boundary=boundary, **d),
            ),
            Panel(
                _("New marker"),
                marker,
                lambda d: services.marker_add(actor=user, boundary=boundary, **d),
            ),
        ],
    )
    table = Table(
        "inspections",
        [_("inspected on"), _("parties taking part"), _("markers checked"), _("disputes")],
    )
    for i in boundary.inspections.all():
        table.rows.append([i.inspected_on, i.parties, i.markers_checked, i.disputes])
    notes = [
        f"{m.number} · {m.get_condition_display()} · {m.longitude or ''} {m.latitude or ''}"
        for m in boundary.markers.all()
    ]
    intro = f"{boundary.parties} · {boundary.length_km} km · {boundary.area.name}"
    return _page(
        request,
        boundary.name,
        table,
        panels,
        intro=intro,
        extra={"notes": notes, "notes_title": _("markers")},
    )
