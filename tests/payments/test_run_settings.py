"""`make run` (scripts/run.sh, civil_affairs.settings.local) serves as users will see it:
DEBUG off, the portal's translated 403/404/500 pages, static files through WhiteNoise;
`make dev` (DJANGO_DEBUG=1) keeps Django's debug pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from tests.conftest import login

pytestmark = pytest.mark.django_db
BASE = Path(settings.BASE_DIR)


def _local_settings(**env: str) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG); print('whitenoise.middleware.WhiteNoiseMiddleware' "
        "in settings.MIDDLEWARE)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=BASE,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"},
            "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_make_run_has_debug_off_and_make_dev_on():
    assert _local_settings() == ["False", "True"]
    assert _local_settings(DJANGO_DEBUG="1") == ["True", "True"]
    assert "run.sh" in (BASE / "Makefile").read_text()
    assert "DJANGO_DEBUG=1 bash scripts/run.sh" in (BASE / "Makefile").read_text()


def test_error_pages_are_the_portals_in_the_readers_language(staff, settings):
    settings.DEBUG = False
    client = login(staff.caseworker_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert 'data-status="404"' in text
    assert "页面不存在" in text
    response = client.get("/payments/")  # a caseworker does not see payrolls
    assert response.status_code == 403
    assert 'data-status="403"' in response.content.decode()
    request = RequestFactory().get("/")
    with translation.override("en"):
        page = defaults.server_error(request).content.decode()
    assert "Something went wrong" in page
    with translation.override("zh-hans"):
        page = defaults.server_error(request).content.decode()
    assert "出错了" in page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, language: str = "zh-hans") -> tuple[int, str]:
    # pages follow the language chosen in the navbar (its cookie), Chinese by default
    headers = {"Cookie": f"django_language={language}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - 127.0.0.1
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.django_db(transaction=True)
def test_the_server_of_make_run_serves_static_files_and_its_own_404():
    """runserver as scripts/run.sh starts it (settings.local, DEBUG off), on this test's
    database, on another port (PORT=… make run)."""
    port = _free_port()
    url = urlsplit(os.environ["DATABASE_URL"])
    database = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"},
        "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.local",
        "DATABASE_URL": database,
    }
    server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _body = _get(f"{base}/login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert status == 200
        status, body = _get(f"{base}/static/portal/portal.js")
        assert status == 200
        assert "data-check-all" in body
        status, body = _get(f"{base}/no-such-page/")
        assert status == 404
        assert "页面不存在" in body
        assert "Traceback" not in body
        assert "DEBUG = True" not in body
        status, body = _get(f"{base}/no-such-page/", language="en")
        assert "Page not found" in body
    finally:
        server.terminate()
        server.wait(10)
