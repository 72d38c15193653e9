"""The Content-Security-Policy in a real browser: the pages run no inline script, and what
they do still works — the language switch and the household form's "add a member" (our
static script), Bootstrap's collapsing navbar, htmx loaded with its inline style and eval
switched off, the admin and the Swagger UI page (its script served as a file of its own)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _watch(page: Any) -> list[str]:
    """Every CSP violation the browser reports on the console."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return seen


def test_pages_pass_the_policy_and_still_work(page):
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    from django.contrib.auth import get_user_model

    users = get_user_model()
    for name in ("caseworker_a", "admin", "finance"):
        user = users.objects.get(username=name)
        user.set_password("pw")
        user.save()
    violations = _watch(page)

    browser_login(page, "caseworker_a")
    # the household form: "add a member" comes from portal.js
    page.goto(f"{page.base}/relief/households/new/")
    before = page.locator(".member-row").count()
    page.click("#add-member")
    assert page.locator(".member-row").count() == before + 1
    # the language switch submits itself (data-submit-on-change)
    page.select_option("#language-form select", "en")
    page.wait_for_selector("text=Log out")
    # Bootstrap's navbar collapses and opens on a narrow screen
    page.set_viewport_size({"width": 500, "height": 800})
    page.goto(f"{page.base}/")
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav.show")
    page.set_viewport_size({"width": 1280, "height": 800})
    pages = ("/people/", "/relief/", "/crosscheck/warnings/", "/admin/", "/admin/people/person/")
    for url in pages:
        page.goto(f"{page.base}{url}")
    # the Swagger UI renders the operations
    page.goto(f"{page.base}/api/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() > 10
    page.goto(f"{page.base}/")
    page.click("#logout")
    page.wait_for_selector("#id_username")

    browser_login(page, "finance")
    from civil_affairs.payments.models import Payroll

    payroll = Payroll.objects.order_by("pk").first()
    for url in ("/payments/", f"/payments/{payroll.pk}/", f"/payments/{payroll.pk}/rows/"):
        page.goto(f"{page.base}{url}")
    page.goto(f"{page.base}/payments/ledger/")
    assert page.evaluate("typeof htmx") == "object"
    assert violations == []
