"""Every write of payments: one keyword-only function per business action.

Each checks the access policy and the rules, writes the change with its status row in one
transaction and queues side effects (Celery jobs) with `transaction.on_commit`. Pages, the
API, the admin and the Celery tasks call these and nothing else.

The payroll's life: payroll_generate (Celery chunks, payroll_chunk_generate, then
payroll_generation_finish) → payment_hold/payment_release → payroll_submit →
payroll_approve (a county approver who did not generate it; the fund must cover it, and the
disbursement is booked) → payroll_bank_file (sent to the bank) → bank_return_apply (paid /
partly failed; failed amounts return to the fund) → payment_correct_account and
payroll_reissue (a supplementary payroll) → payroll_close.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import logging
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import notes, queue
from civil_affairs.core.money import ZERO, to_yuan
from civil_affairs.core.months import first_of_month, parse_month
from civil_affairs.core.status import first_status, history, transition
from civil_affairs.core.validators import clean_text, compact_account, validate_bank_account
from civil_affairs.people import services as people_services
from civil_affairs.people.models import Person

from . import bankfile, engine, exports, providers, returns
from .models import (
    BankReturn,
    ExportJob,
    LedgerEntry,
    Overpayment,
    Payment,
    Payroll,
    PayrollChunk,
    ReconciliationRun,
    area_ids_under,
    program_label,
)
from .selectors import (
    LOCK_CHUNK,
    STALL,
    chunk_state,
    last_activity,
    running_chunk_ids,
)

# advisory lock classes (pg_advisory_xact_lock(class, key))
LOCK_GENERATE = 40401  # key 0: one regular generation starts at a time
LOCK_LEDGER = 40402  # key: the fund's area id

# what the system writes on a payroll's timeline, read in the reader's language (core.notes)
NOTE_STARTED = notes.register("payments.generation_started", gettext_lazy("Generation started."))
NOTE_AGAIN = notes.register("payments.generated_again", gettext_lazy("Generated again."))
NOTE_GENERATED = notes.register(
    "payments.generated", gettext_lazy("%(rows)d rows, %(amount)s yuan.")
)
NOTE_BANK_FILE = notes.register("payments.bank_file", gettext_lazy("Bank file of %(rows)d rows."))
NOTE_REISSUE = notes.register("payments.reissue", gettext_lazy("Reissue of %(count)d rows."))

MAX_NAMES = 5  # names quoted in a message about many rows
EXPORT_KEEP = datetime.timedelta(days=7)  # how long an xlsx file waits for its download
log = logging.getLogger(__name__)

ANALYZE_AFTER = 10_000  # new rows after which a generation refreshes the table's statistics


# ---- helpers


def _lock(kind: int, key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind, key])


def county_of(area: Area) -> Area:
    """The county above (or at) `area`: whose special account pays it."""
    while area.level != Area.Level.COUNTY and area.parent_id is not None:
        area = area.parent  # type: ignore[assignment]
    return area


def covering_area(areas: Sequence[Area]) -> Area:
    """The smallest area that covers every one of `areas`."""
    codes = [a.code for a in areas]
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    for length in sorted(Area.CODE_LENGTH.values(), reverse=True):
        if len(prefix) >= length:
            found = Area.objects.filter(code=prefix[:length]).first()
            if found is not None:
                return found
    return county_of(areas[0])


def _names(payments: Any) -> str:
    payee_only = providers.payee_only_programs()
    names = [
        _("%(name)s (%(program)s)") % {"name": p.person.name, "program": p.program_label}
        if p.program in payee_only
        else p.person.name
        for p in payments[:MAX_NAMES]
    ]
    return "、".join(names) + ("…" if len(payments) > MAX_NAMES else "")


def _as_month(value: datetime.date | str) -> datetime.date:
    if isinstance(value, str):
        try:
            value = parse_month(value)
        except ValueError:
            raise ValidationError({"month": _("Give a month as YYYY-MM.")}) from None
    return first_of_month(value)


def _refresh_totals(payroll: Payroll) -> None:
    """Recompute the stored rows and amounts per program, area and row status."""
    rows = engine.totals(payroll.pk)
    payroll.totals = rows
    payroll.rows = sum(r["rows"] for r in rows)
    payroll.amount = sum((Decimal(r["amount"]) for r in rows), ZERO)
    held = [r for r in rows if r["status"] == Payment.Status.HELD]
    payroll.held_rows = sum(r["rows"] for r in held)
    payroll.held_amount = sum((Decimal(r["amount"]) for r in held), ZERO)
    payroll.save(
        update_fields=["totals", "rows", "amount", "held_rows", "held_amount", "updated_at"]
    )


def _move_total(payroll: Payroll, payment: Payment, old: str, new: str) -> None:
    """Move one row from status `old` to `new` in the stored totals (holds and releases)."""
    totals = list(payroll.totals)
    for status, sign in ((old, -1), (new, 1)):
        for entry in totals:
            if (entry["program"], entry["area"], entry["status"]) == (
                payment.program,
                payment.area_id,
                status,
            ):
                entry["rows"] += sign
                entry["amount"] = str(Decimal(entry["amount"]) + sign * payment.amount)
                break
        else:
            totals.append(
                {
                    "program": payment.program,
                    "area": payment.area_id,
                    "status": status,
                    "rows": sign,
                    "amount": str(sign * payment.amount),
                }
            )
    payroll.totals = [t for t in totals if t["rows"]]
    held = [t for t in payroll.totals if t["status"] == Payment.Status.HELD]
    payroll.held_rows = sum(t["rows"] for t in held)
    payroll.held_amount = sum((Decimal(t["amount"]) for t in held), ZERO)
    payroll.save(update_fields=["totals", "held_rows", "held_amount", "updated_at"])


def _max_length(model: Any, field: str) -> int:
    """The model field's max_length, the limit of the service's text input for it."""
    return int(model._meta.get_field(field).max_length)


def _locked(payroll: Payroll) -> Payroll:
    return Payroll.objects.select_for_update().get(pk=payroll.pk)


def _require_status(payroll: Payroll, action: str, message: str) -> None:
    """Refuse `action` unless the payroll's status allows it (Payroll.ACTION_STATUSES)."""
    if not payroll.allows(action):
        raise ValidationError(message % {"status": payroll.get_status_display()})


