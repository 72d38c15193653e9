"""Schemathesis against the OpenAPI schema (issue 14, item 12): for every operation, requests
generated from the schema (valid ones and, for bodies and parameters, invalid ones), sent as
an authenticated county administrator (token) through the WSGI application, with a fixed
budget. No answer may be a server error, and every answer must conform to the schema
(status code documented, body matching its schema, content type).

Each request runs in a savepoint that is rolled back: what one request writes never feeds
the next, and the budget stays the same however the data grows."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

pytestmark = pytest.mark.django_db

EXAMPLES = 12  # per operation and mode: ~65 operations × 2 modes × 12 ≈ 1,500 requests
CHECKS = [
    getattr(st_checks, name)  # schemathesis registers its checks by name
    for name in (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
]


@pytest.fixture
def wsgi_app() -> Any:
    """The project's WSGI application in the test's transaction: the per-request connection
    housekeeping is left out, as Django's test client leaves it out."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_generated_requests_get_no_server_error_and_conform_to_the_schema(seeded, wsgi_app):
    admin = next(u for u in seeded if u.username == "admin_b")  # a township administrator
    token = Token.objects.create(user=admin).key
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw)
    counts: Counter[str] = Counter()
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                with transaction.atomic():
                    response = case.call(app=wsgi_app, headers={"Authorization": f"Token {token}"})
                    counts["requests"] += 1
                    counts[f"{response.status_code // 100}xx"] += 1
                    try:
                        case.validate_response(response, checks=CHECKS)
                    except (Exception, BaseExceptionGroup) as exc:
                        failures.append(f"{case.method} {case.formatted_path}: {exc}"[:600])
                    transaction.set_rollback(True)

            run()
            counts["operations × modes"] += 1

    print("\nschemathesis: " + ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    assert counts["requests"] > 500
    assert failures == [], "\n".join(sorted(set(failures))[:50])
