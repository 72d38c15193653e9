"""A database of a benchmark's own, on the server of DATABASE_URL (every bench uses it)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from urllib.parse import quote, urlsplit, urlunsplit


def switch_database(name: str) -> None:
    from django.conf import settings
    from django.db import connections

    connections["default"].close()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def admin_sql(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)


def database_url(name: str) -> str:
    """DATABASE_URL naming `name` (for worker processes and plain psycopg connections)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    url = os.environ.get("DATABASE_URL")
    if url:
        return urlunsplit(urlsplit(url)._replace(path="/" + name))
    host = quote(str(db.get("HOST") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{db.get('USER') or 'postgres'}@{host}{port}/{name}"


@contextlib.contextmanager
def bench_database(name: str, *, keep: bool, reuse: bool) -> Iterator[bool]:
    """Switch Django to a database of the bench's own, migrated; yields whether it already
    had data (`reuse` of a database an earlier run kept with `keep`)."""
    from django.conf import settings
    from django.core.management import call_command

    original = settings.DATABASES["default"]["NAME"]
    if original == name:
        raise SystemExit("DATABASE_URL names the bench database itself: point it at another one")
    existing = False
    if reuse:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            existing = cursor.fetchone() is not None
    if not existing:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{name}"')
    switch_database(name)
    try:
        call_command("migrate", verbosity=0)
        yield existing
    finally:
        switch_database(original)
        if not keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