def _missing_accounts(payroll: Payroll) -> None:
    """Refuse while a row to pay has no account: neither the person's nor a payee's (a
    payee-only program's rows need the payee's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.id FROM payments_payment p
              JOIN people_person pp ON pp.id = p.person_id
              LEFT JOIN ({providers.payees_sql()}) x
                ON x.program = p.program AND x.source_id = p.source_id
             WHERE p.payroll_id = %s AND p.status = 'pending'
               AND (pp.bank_account = '' OR p.program = ANY(%s)) AND x.source_id IS NULL
            """,  # noqa: S608 - the providers' own SQL, no user input
            [payroll.pk, providers.payee_only_programs()],
        )
        ids = [row[0] for row in cursor.fetchall()]
    missing = Payment.objects.filter(pk__in=ids).select_related("person").order_by("person__name")
    count = missing.count()
    if count:
        raise ValidationError(
            _(
                "%(count)d rows have no bank account (%(names)s): enter the accounts or hold "
                "the rows first."
            )
            % {"count": count, "names": _names(list(missing[: MAX_NAMES + 1]))},
            code="no_account",
        )


# ---- generation


def _default_areas(actor: Any) -> list[Area]:
    if policy.is_unrestricted(actor):
        return list(Area.objects.filter(level=Area.Level.COUNTY))
    allowed = policy.ACTIONS["payroll.generate"]
    return [a.area for a in policy.assignments(actor) if a.role in allowed]


def _stale(payroll: Payroll) -> bool:
    """A generation with no chunk running and nothing moving for STALL is dead."""
    if running_chunk_ids([payroll.pk]):
        return False
    latest = last_activity(payroll)
    return latest is None or timezone.now() - latest > STALL


@transaction.atomic
def payroll_generate(
    *,
    actor: Any,
    month: datetime.date | str,
    programs: Sequence[str],
    areas: Sequence[Area] | None = None,
    chunk_persons: int | None = None,
) -> Payroll:
    """Start (or rerun) the regular payroll of `month` for `programs` in `areas`.

    The rows are inserted by a Celery chord of chunks (see engine.py); the payroll stays
    "generating", and locked, until the last chunk is done. A second start while it runs is
    refused; a rerun of a draft adds only the rows that are new since (none, usually).
    """
    month = _as_month(month)
    programs = sorted(set(programs))
    if not programs:
        raise ValidationError({"programs": _("Choose at least one program.")})
    # a part (the care subsidy) is never asked for alone; named with its program, it is the
    # same request (a payroll's own programs list its parts)
    known = set(providers.with_parts([p for p in programs if p in providers.payroll_programs()]))
    unknown = [p for p in programs if p not in known]
    if unknown:
        raise ValidationError(
            {"programs": _("Unknown program: %(programs)s.") % {"programs": ", ".join(unknown)}}
        )
    programs = providers.with_parts(programs)  # a part is paid with its program
    chosen = list(areas) if areas else _default_areas(actor)
    if not chosen:
        raise PermissionDenied(_("You have no area to generate a payroll for."))
    for area in chosen:
        policy.require(actor, "payroll.generate", area=area)
    # an area inside another chosen area adds nothing
    chosen = [
        a for a in chosen if not any(b.pk != a.pk and a.code.startswith(b.code) for b in chosen)
    ]
    chosen.sort(key=lambda a: a.code)
    covered = set(area_ids_under(chosen))

    # What a generation inserts depends on what every payroll already pays (owed minus paid,
    # engine.py): two generations that could see the same person and program, in any
    # months, must not run at once.
    _lock(LOCK_GENERATE, 0)
    payroll: Payroll | None = None
    existing = (
        Payroll.objects.select_for_update()
        .filter(kind=Payroll.Kind.REGULAR)
        .filter(Q(month=month) | Q(status=Payroll.Status.GENERATING))
        .exclude(status=Payroll.Status.CANCELLED)
        .prefetch_related("areas")
    )
    for other in existing:
        if not set(other.programs) & set(programs):
            continue
        other_areas = list(other.areas.all())
        if not covered & set(area_ids_under(other_areas)):
            continue
        if other.month != month:
            if not _stale(other):
                raise ValidationError(
                    _(
                        "The payroll for %(month)s (#%(id)d) of some of these programs and "
                        "areas is being generated: wait until it is done."
                    )
                    % {"month": f"{other.month:%Y-%m}", "id": other.pk},
                    code="running",
                )
            continue
        same = sorted(other.programs) == programs and {a.pk for a in other_areas} == {
            a.pk for a in chosen
        }
        if other.status == Payroll.Status.GENERATING and not _stale(other):
            started = timezone.localtime(other.generation_started_at or other.created_at)
            raise ValidationError(
                _(
                    "The payroll for %(month)s (#%(id)d) is being generated since %(time)s: "
                    "wait until it is done."
                )
                % {"month": f"{month:%Y-%m}", "id": other.pk, "time": f"{started:%H:%M:%S}"},
                code="running",
            )
        if not same:
            raise ValidationError(
                _(
                    "Payroll #%(id)d for %(month)s already covers some of these programs and "
                    "areas (%(programs)s)."
                )
                % {
                    "id": other.pk,
                    "month": f"{month:%Y-%m}",
                    "programs": ", ".join(other.program_labels),
                },
                code="overlap",
            )
        if not other.allows("generate") and other.status != Payroll.Status.GENERATING:
            raise ValidationError(
                _(
                    "The payroll for %(month)s (#%(id)d) is already %(status)s; benefits approved "
                    "since are paid as arrears in the next month's payroll."
                )
                % {"month": f"{month:%Y-%m}", "id": other.pk, "status": other.get_status_display()},
                code="closed",
            )
        payroll = other

    now = timezone.now()
    if payroll is None:
        payroll = Payroll.objects.create(
            month=month,
            kind=Payroll.Kind.REGULAR,
            programs=programs,
            area=covering_area(chosen),
            status=Payroll.Status.GENERATING,
            generated_by=actor,
            generation_started_at=now,
        )
        payroll.areas.set(chosen)
        first_status(payroll, actor=actor, note_code=NOTE_STARTED)
    else:
        payroll.generation_started_at = now
        payroll.generation_finished_at = None
        payroll._history_user = actor  # type: ignore[attr-defined]
        transition(payroll, Payroll.Status.GENERATING, actor=actor, note_code=NOTE_AGAIN)
        payroll.chunks.all().delete()
        # a draft pays what is owed now: its rows to pay are made anew (held rows stay held)
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM payments_payment WHERE payroll_id = %s AND status = %s",
                [payroll.pk, Payment.Status.PENDING],
            )

    bounds = Person.objects.aggregate(first=Min("id"), last=Max("id"))
    ranges = (
        engine.plan_chunks(bounds["first"], bounds["last"], chunk_persons or engine.CHUNK_PERSONS)
        if bounds["first"] is not None
        else []
    )
    PayrollChunk.objects.bulk_create(
        PayrollChunk(payroll=payroll, number=n, person_from=lo, person_to=hi)
        for n, (lo, hi) in enumerate(ranges, start=1)
    )
    payroll_id = payroll.pk

    def start() -> None:
        from . import tasks

        tasks.start_generation(payroll_id)

    transaction.on_commit(start)
    return payroll


