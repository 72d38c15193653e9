"""The portal's shell: history on every model, health, deploy settings, login lockout, languages."""

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

OUR_APPS = {
    "core",
    "areas",
    "people",
    "relief",
    "eldercare",
    "children",
    "governance",
    "social_orgs",
    "funeral",
    "payments",
    "crosscheck",
    "imports",
}


def test_every_model_of_our_apps_keeps_history():
    """Each model has django-simple-history, or says in `history_exempt` why it needs none."""
    missing = [
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model.__name__.startswith("Historical")
        and not hasattr(model._meta, "simple_history_manager_attribute")
        and not getattr(model, "history_exempt", "")
    ]
    assert missing == []


def test_history_exemptions_say_why():
    for model in apps.get_models():
        reason = getattr(model, "history_exempt", None)
        if reason is not None:
            assert len(reason) > 20, f"{model.__name__}.history_exempt must explain itself"


def test_healthz_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "ok"


def test_healthz_503_when_broker_down():
    from civil_affairs.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/healthz")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
    assert response.json()["database"] == "ok"


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civil_affairs.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60 + "-production-secret-for-the-check",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_celery_settings_are_ones_celery_reads():
    from civil_affairs.celery import app

    names = [n for n in dir(settings) if n.startswith("CELERY_")]
    assert names
    for name in names:
        key = name.removeprefix("CELERY_").lower()
        assert key in app.conf, f"{name} is not a Celery setting: nothing reads it"
        assert app.conf[key] == getattr(settings, name)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_login_locks_after_repeated_failures(staff):
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "caseworker_a", "password": "wrong"})
    response = client.post("/login/", {"username": "caseworker_a", "password": "pw"})
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode()


def test_login_and_home_lists_areas(staff):
    client = Client()
    response = client.post("/login/", {"username": "caseworker_a", "password": "pw"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "桃花江镇" in page
    assert "灰山港镇" not in page


def test_home_in_both_languages(staff):
    client = Client()
    client.force_login(staff.caseworker_a, backend="django.contrib.auth.backends.ModelBackend")
    chinese = client.get("/").content.decode()
    assert "你的辖区" in chinese
    assert 'lang="zh-hans"' in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Your areas" in english
    assert 'lang="en"' in english


def test_pages_default_to_chinese_whatever_the_browser_says(staff):
    client = Client()
    client.force_login(staff.caseworker_a, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "你的辖区" in page


def test_home_cards_follow_the_role(staff):
    client = Client()
    client.force_login(staff.approver, backend="django.contrib.auth.backends.ModelBackend")

    def cards(page: str) -> str:  # the home page's own cards, not the navbar
        return page.split('id="my-apps"')[1].split("\n    </div>")[0]

    approver_home = cards(client.get("/").content.decode())
    client.force_login(staff.caseworker_a, backend="django.contrib.auth.backends.ModelBackend")
    caseworker_home = cards(client.get("/").content.decode())
    assert "/relief/approvals/" in approver_home
    assert "/relief/approvals/" not in caseworker_home
    assert "/relief/reviews/" in caseworker_home
    assert "/payments/ledger/" in approver_home
