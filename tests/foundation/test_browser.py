"""Login and the home page in both languages, in the system Chromium."""

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_login_and_home_in_both_languages(page, staff):
    browser_login(page, "caseworker_a")
    assert "桃花江镇" in page.inner_text("#my-areas")
    assert "你的辖区" in page.content()
    page.select_option("#language-form select", "en")
    page.wait_for_selector("text=Your areas")
    assert "Caseworker" in page.inner_text("#my-areas")
    assert "Log out" in page.inner_text("#logout")
    page.click("#logout")
    page.wait_for_selector("#id_username")