def payroll_regenerate(*, actor: Any, payroll: Payroll) -> Payroll:
    """Generate a regular draft (or failed) payroll again, for its month, programs and areas.
    A supplementary payroll is made by reissuing rows, never generated."""
    if payroll.kind != Payroll.Kind.REGULAR:
        raise ValidationError(_("A supplementary payroll is not generated: reissue rows instead."))
    _require_status(
        payroll,
        "generate",
        _("Only a draft payroll can be generated again; this one is %(status)s."),
    )
    return payroll_generate(
        actor=actor,
        month=payroll.month,
        programs=payroll.programs,
        areas=list(payroll.areas.all()),
    )


def _scope_area_ids(payroll: Payroll) -> list[int] | None:
    areas = list(payroll.areas.all())
    if any(a.level == Area.Level.COUNTY for a in areas):
        return None  # the whole county: no filter
    return area_ids_under(areas)


def payroll_chunk_generate(*, chunk_id: int, worker: str = "") -> int:
    """Insert one chunk's rows (a Celery task's work); returns the number of new rows.

    Safe to run twice, or at the same time as another run of the same chunk: the chunk's
    lease (an advisory lock) and row are locked, a done chunk does nothing, and a row already
    there is paid, so owed less paid leaves nothing to insert again. First the worker notes
    that it took the chunk (a committed `started_at`), so that a chunk whose worker died is
    seen and resumed.
    """
    with transaction.atomic():
        taken = PayrollChunk.objects.filter(
            pk=chunk_id, done=False, payroll__status=Payroll.Status.GENERATING
        ).update(started_at=timezone.now(), worker=worker[:200])
    if not taken:
        return 0
    return _chunk_insert(chunk_id)


@transaction.atomic
def _chunk_insert(chunk_id: int) -> int:
    _lock(LOCK_CHUNK, chunk_id)  # the lease: held until this transaction ends or dies
    chunk = (
        PayrollChunk.objects.select_for_update(of=("self",))
        .select_related("payroll")
        .filter(pk=chunk_id)
        .first()
    )
    if chunk is None or chunk.done or chunk.payroll.status != Payroll.Status.GENERATING:
        return 0
    payroll = chunk.payroll
    inserted = engine.run_chunk(
        payroll_id=payroll.pk,
        programs=list(payroll.programs),
        month=payroll.month,
        person_range=(chunk.person_from, chunk.person_to),
        area_ids=_scope_area_ids(payroll),
    )
    chunk.done = True
    chunk.inserted = inserted
    chunk.runs += 1
    chunk.finished_at = timezone.now()
    chunk.save(update_fields=["done", "inserted", "runs", "finished_at"])
    # The chord's callback finishes the payroll. Should it never come (a lost result, or a
    # chunk resumed outside the chord), the last chunk does: chunks take the payroll's lock
    # in turn, so exactly one sees all done.
    Payroll.objects.select_for_update(no_key=True).filter(pk=payroll.pk).first()
    if not PayrollChunk.objects.filter(payroll_id=payroll.pk, done=False).exists():
        _queue_finish(payroll.pk)
    return inserted


def _queue_finish(payroll_id: int) -> None:
    def finish() -> None:
        from . import tasks

        tasks.finish_generation.delay(payroll_id)

    # robust: the chord's callback finishes it as well, should the queue be unreachable
    transaction.on_commit(finish, robust=True)


def _requeue(chunks: list[PayrollChunk]) -> list[int]:
    """Send chunks to the queue again (once this transaction commits)."""
    ids = [c.pk for c in chunks]
    if not ids:
        return ids
    PayrollChunk.objects.filter(pk__in=ids).update(
        queued_at=timezone.now(), started_at=None, worker="", resumed=F("resumed") + 1
    )

    def send() -> None:
        from . import tasks

        tasks.queue_chunks(ids)

    transaction.on_commit(send, robust=True)
    return ids


def _resume(payroll: Payroll, *, everything: bool) -> list[int]:
    """Queue again the payroll's interrupted chunks (and, when `everything` or stalled, the
    waiting ones); finish it if every chunk is done. Returns the chunk ids queued."""
    undone = list(
        PayrollChunk.objects.select_for_update(skip_locked=True)
        .filter(payroll=payroll, done=False)
        .order_by("number")
    )
    if not payroll.chunks.filter(done=False).exists():
        _queue_finish(payroll.pk)
        return []
    running = running_chunk_ids([payroll.pk])
    now = timezone.now()
    states = {c.pk: chunk_state(c, running, now) for c in undone}
    wanted = {"interrupted"}
    if everything or _stale(payroll):
        wanted.add("waiting")
    chosen = [c for c in undone if states[c.pk] in wanted]
    if chosen:
        log.warning(
            "payroll %s: %d parts queued again (%s)",
            payroll.pk,
            len(chosen),
            ", ".join(sorted({states[c.pk] for c in chosen})),
        )
    return _requeue(chosen)


@transaction.atomic
def payroll_resume(*, actor: Any, payroll: Payroll) -> list[int]:
    """The payroll page's "resume" button: queue again every part not done and not running
    now (interrupted or waiting). Safe at any time: a part runs once, however often queued."""
    policy.require(actor, "payroll.generate", payroll)
    payroll = _locked(payroll)
    if payroll.status != Payroll.Status.GENERATING:
        raise ValidationError(
            _("Only a payroll being generated can be resumed; this one is %(status)s.")
            % {"status": payroll.get_status_display()}
        )
    return _resume(payroll, everything=True)


def generations_resume() -> int:
    """Every minute (beat) and at each worker's start: resume every generation whose
    interrupted chunks wait for a worker that is gone. Returns the chunks queued again."""
    queued = 0
    for payroll_id in Payroll.objects.filter(status=Payroll.Status.GENERATING).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            payroll = (
                Payroll.objects.select_for_update(skip_locked=True).filter(pk=payroll_id).first()
            )
            if payroll is None or payroll.status != Payroll.Status.GENERATING:
                continue  # another resume or the finish has it
            queued += len(_resume(payroll, everything=False))
    return queued


@transaction.atomic
def payroll_generation_finish(*, payroll_id: int) -> Payroll | None:
    """Total the payroll once every chunk is done and open it as a draft. Idempotent."""
    payroll = Payroll.objects.select_for_update().filter(pk=payroll_id).first()
    if payroll is None or payroll.status != Payroll.Status.GENERATING:
        return payroll
    if payroll.chunks.filter(done=False).exists():
        return payroll
    if sum(payroll.chunks.values_list("inserted", flat=True)) > ANALYZE_AFTER:
        # fresh statistics for the pages and exports that read the new rows next
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE payments_payment")
    _refresh_totals(payroll)
    payroll.generation_finished_at = timezone.now()
    transition(
        payroll,
        Payroll.Status.DRAFT,
        actor=None,
        note_code=NOTE_GENERATED,
        note_params={"rows": payroll.rows, "amount": str(payroll.amount)},
    )
    return payroll


