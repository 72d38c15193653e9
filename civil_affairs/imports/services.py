"""Writes of the staged import: keep an upload with its dry run, check it, confirm it.

A small file is checked and saved in the request; a file of more than
`settings.IMPORTS_JOB_ROWS` rows by a Celery job (tasks.py), whose progress the page polls.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core import queue

from . import reading, staged
from .models import StagedImport

UNKNOWN_SIZE_JOB_BYTES = 256 * 1024  # a workbook that records no size: a job above this


def _area_for(user: Any, action: str) -> Area:
    """The widest area where the user may do `action` (the upload is scoped by it)."""
    allowed = policy.ACTIONS[action]
    areas = [a.area for a in policy.assignments(user) if a.role in allowed]
    if areas:
        return min(areas, key=lambda a: len(a.code))
    root = Area.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None or not policy.is_unrestricted(user):
        raise PermissionDenied(_("Your role does not allow this import."))
    return root


def _needs_job(data: bytes, filename: str) -> bool:
    estimate = reading.estimate_rows(data, filename)
    if estimate == 0 and data[:4] == reading.XLSX_MAGIC:
        return len(data) > UNKNOWN_SIZE_JOB_BYTES
    return estimate > staged.job_rows() + 1  # + the header row


def staged_import_create(*, actor: Any, spec_key: str, file_name: str, data: bytes) -> StagedImport:
    """Keep the uploaded file and check it: at once when small, else by a job."""
    spec = staged.get(spec_key)
    policy.require(actor, spec.action)
    if len(data) > staged.max_bytes():
        raise ValidationError({"file": staged._size_message(len(data))})
    as_job = _needs_job(data, file_name)
    item = StagedImport.objects.create(
        spec_key=spec_key,
        uploader=actor,
        area=_area_for(actor, spec.action),
        file_name=file_name[:255],
        file_size=len(data),
        file_data=data,
        status=StagedImport.Status.CHECKING,
        as_job=as_job,
        phase="checking",
    )
    if as_job:
        _queue(item, "check")
    else:
        try:
            import_check(staged_import_id=item.pk, actor=actor)
        except Exception:
            job_failed(staged_import_id=item.pk)  # the page says so instead of "checking"
            raise
        item.refresh_from_db()
    return item


def import_confirm(*, actor: Any, item: StagedImport, valid_only: bool) -> StagedImport:
    """Save the checked file: every row (refused while any is bad) or the valid rows only."""
    spec = staged.get(item.spec_key)
    policy.require(actor, spec.action)
    if item.uploader_id != actor.pk:
        raise PermissionDenied(_("Only the uploader may confirm an import."))
    with transaction.atomic():
        locked = StagedImport.objects.select_for_update().get(pk=item.pk)
        if locked.status != StagedImport.Status.CHECKED:
            raise ValidationError(_("This import is not waiting for a confirmation."))
        result = staged.Result.from_json(locked.result)
        if not (result.may_save_valid if valid_only else result.may_save_all):
            raise ValidationError(
                _("Nothing was imported: some rows are wrong.")
                if result.errors
                else _("Nothing was imported: the file cannot be imported.")
            )
        locked.status = StagedImport.Status.SAVING
        locked.valid_only = valid_only
        locked.phase = "saving"
        locked.rows_done = 0
        locked.rows_total = result.valid
        locked.message = ""
        locked.save()
    if locked.as_job:
        _queue(locked, "save")
    else:
        try:
            import_save(staged_import_id=locked.pk, actor=actor)
        except Exception:
            job_failed(staged_import_id=locked.pk)
            raise
    locked.refresh_from_db()
    return locked


def _queue(item: StagedImport, what: str) -> None:
    """Run the check or the save as a job (it waits in the database while Redis is down)."""
    queue.send_after_commit("imports.check" if what == "check" else "imports.save", item.pk)


def _fail(pk: int, message: str) -> None:
    StagedImport.objects.filter(pk=pk).update(
        status=StagedImport.Status.FAILED, message=message, finished_at=timezone.now()
    )


class _Progress:
    """Writes a job's progress on its row from a connection of its own, so that the page sees
    it while the save's transaction is still open: on each percent moved, else at most twice a
    second."""

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.last = 0.0
        self.last_done = -1
        self.last_phase = ""
        self.connection: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        moved = phase != self.last_phase or done - self.last_done >= max(1, total // 100)
        if now - self.last < 0.5 and not moved and done < total:
            return
        self.last, self.last_done, self.last_phase = now, done, phase
        if self.connection is None:
            self.connection = connections.create_connection("default")
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE imports_stagedimport SET phase = %s, rows_done = %s, rows_total = %s "
                "WHERE id = %s",
                [phase, done, total, self.pk],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _user(item: StagedImport, actor: Any) -> Any:
    return actor if actor is not None else item.uploader


def import_check(*, staged_import_id: int, actor: Any = None) -> StagedImport:
    """The dry run of a kept upload; its result is stored on it."""
    item = StagedImport.objects.select_related("uploader").get(pk=staged_import_id)
    if item.status != StagedImport.Status.CHECKING:
        return item  # a redelivered job: already done
    progress = _Progress(item.pk) if item.as_job else None
    try:
        result = staged.check(
            item.spec_key,
            bytes(item.file_data),
            item.file_name,
            user=_user(item, actor),
            progress=progress,
        )
    except PermissionDenied as exc:
        _fail(item.pk, str(exc))
        return item
    finally:
        if progress is not None:
            progress.close()
    StagedImport.objects.filter(pk=item.pk).update(
        status=StagedImport.Status.CHECKED,
        result=result.as_json(),
        rows_total=result.total,
        rows_done=result.total,
        phase="",
        finished_at=timezone.now(),
    )
    item.refresh_from_db()
    return item


def import_save(*, staged_import_id: int, actor: Any = None) -> StagedImport:
    """Check again and save (all rows or the valid ones, as confirmed)."""
    item = StagedImport.objects.select_related("uploader").get(pk=staged_import_id)
    if item.status != StagedImport.Status.SAVING:
        return item  # a redelivered job: already done
    progress = _Progress(item.pk) if item.as_job else None
    result = staged.Result()
    try:
        saved = staged.run(
            item.spec_key,
            bytes(item.file_data),
            item.file_name,
            user=_user(item, actor),
            valid_only=item.valid_only,
            progress=progress,
            result=result,
        )
    except (ValidationError, PermissionDenied) as exc:
        # nothing was written; the file is shown again as the second check found it
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        StagedImport.objects.filter(pk=item.pk).update(
            status=StagedImport.Status.CHECKED,
            result=result.as_json(),
            message=" ".join(messages),
            phase="",
            finished_at=timezone.now(),
        )
        item.refresh_from_db()
        return item
    finally:
        if progress is not None:
            progress.close()
    StagedImport.objects.filter(pk=item.pk).update(
        status=StagedImport.Status.SAVED,
        result=result.as_json(),
        rows_saved=saved,
        rows_done=saved,
        phase="",
        message="",
        finished_at=timezone.now(),
    )
    item.refresh_from_db()
    return item


def job_failed(*, staged_import_id: int) -> None:
    """A job ended with an unexpected error (logged): the page says so."""
    _fail(staged_import_id, _("The job failed; nothing was imported. Please try again."))


def imports_purge(*, days: int | None = None) -> int:
    """Forget uploads (their files and results) older than `settings.IMPORTS_KEEP_DAYS`;
    what they saved stays, with its own history. Returns how many were removed."""
    keep = days if days is not None else staged.keep_days()
    cutoff = timezone.now() - datetime.timedelta(days=keep)
    removed, _kinds = StagedImport.objects.filter(created_at__lt=cutoff).delete()
    return removed
