"""Shared fixtures: the demo area tree and one user per role (township A and B, county)."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from civil_affairs.areas.models import Area, Role
from civil_affairs.areas.services import assignment_create
from civil_affairs.core import demo

from .factories import PersonFactory, UserFactory

PASSWORD = "pw"


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language (a request in English must not leak)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def areas(db: Any) -> SimpleNamespace:
    tree = demo.load_areas()
    return SimpleNamespace(
        county=tree["430922"],
        a=tree["430922100"],
        b=tree["430922101"],
        village_a=tree["430922100201"],
        village_b=tree["430922101201"],
        by_code=tree,
    )


def _user(username: str, role: str, area: Area) -> Any:
    user = UserFactory(username=username)
    assignment_create(user=user, area=area, role=role)
    return user


@pytest.fixture
def staff(areas: SimpleNamespace) -> SimpleNamespace:
    """caseworker_a/b, reviewer_a/b, approver, finance, admin."""
    return SimpleNamespace(
        caseworker_a=_user("caseworker_a", Role.CASEWORKER, areas.a),
        caseworker_b=_user("caseworker_b", Role.CASEWORKER, areas.b),
        reviewer_a=_user("reviewer_a", Role.TOWNSHIP_REVIEWER, areas.a),
        reviewer_b=_user("reviewer_b", Role.TOWNSHIP_REVIEWER, areas.b),
        approver=_user("approver", Role.COUNTY_APPROVER, areas.county),
        approver2=_user("approver2", Role.COUNTY_APPROVER, areas.county),
        finance=_user("finance", Role.FINANCE, areas.county),
        admin=_user("administrator", Role.ADMINISTRATOR, areas.county),
    )


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def person_a(areas: SimpleNamespace) -> Any:
    return PersonFactory(area=areas.village_a, name="甲镇居民")


@pytest.fixture
def person_b(areas: SimpleNamespace) -> Any:
    return PersonFactory(area=areas.village_b, name="乙镇居民")


# ---- browser tests: Playwright driving Debian's Chromium (never Playwright's own download)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django's ORM calls in the test are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    """A fresh browser context per test; `page.base` is the live server's URL."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    tab.base = live_server.url
    yield tab
    context.close()


def browser_login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{page.base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#current-user")


def reset_broker_connections() -> None:
    """Close and forget every pooled broker connection and producer.

    Worker fixtures switch queues and key prefixes; kombu keeps its pools in module-level
    groups keyed by the broker URL, so a pool one fixture closed would otherwise be handed to
    the next test ("Acquire on closed pool")."""
    from kombu import pools

    from civil_affairs.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_thread() -> Any:
    """A real Celery worker (a thread of this process) on Redis, on a queue of its own so that
    no other worker of this machine takes our tasks. Needs transactional tests."""
    import os
    import uuid

    from celery.contrib.testing.worker import start_worker

    from civil_affairs.celery import app

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a real Redis) for a real worker")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    old_queue, old_broker = app.conf.task_default_queue, app.conf.broker_url
    app.conf.task_default_queue = queue
    app.conf.broker_url = os.environ["REDIS_URL"]
    reset_broker_connections()
    try:
        with start_worker(
            app, queues=[queue], pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.task_default_queue, app.conf.broker_url = old_queue, old_broker
        reset_broker_connections()