@transaction.atomic
def payroll_generation_failed(*, payroll_id: int, error: str) -> Payroll | None:
    """A chunk failed for good (or the queue could not be reached): unlock the payroll."""
    payroll = Payroll.objects.select_for_update().filter(pk=payroll_id).first()
    if payroll is None or payroll.status != Payroll.Status.GENERATING:
        return payroll
    _refresh_totals(payroll)
    transition(payroll, Payroll.Status.FAILED, actor=None, note=error[:1000])
    return payroll


@transaction.atomic
def payroll_discard(*, actor: Any, payroll: Payroll, note: str) -> Payroll:
    """Cancel a draft (or failed) payroll: its rows are deleted, nothing was paid."""
    policy.require(actor, "payroll.generate", payroll)
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "discard",
        _("Only a draft payroll can be cancelled; this one is %(status)s."),
    )
    note = clean_text(note, "note")
    if not note:
        raise ValidationError({"note": _("Say why the payroll is cancelled.")})
    rows = Payment.objects.filter(payroll=payroll)
    reissued_ids = [
        pk
        for pk in rows.filter(reissue_of__isnull=False).values_list("reissue_of", flat=True)
        if pk is not None  # never None here; it narrows the type for mypy
    ]
    rows._raw_delete(rows.db)  # type: ignore[attr-defined]  # set-based: no signals per row
    if reissued_ids:
        for old in Payment.objects.filter(pk__in=reissued_ids):
            old.reissued = False
            old._history_user = actor  # type: ignore[attr-defined]
            old.save(update_fields=["reissued", "updated_at"])
    payroll.chunks.all().delete()
    _refresh_totals(payroll)
    payroll._history_user = actor  # type: ignore[attr-defined]
    transition(payroll, Payroll.Status.CANCELLED, actor=actor, note=note)
    return payroll


# ---- holds and the approval pipeline


@transaction.atomic
def payment_hold(*, actor: Any, payment: Payment, reason: str) -> Payment:
    """Leave a row out of the payroll's exports and payment, with the reason."""
    policy.require(actor, "payroll.hold", payment)
    reason = clean_text(reason, "reason", max_length=_max_length(Payment, "hold_reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for holding this row.")})
    payroll = _locked(payment.payroll)
    _require_status(
        payroll,
        "hold",
        _("Rows can be held only before the payroll is approved; it is %(status)s."),
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.PENDING:
        raise ValidationError(
            _("This row is already %(status)s.") % {"status": payment.get_status_display()}
        )
    payment.status = Payment.Status.HELD
    payment.hold_reason = reason
    payment._history_user = actor  # type: ignore[attr-defined]
    payment.save(update_fields=["status", "hold_reason", "updated_at"])
    _move_total(payroll, payment, Payment.Status.PENDING, Payment.Status.HELD)
    return payment


@transaction.atomic
def payment_release(*, actor: Any, payment: Payment) -> Payment:
    """Put a held row back into the payroll."""
    policy.require(actor, "payroll.hold", payment)
    payroll = _locked(payment.payroll)
    _require_status(
        payroll,
        "hold",
        _("Rows can be released only before the payroll is approved; it is %(status)s."),
    )
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.HELD:
        raise ValidationError(_("This row is not held."))
    payment.status = Payment.Status.PENDING
    payment.hold_reason = ""
    payment._history_user = actor  # type: ignore[attr-defined]
    payment.save(update_fields=["status", "hold_reason", "updated_at"])
    _move_total(payroll, payment, Payment.Status.HELD, Payment.Status.PENDING)
    return payment


@transaction.atomic
def payroll_submit(*, actor: Any, payroll: Payroll, note: str = "") -> Payroll:
    policy.require(actor, "payroll.submit", payroll)
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "submit",
        _("Only a draft payroll can be submitted; this one is %(status)s."),
    )
    if not payroll.payable_rows:
        raise ValidationError(_("The payroll has no row to pay."), code="empty")
    _missing_accounts(payroll)
    payroll.submitted_by = actor
    payroll._history_user = actor  # type: ignore[attr-defined]
    transition(payroll, Payroll.Status.SUBMITTED, actor=actor, note=note)
    return payroll


@transaction.atomic
def payroll_return(*, actor: Any, payroll: Payroll, note: str) -> Payroll:
    """The approver sends a submitted payroll back to draft, saying why."""
    policy.require(actor, "payroll.approve", payroll)
    note = clean_text(note, "note")
    if not note:
        raise ValidationError({"note": _("Say what has to change.")})
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "return",
        _("Only a submitted payroll can be sent back; this one is %(status)s."),
    )
    payroll._history_user = actor  # type: ignore[attr-defined]
    transition(payroll, Payroll.Status.DRAFT, actor=actor, note=note)
    return payroll


def _preparers(payroll: Payroll) -> set[int]:
    """Users who generated (or generated again) or submitted the payroll."""
    started = (
        history(payroll)
        .filter(
            new_status__in=[Payroll.Status.GENERATING, Payroll.Status.SUBMITTED],
            actor__isnull=False,
        )
        .values_list("actor_id", flat=True)
    )
    ids = set(started) | {payroll.generated_by_id}
    if payroll.submitted_by_id:
        ids.add(payroll.submitted_by_id)
    return ids


def may_approve(actor: Any, payroll: Payroll) -> bool:
    return (
        payroll.allows("approve")
        and policy.may(actor, "payroll.approve", payroll)
        and actor.pk not in _preparers(payroll)
    )


def payable_by_program(payroll: Payroll) -> dict[str, Decimal]:
    """What the payroll's rows to pay need of each program's fund (a part draws on its
    program's, providers.fund_of)."""
    amounts: dict[str, Decimal] = {}
    for entry in payroll.totals:
        if entry["status"] == Payment.Status.PENDING:
            fund = providers.fund_of(entry["program"])
            amounts[fund] = amounts.get(fund, ZERO) + Decimal(entry["amount"])
    return amounts


def fund_balances(fund: Area) -> dict[str, Decimal]:
    """Balance of the special account per program (no policy: callers check it)."""
    balances: dict[str, Decimal] = {}
    rows = (
        LedgerEntry.objects.filter(area=fund)
        .values("program")
        .annotate(total=Sum("amount"))
        .order_by("program")
    )
    for row in rows:
        balances[row["program"]] = row["total"] or ZERO
    return balances


