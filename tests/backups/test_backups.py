"""Backups: a dump restored into a fresh database holds every row and the same payroll totals."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from civil_affairs.areas.models import Role
from civil_affairs.backups import services
from civil_affairs.backups.models import Backup
from civil_affairs.payments.models import Payment
from tests.conftest import _user, login


def _counts(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {}
        for table in tables:
            counts[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        return counts


def _totals(conninfo: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo) as conn:
        return conn.execute(
            "SELECT payroll_id, count(*), sum(amount) FROM payments_payment "
            "GROUP BY payroll_id ORDER BY 1"
        ).fetchall()


def _conninfo(db: dict[str, Any]) -> str:
    return services._conninfo(db)[0]


@pytest.fixture
def fresh_database(transactional_db: Any) -> Any:
    name = f"restore_check_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield {**connection.settings_dict, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_restored_dump_has_every_row_and_the_payroll_totals(
    fresh_database: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "visits").mkdir(parents=True)
    (tmp_path / "media" / "visits" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    call_command("seed_demo", verbosity=0)
    assert Payment.objects.exists(), "the demo data should hold a payroll to compare"

    backup = services.backup_make()

    assert backup.status == Backup.Status.DONE, backup.error
    dump = Path(backup.database_file)
    assert dump.is_file()
    assert backup.size_bytes >= dump.stat().st_size > 0
    call_command(
        "restore_backup",
        str(dump),
        into=_url(fresh_database),
        media=backup.media_file,
        media_root=str(tmp_path / "restored-media"),
    )
    source = _counts(_conninfo(connection.settings_dict))
    restored = _counts(_conninfo(fresh_database))
    # the backup's own row (status "running") was written before the dump and is in it too
    assert restored == source
    assert _totals(_conninfo(fresh_database)) == _totals(_conninfo(connection.settings_dict))
    assert (
        tmp_path / "restored-media" / "visits" / "photo.jpg"
    ).read_bytes() == b"\xff\xd8 a photo"


def _url(db: dict[str, Any]) -> str:
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def test_a_restore_into_a_database_that_is_not_empty_stops_whole(
    fresh_database: dict[str, Any], settings: Any, tmp_path: Path, areas: Any
) -> None:
    settings.BACKUP_DIR = tmp_path
    backup = services.backup_make()
    services.backup_restore(dump=Path(backup.database_file), into=fresh_database)
    before = _counts(_conninfo(fresh_database))

    with translation.override("en"), pytest.raises(ValidationError, match="restore failed"):
        services.backup_restore(dump=Path(backup.database_file), into=fresh_database)

    assert _counts(_conninfo(fresh_database)) == before


def test_old_backups_are_deleted_and_marked(db: Any, settings: Any, tmp_path: Path) -> None:
    settings.BACKUP_KEEP_DAYS = 14
    old_file = tmp_path / "old.dump"
    old_file.write_bytes(b"x")
    new_file = tmp_path / "new.dump"
    new_file.write_bytes(b"y")
    old = Backup.objects.create(status=Backup.Status.DONE, database_file=str(old_file))
    Backup.objects.filter(pk=old.pk).update(started_at=timezone.now() - datetime.timedelta(days=15))
    new = Backup.objects.create(status=Backup.Status.DONE, database_file=str(new_file))

    assert services.backups_purge() == 1

    assert not old_file.exists()
    assert new_file.exists()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (Backup.Status.PURGED, Backup.Status.DONE)


def test_the_admin_lists_backups_for_county_administrators_only(areas: Any, staff: Any) -> None:
    Backup.objects.create(
        status=Backup.Status.DONE, database_file="/backups/a.dump", size_bytes=5 * 1024 * 1024
    )
    county = login(staff.admin)
    page = county.get("/admin/backups/backup/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/backups/a.dump" in text
    assert "5.0" in text
    assert "admin/backups/backup/run/" in text

    township = login(_user("admin_b", Role.ADMINISTRATOR, areas.b))
    assert township.get("/admin/backups/backup/").status_code == 403
    assert township.post("/admin/backups/backup/run/").status_code == 403
