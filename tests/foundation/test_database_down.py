"""A request while the database does not answer gets a clear 503 (try again), not a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from civil_affairs import urls as project_urls


def _database_gone(request: Any) -> Any:
    raise OperationalError("the database system is shutting down")


def _bug(request: Any) -> Any:
    raise ValueError("a bug")


urlpatterns = [
    *project_urls.urlpatterns,
    path("test-db-gone/", _database_gone),
    path("api/test-db-gone/", _database_gone),
    path("test-bug/", _bug),
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def client_without_raise(settings: Any) -> Client:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_database_down_is_a_503_to_try_again(client_without_raise: Client) -> None:
    page = client_without_raise.get("/test-db-gone/")
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    assert "数据库" in page.content.decode()  # pages speak Chinese by default
    api = client_without_raise.get("/api/test-db-gone/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 503
    assert "Nothing was saved" in api.json()["detail"]


def test_another_error_stays_a_500(client_without_raise: Client) -> None:
    page = client_without_raise.get("/test-bug/")
    assert page.status_code == 500
    assert "Retry-After" not in page