@transaction.atomic
def payroll_approve(*, actor: Any, payroll: Payroll, note: str = "") -> Payroll:
    """Approve a submitted payroll: the accounts are fixed and the fund pays it out.

    Only a county approver who neither generated nor submitted it may; every program's
    balance must cover its rows.
    """
    policy.require(actor, "payroll.approve", payroll)
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "approve",
        _("Only a submitted payroll can be approved; this one is %(status)s."),
    )
    if actor.pk in _preparers(payroll):
        raise PermissionDenied(
            _("A payroll is approved by someone other than who generated or submitted it.")
        )
    _missing_accounts(payroll)
    fund = county_of(payroll.area)
    _lock(LOCK_LEDGER, fund.pk)
    balances = fund_balances(fund)
    needs = payable_by_program(payroll)
    short = [
        _("%(program)s: the fund holds %(balance)s yuan, this payroll needs %(need)s yuan.")
        % {
            "program": program_label(program),
            "balance": balances.get(program, ZERO),
            "need": need,
        }
        for program, need in sorted(needs.items())
        if need > balances.get(program, ZERO)
    ]
    if short:
        raise ValidationError(
            [
                _("The fund's balance does not cover this payroll; record an allocation first."),
                *short,
            ],
            code="balance",
        )
    # the accounts paid are those on file now (the person's, or the payee's a program names);
    # later changes do not alter an approved payroll
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE payments_payment p
               SET bank_name = pp.bank_name, bank_account = pp.bank_account, updated_at = now()
              FROM people_person pp
             WHERE pp.id = p.person_id AND p.payroll_id = %s AND p.status = 'pending'
            """,
            [payroll.pk],
        )
        cursor.execute(
            f"""
            UPDATE payments_payment p
               SET payee_name = x.payee_name, bank_name = x.bank_name,
                   bank_account = x.bank_account, updated_at = now()
              FROM ({providers.payees_sql()}) x
             WHERE x.program = p.program AND x.source_id = p.source_id
               AND p.payroll_id = %s AND p.status = 'pending'
            """,  # noqa: S608 - the providers' own SQL, no user input
            [payroll.pk],
        )
    today = timezone.localdate()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            program=program,
            kind=LedgerEntry.Kind.DISBURSEMENT,
            amount=-need,
            booked_on=today,
            area=fund,
            payroll=payroll,
            created_by=actor,
        )
        for program, need in sorted(needs.items())
        if need
    )
    payroll.approved_by = actor
    payroll.approved_at = timezone.now()
    payroll._history_user = actor  # type: ignore[attr-defined]
    transition(payroll, Payroll.Status.APPROVED, actor=actor, note=note)
    return payroll


@transaction.atomic
def payroll_close(*, actor: Any, payroll: Payroll, note: str = "") -> Payroll:
    policy.require(actor, "payroll.close", payroll)
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "close",
        _("Only a paid payroll can be closed; this one is %(status)s."),
    )
    payroll._history_user = actor  # type: ignore[attr-defined]
    transition(payroll, Payroll.Status.CLOSED, actor=actor, note=note)
    return payroll


# ---- exports


def _check_exportable(actor: Any, payroll: Payroll) -> bool:
    """May `actor` export the payroll's lists, and with whole ID numbers?"""
    if not policy.may(actor, "payroll.export_masked", payroll):
        policy.require(actor, "payroll.export", payroll)
    _require_status(
        payroll,
        "export",
        _("A payroll that is %(status)s cannot be exported."),
    )
    return policy.may(actor, "payroll.export_full_id", payroll)


def payroll_export_csv(*, actor: Any, payroll: Payroll) -> tuple[Iterator[bytes], str]:
    """The payroll's payable rows as CSV, streamed from PostgreSQL's COPY; logged.

    COPY is started here, before the response: a failure is a message to the user, never a
    download holding only the header.
    """
    with transaction.atomic():
        full_id = _check_exportable(actor, payroll)
        rows = exports.payable_rows(payroll).count()
        people_services.export_logged(
            actor=actor, what=f"payroll {payroll.pk} {payroll.month:%Y-%m} csv", rows=rows
        )
    stream = exports.csv_stream(payroll, full_id=full_id)
    try:
        first = next(stream)
    except StopIteration:  # pragma: no cover - the header is always there
        first = b""
    except Exception as exc:
        log.exception("payroll %s: the CSV export failed", payroll.pk)
        raise ValidationError(
            _(
                "The CSV export failed (%(error)s); nothing was downloaded. Try again, or tell "
                "the administrator."
            )
            % {"error": type(exc).__name__},
            code="export_failed",
        ) from exc
    return itertools.chain([first], stream), exports.file_name(payroll, "csv")


@transaction.atomic
def payroll_export_xlsx(*, actor: Any, payroll: Payroll) -> ExportJob:
    """Queue the xlsx export (a sheet per township); the requester downloads it when done."""
    full_id = _check_exportable(actor, payroll)
    rows = exports.payable_rows(payroll).count()
    job = ExportJob.objects.create(
        payroll=payroll, requested_by=actor, full_id=full_id, rows_total=rows
    )
    people_services.export_logged(
        actor=actor, what=f"payroll {payroll.pk} {payroll.month:%Y-%m} xlsx", rows=rows
    )
    queue.send_after_commit("payments.export_xlsx", job.pk)
    return job


def export_jobs_purge(*, older_than: datetime.timedelta = EXPORT_KEEP) -> int:
    """Delete export files (and their jobs) older than `older_than`: a file holds ID numbers,
    it is not kept longer than it is needed. The export stays in the access log."""
    from pathlib import Path

    old = ExportJob.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for job in old:
        if job.file:
            Path(job.file).unlink(missing_ok=True)
        job.delete()
        count += 1
    return count


def export_job_run(*, job_id: int) -> ExportJob:
    """Write an export job's file (a Celery task's work), with progress on the job row."""
    job = ExportJob.objects.select_related("payroll").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    path = exports.export_path(job)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(rows_done=done)

    try:
        written = exports.write_xlsx(job.payroll, path, full_id=job.full_id, progress=progress)
    except Exception as exc:
        job.status = ExportJob.Status.FAILED
        job.error = f"{exc.__class__.__name__}: {exc}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status = ExportJob.Status.DONE
    job.rows_done = written
    job.file = str(path)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "rows_done", "file", "finished_at"])
    return job


@transaction.atomic
def payroll_bank_file(*, actor: Any, payroll: Payroll) -> tuple[Iterator[bytes], str]:
    """The fixed-width payment file for the bank (bankfile.py). The first one marks the
    payroll as sent; the same file can be downloaded again. Logged."""
    policy.require(actor, "payroll.export", payroll)
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "bank_file",
        _("The bank file is made from an approved payroll; this one is %(status)s."),
    )
    rows = exports.payable_rows(payroll).count()
    if payroll.status == Payroll.Status.APPROVED:
        payroll._history_user = actor  # type: ignore[attr-defined]
        transition(
            payroll,
            Payroll.Status.EXPORTED,
            actor=actor,
            note_code=NOTE_BANK_FILE,
            note_params={"rows": rows},
        )
    people_services.export_logged(
        actor=actor, what=f"payroll {payroll.pk} {payroll.month:%Y-%m} bank file", rows=rows
    )
    return exports.bank_file_stream(payroll), exports.file_name(payroll, "txt", "bank")


# ---- the bank's result file


@transaction.atomic
def bank_return_apply(
    *, actor: Any, payroll: Payroll, content: bytes, file_name: str, encoding: str = ""
) -> BankReturn:
    """Apply the bank's result file: each row paid or failed with the bank's reason.

    `encoding` is the one the uploader declares (GB18030 or UTF-8), else it is detected
    (bankfile.detect_encoding); every line is decoded strictly in it.

    The whole file is read and checked first (layout, control total, references, duplicates,
    amounts, rows already settled); any problem rejects the file with the line numbers and
    nothing changes. Failed amounts return to the fund.
    """
    policy.require(actor, "payroll.bank_return", payroll)
    payroll = _locked(payroll)
    _require_status(
        payroll,
        "bank_return",
        _("Results are applied to a payroll sent to the bank; this one is %(status)s."),
    )
    digest = hashlib.sha256(content).hexdigest()
    earlier = BankReturn.objects.filter(payroll=payroll, sha256=digest).first()
    if earlier is not None:
        raise ValidationError(
            _("This file was already applied on %(date)s.")
            % {"date": f"{timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M}"},
            code="duplicate_file",
        )
    encoding = encoding or bankfile.detect_encoding(content)
    if encoding not in bankfile.ENCODINGS:
        raise ValidationError(
            {"encoding": _("A result file is GB18030 or UTF-8 text.")}, code="encoding"
        )
    checked = returns.load(payroll, io.BytesIO(content), encoding)
    if checked.errors:
        raise ValidationError(checked.messages(), code="bad_file")
    bank_return = BankReturn.objects.create(
        payroll=payroll,
        file_name=file_name[:200],
        sha256=digest,
        content=content,
        uploaded_by=actor,
        lines=checked.count,
    )
    outcome = returns.apply(bank_return)
    bank_return.paid_rows = outcome.paid_rows
    bank_return.paid_amount = outcome.paid_amount
    bank_return.failed_rows = outcome.failed_rows
    bank_return.failed_amount = outcome.failed_amount
    bank_return.save()
    fund = county_of(payroll.area)
    _lock(LOCK_LEDGER, fund.pk)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            program=program,
            kind=LedgerEntry.Kind.RETURN,
            amount=amount,
            booked_on=timezone.localdate(),
            area=fund,
            payroll=payroll,
            bank_return=bank_return,
            note=_("%(rows)d failed payments") % {"rows": rows},
            created_by=actor,
        )
        for program, (rows, amount) in sorted(outcome.failed_by_program.items())
    )
    _refresh_totals(payroll)
    unsettled = Payment.objects.filter(payroll=payroll, status=Payment.Status.PENDING).exists()
    if not unsettled:
        failed = Payment.objects.filter(payroll=payroll, status=Payment.Status.FAILED).exists()
        payroll._history_user = actor  # type: ignore[attr-defined]
        transition(
            payroll,
            Payroll.Status.PARTLY_FAILED if failed else Payroll.Status.PAID,
            actor=actor,
            note=file_name[:200],
        )
    return bank_return


# ---- failed rows: correct and reissue


@transaction.atomic
def payment_correct_account(
    *, actor: Any, payment: Payment, bank_name: str, bank_account: str
) -> Person:
    """Correct the account of a person whose payment failed (the person's record changes,
    through people's service); the row can then be reissued."""
    policy.require(actor, "payment.correct", payment)
    if payment.status != Payment.Status.FAILED or payment.reissued:
        raise ValidationError(_("Only a failed row not yet reissued needs a new account."))
    if payment.payee_name:  # the account is the payee's, kept by the program, not the person's
        raise ValidationError(PAID_TO_PAYEE % {"payee": payment.payee_name})
    account = compact_account(bank_account)
    try:
        validate_bank_account(account)  # also required here, unlike on a person's record
    except ValidationError as exc:
        raise ValidationError({"bank_account": exc.messages}) from None
    bank_name = clean_text(bank_name, "bank_name", max_length=_max_length(Person, "bank_name"))
    if not bank_name:
        raise ValidationError({"bank_name": _("Name the bank.")})
    return people_services.person_update(
        actor=actor, person=payment.person, bank_name=bank_name, bank_account=account
    )


PAID_TO_PAYEE = gettext_lazy(
    "This row is paid to %(payee)s: correct the account where the payee is kept (a care home "
    "on the entitlement's “paid to” page, a caregiver on their own record), then reissue it."
)


def payees_now(rows: Sequence[Payment]) -> dict[int, tuple[str, str]]:
    """(paid to, account) of the rows approval or a reissue would pay to a care home or
    caregiver now (providers' payees_sql): rows approved to a payee, and rows not yet approved
    whose program names one. A payee-only row without its payee gets ("", ""): never the
    person's. Rows not in the result are paid to the person."""
    payee_rows = [row for row in rows if row.payee_name or not row.bank_account]
    if not payee_rows:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.program, x.source_id, x.payee_name, x.bank_account "  # noqa: S608
            f"FROM ({providers.payees_sql()}) x WHERE x.source_id = ANY(%s)",
            [[row.source_id for row in payee_rows]],
        )
        payees = {(program, source): (name, account) for program, source, name, account in cursor}
    payee_only = providers.payee_only_programs()
    found = {}
    for row in payee_rows:
        payee = payees.get((row.program, row.source_id))
        if payee is not None:
            found[row.pk] = payee
        elif row.program in payee_only:
            found[row.pk] = ("", "")
    return found


def accounts_now(rows: Sequence[Payment]) -> dict[int, str]:
    """The account each row would be paid to now: its payee's (payees_now), else the
    person's."""
    payees = payees_now(rows)
    return {row.pk: payees.get(row.pk, ("", row.person.bank_account))[1] for row in rows}


@transaction.atomic
def payroll_reissue(
    *,
    actor: Any,
    payments: Sequence[Payment],
    month: datetime.date | str | None = None,
    same_account: bool = False,
    note: str = "",
) -> Payroll:
    """A supplementary payroll paying failed rows again (and held rows once cleared).

    A failed row is reissued only when the person's account has changed since, unless
    `same_account` says the bank's problem was not the account (e.g. a frozen card).
    """
    if not payments:
        raise ValidationError(_("Choose the rows to reissue."))
    ids = [p.pk for p in payments]
    rows = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("person", "area", "payroll")
        .order_by("pk")
    )
    if len(rows) != len(set(ids)):
        raise ValidationError(_("Some of the chosen rows do not exist."))
    for row in rows:
        policy.require(actor, "payroll.generate", row)
    problems = []
    unchanged = []
    accounts = accounts_now(rows)
    for row in rows:
        ok_status = row.status in {Payment.Status.FAILED, Payment.Status.HELD}
        if row.reissued or not ok_status or not row.payroll.allows("reissue"):
            problems.append(row)
        elif (
            row.status == Payment.Status.FAILED
            and not same_account
            and accounts[row.pk] == row.bank_account
        ):
            unchanged.append(row)
    if problems:
        raise ValidationError(
            _(
                "Only failed rows (and rows held out of a payroll sent to the bank) not yet "
                "reissued can be reissued: %(names)s."
            )
            % {"names": _names(problems)},
            code="not_reissuable",
        )
    if unchanged:
        raise ValidationError(
            _(
                "The account of %(names)s has not changed since the payment failed: correct it "
                "first, or confirm that the same account is to be paid again."
            )
            % {"names": _names(unchanged)},
            code="same_account",
        )
    payroll_month = _as_month(month) if month else first_of_month(timezone.localdate())
    areas = sorted({row.area for row in rows}, key=lambda a: a.code)
    covering = covering_area(areas)
    policy.require(actor, "payroll.generate", area=covering)
    payroll = Payroll.objects.create(
        month=payroll_month,
        kind=Payroll.Kind.SUPPLEMENTARY,
        programs=sorted({row.program for row in rows}),
        area=covering,
        status=Payroll.Status.DRAFT,
        generated_by=actor,
        generation_started_at=timezone.now(),
        generation_finished_at=timezone.now(),
        note=note,
    )
    payroll.areas.set([covering])
    first_status(
        payroll,
        actor=actor,
        note=note,
        note_code="" if note else NOTE_REISSUE,
        note_params={"count": len(rows)},
    )
    for row in rows:
        row.reissued = True
        row._history_user = actor  # type: ignore[attr-defined]
        row.save(update_fields=["reissued", "updated_at"])
    Payment.objects.bulk_create(
        Payment(
            payroll=payroll,
            person=row.person,
            program=row.program,
            month=row.month,
            area=row.area,
            amount=row.amount,
            source_id=row.source_id,
            kind=Payment.Kind.REISSUE,
            reissue_of=row,
        )
        for row in rows
    )
    _refresh_totals(payroll)
    return payroll


# ---- the fund ledger


def _fund_for(actor: Any, area: Area | None) -> Area:
    if area is not None:
        return county_of(area)
    for assignment in policy.assignments(actor):
        if assignment.role in policy.ACTIONS["ledger.manage"]:
            return county_of(assignment.area)
    county = Area.objects.filter(level=Area.Level.COUNTY).order_by("code").first()
    if county is None:
        raise ValidationError(_("There is no county to keep a fund for."))
    return county


@transaction.atomic
def ledger_allocate(
    *,
    actor: Any,
    program: str,
    amount: Decimal,
    booked_on: datetime.date | None = None,
    reference: str = "",
    note: str = "",
    area: Area | None = None,
) -> LedgerEntry:
    """Money allocated into the special account for a program (e.g. a transfer from the
    finance bureau, with its document number)."""
    fund = _fund_for(actor, area)
    policy.require(actor, "ledger.manage", area=fund)
    errors: dict[str, Any] = {}
    if program not in providers.fund_programs():
        errors["program"] = _("Unknown program.")
    amount = to_yuan(amount)
    if amount <= 0:
        errors["amount"] = _("An allocation is a positive amount.")
    try:
        reference = clean_text(
            reference, "reference", max_length=_max_length(LedgerEntry, "reference")
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if not reference:
            errors["reference"] = _("Give the allocation's document number.")
    try:
        note = clean_text(note, "note", max_length=_max_length(LedgerEntry, "note"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _lock(LOCK_LEDGER, fund.pk)
    return LedgerEntry.objects.create(
        program=program,
        kind=LedgerEntry.Kind.ALLOCATION,
        amount=amount,
        booked_on=booked_on or timezone.localdate(),
        area=fund,
        reference=reference,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def ledger_reverse(*, actor: Any, entry: LedgerEntry, note: str) -> LedgerEntry:
    """Undo a mistaken allocation with an entry of the opposite sign that points at it."""
    policy.require(actor, "ledger.manage", entry)
    if entry.kind != LedgerEntry.Kind.ALLOCATION:
        raise ValidationError(
            _("Only allocations are reversed by hand; the others follow their payroll.")
        )
    if LedgerEntry.objects.filter(reversal_of=entry).exists():
        raise ValidationError(_("This entry is already reversed."))
    note = clean_text(note, "note", max_length=_max_length(LedgerEntry, "note"))
    if not note:
        raise ValidationError({"note": _("Say why the entry is reversed.")})
    _lock(LOCK_LEDGER, entry.area_id)
    balance = fund_balances(entry.area).get(entry.program, ZERO)
    if balance < entry.amount:
        raise ValidationError(
            _(
                "The fund holds %(balance)s yuan for this program: less than the allocation, "
                "which is already partly paid out."
            )
            % {"balance": balance}
        )
    return LedgerEntry.objects.create(
        program=entry.program,
        kind=LedgerEntry.Kind.REVERSAL,
        amount=-entry.amount,
        booked_on=timezone.localdate(),
        area=entry.area,
        reversal_of=entry,
        reference=entry.reference,
        note=note,
        created_by=actor,
    )


def ledger_pay_one_off(
    *,
    actor: Any,
    program: str,
    person: Person,
    area: Area,
    amount: Decimal,
    source: str,
    note: str = "",
    booked_on: datetime.date | None = None,
) -> LedgerEntry:
    """A one-off payment (temporary assistance, medical aid, a funeral fee waiver…) leaves the
    special account of the county paying it: one ledger entry that names the person and the
    record that paid it, so every yuan is traceable.

    Not a business action of its own: the services of the apps that pay one-off amounts call
    it inside their own transaction, after their own access and rule checks. The fund must
    hold the amount (the program's allocations less what it paid out)."""
    if program not in providers.one_off_programs():
        raise ValidationError({"program": _("Unknown one-off program.")})
    amount = to_yuan(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("A payment is a positive amount.")})
    fund = county_of(area)
    _lock(LOCK_LEDGER, fund.pk)
    balance = fund_balances(fund).get(program, ZERO)
    if balance < amount:
        raise ValidationError(
            {
                "amount": _(
                    "%(program)s: the fund holds %(balance)s yuan, this payment needs "
                    "%(amount)s yuan: allocate money first."
                )
                % {"program": program_label(program), "balance": balance, "amount": amount}
            }
        )
    return LedgerEntry.objects.create(
        program=program,
        kind=LedgerEntry.Kind.ONE_OFF,
        amount=-amount,
        booked_on=booked_on or timezone.localdate(),
        area=fund,
        person=person,
        source=source[:100],
        note=clean_text(note, "note", max_length=_max_length(LedgerEntry, "note")),
        created_by=actor,
    )


# ---- reconciliation (reconciliation.py): what is owed against what is paid


@transaction.atomic
def reconciliation_start(*, actor: Any | None) -> ReconciliationRun:
    """Queue a reconciliation run (finance's "run now", or the nightly job with no actor)."""
    if actor is not None:
        policy.require(actor, "reconciliation.run")
    running = ReconciliationRun.objects.filter(status=ReconciliationRun.Status.RUNNING).first()
    if running is not None:
        if timezone.now() - running.started_at < datetime.timedelta(hours=1):
            return running
        running.status = ReconciliationRun.Status.FAILED
        running.error = "did not finish within an hour"
        running.save(update_fields=["status", "error"])
    recon = ReconciliationRun.objects.create(requested_by=actor)
    queue.send_after_commit("payments.reconcile_run", recon.pk)
    return recon


# ---- overpayments (called by cross-checks when a benefit stops from an earlier month)


@transaction.atomic
def overpayment_register(
    *,
    actor: Any,
    person: Person,
    program: str,
    from_month: datetime.date,
    reason: str,
    source: str = "",
    due_amount: Decimal | None = None,
    to_month: datetime.date | None = None,
) -> list[Overpayment]:
    """What was PAID to `person` for `program` from `from_month` on becomes overpayments to
    recover: for each month, everything paid, or with `due_amount` (a benefit reduced from
    that month) what was paid above it, up to `to_month` when given — a month may have
    several rows (arrears, back pay):
    the excess is taken from its latest rows first. Idempotent: a row already registered is
    returned as it is, never twice."""
    policy.require(actor, "overpayment.register", person)
    reason = clean_text(reason, "reason", max_length=_max_length(Overpayment, "reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the recovery.")})
    due = to_yuan(due_amount) if due_amount is not None else ZERO
    from_month = first_of_month(from_month)
    paid = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(person=person, program=program, month__gte=from_month, status=Payment.Status.PAID)
        .filter(month__lte=first_of_month(to_month) if to_month else datetime.date.max)
        .select_related("area")
        .order_by("month", "-pk")
    )
    registered = {o.payment_id: o for o in Overpayment.objects.filter(payment__in=paid)}
    result = []
    months = sorted({p.month for p in paid})
    for month in months:
        rows = [p for p in paid if p.month == month]  # latest first
        excess = sum((p.amount for p in rows), ZERO) - due
        excess -= sum((registered[p.pk].amount for p in rows if p.pk in registered), ZERO)
        for payment in rows:
            if payment.pk in registered:
                result.append(registered[payment.pk])
                continue
            if excess <= 0:
                continue
            amount = min(payment.amount, excess)
            excess -= amount
            overpayment = Overpayment(
                payment=payment,
                person=person,
                program=program,
                month=payment.month,
                area=payment.area,
                amount=amount,
                reason=reason,
                source=source[:100],
                registered_by=actor,
            )
            overpayment._history_user = actor  # type: ignore[attr-defined]
            overpayment.save()
            first_status(overpayment, actor=actor, note=reason)
            result.append(overpayment)
    return sorted(result, key=lambda o: (o.month, o.pk))


@transaction.atomic
def overpayment_recover(
    *,
    actor: Any,
    overpayment: Overpayment,
    amount: Decimal,
    note: str = "",
    booked_on: datetime.date | None = None,
) -> LedgerEntry:
    """Money recovered from the person, paid back into the fund (all at once or in parts)."""
    policy.require(actor, "overpayment.recover", overpayment)
    overpayment = Overpayment.objects.select_for_update().get(pk=overpayment.pk)
    if overpayment.status != Overpayment.Status.TO_RECOVER:
        raise ValidationError(
            _("This overpayment is %(status)s.") % {"status": overpayment.get_status_display()}
        )
    amount = to_yuan(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Give the amount recovered.")})
    note = clean_text(note, "note", max_length=_max_length(LedgerEntry, "note"))
    if amount > overpayment.outstanding:
        raise ValidationError(
            {
                "amount": _("Only %(outstanding)s yuan is still to recover.")
                % {"outstanding": overpayment.outstanding}
            }
        )
    fund = county_of(overpayment.area)
    _lock(LOCK_LEDGER, fund.pk)
    entry = LedgerEntry.objects.create(
        program=providers.fund_of(overpayment.program),
        kind=LedgerEntry.Kind.RECOVERY,
        amount=amount,
        booked_on=booked_on or timezone.localdate(),
        area=fund,
        overpayment=overpayment,
        payroll=overpayment.payment.payroll,
        note=note,
        created_by=actor,
    )
    overpayment.recovered += amount
    overpayment._history_user = actor  # type: ignore[attr-defined]
    if overpayment.recovered == overpayment.amount:
        transition(overpayment, Overpayment.Status.RECOVERED, actor=actor, note=note)
    else:
        overpayment.save(update_fields=["recovered", "updated_at"])
    return entry


@transaction.atomic
def overpayment_waive(*, actor: Any, overpayment: Overpayment, reason: str) -> Overpayment:
    """The approver writes off what cannot be recovered (e.g. the person died destitute)."""
    policy.require(actor, "overpayment.waive", overpayment)
    reason = clean_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("Say why the overpayment is waived.")})
    overpayment = Overpayment.objects.select_for_update().get(pk=overpayment.pk)
    overpayment._history_user = actor  # type: ignore[attr-defined]
    transition(overpayment, Overpayment.Status.WAIVED, actor=actor, note=reason)
    return overpayment


__all__ = [
    "bank_return_apply",
    "export_job_run",
    "generations_resume",
    "ledger_allocate",
    "ledger_pay_one_off",
    "ledger_reverse",
    "overpayment_recover",
    "overpayment_register",
    "overpayment_waive",
    "payment_correct_account",
    "payment_hold",
    "payment_release",
    "payroll_approve",
    "payroll_bank_file",
    "payroll_chunk_generate",
    "payroll_close",
    "payroll_discard",
    "payroll_export_csv",
    "payroll_export_xlsx",
    "payroll_generate",
    "payroll_generation_failed",
    "payroll_generation_finish",
    "payroll_reissue",
    "payroll_resume",
    "payroll_return",
    "payroll_submit",
    "reconciliation_start",
]
