"""The security walk (issue 14, item 11): every route of the URL conf and every operation of
the OpenAPI schema, with each verb it takes (and the API's with a `.json` suffix), as one
user per role, a township-B administrator and the superuser, with the ids of objects inside
and outside each user's areas.

It fails on
- any server error (5xx);
- any 2xx or 403 for an object outside the user's areas (the rule is 404: its id tells
  nothing);
- any change to an object outside the user's areas, and any change to the object a request
  was refused on (4xx): nothing half-written.

Every request runs in a savepoint that is rolled back, so the walk changes nothing and the
order of the requests does not matter. It grows by itself: a new app's routes are walked as
soon as the URL conf mounts them; a route whose id the walk cannot place fails the test
until its app's `urls.py` declares it in `url_models` (see walk.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import models, transaction
from django.forms.models import model_to_dict
from drf_spectacular.generators import SchemaGenerator

from civil_affairs.core.admin import keeps_history
from civil_affairs.people.models import AccessLog

from . import walk
from .conftest import client_of

pytestmark = pytest.mark.django_db

VERBS = ["get", "post", "put", "patch", "delete"]
NUL_QUERY = {"q": "\x00", "status": "\x00", "program": "\x00", "page": "\x00"}


def _snapshot(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    history = obj.history.count() if keeps_history(type(obj)) else 0  # type: ignore[attr-defined]
    from civil_affairs.core.models import StatusChange

    return (
        model_to_dict(fresh) if fresh is not None else None,
        history,
        AccessLog.objects.count(),
        StatusChange.objects.count(),
    )


class Walker:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.failures: list[str] = []
        self.tried: set[tuple[str, str]] = set()

    def call(
        self,
        client: Any,
        user: Any,
        verb: str,
        url: str,
        target: models.Model | None = None,
        outside: bool = False,
        body: Any = None,
        query: dict[str, str] | None = None,
    ) -> int:
        with transaction.atomic():
            before = _snapshot(target)
            kwargs: dict[str, Any] = {}
            if query is not None:
                kwargs["data"] = query
            elif body is not None:
                kwargs = {"data": body, "content_type": "application/json"}
            response = getattr(client, verb)(url, **kwargs)
            status = response.status_code
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # a streamed export runs as it is read
            try:
                after = _snapshot(target)
            except Exception as exc:  # the request broke the transaction
                after = f"broken: {exc}"
            transaction.set_rollback(True)
        self.counts["requests"] += 1
        self.counts[f"{status // 100}xx"] += 1
        self.counts["outside" if outside else "inside"] += 1
        where = f"{user.username} {verb.upper()} {url}"
        if status >= 500:
            self.failures.append(f"{where} → {status}")
        elif outside and (200 <= status < 300 or status == 403):
            self.failures.append(f"{where} → {status} for an object outside the user's areas")
        if before != after and (outside or status >= 400):
            self.failures.append(f"{where} → {status} changed {type(target).__name__}")
        return status


def _walk_user(walker: Walker, user: Any, routes: list[walk.Route], first: bool) -> None:
    client = client_of(user)
    for route in routes:
        model = route.model()
        if route.id_param() is None and not route.params:
            url = walk.url_of(route, None)
            if url is None:
                continue
            for verb in route.verbs():
                walker.call(client, user, verb, url, body={} if route.is_api else None)
                walker.tried.add((route.pattern, verb))
            if first:  # a NUL byte in every parameter is bad input, not a server error
                walker.call(client, user, "get", url, query=NUL_QUERY)
            continue
        if model is None:
            url = walk.url_of(route, None)  # parameters that are not ids (a token, a label)
            if url is not None:
                for verb in route.verbs():
                    walker.call(client, user, verb, url)
            continue
        places = walk.targets(user, model)
        for obj, outside in ((places.inside, False), (places.outside, True)):
            if obj is None:
                continue
            url = walk.url_of(route, obj)
            if url is None:
                continue
            for verb in route.verbs():
                body = {} if route.is_api and verb in ("post", "put", "patch") else None
                walker.call(client, user, verb, url, obj, outside, body)
                walker.tried.add((route.pattern, verb))
            if route.is_api and first:
                # no format-suffix routes: `.json/` is an unknown address, not a 500
                for verb in route.verbs():
                    walker.call(client, user, verb, walk.json_suffix(url), obj, outside)
                if "post" in route.verbs():  # a JSON list where an object belongs
                    walker.call(client, user, "post", url, obj, outside, body=[])


def test_walk_every_route_and_schema_operation_as_every_role(seeded, overpayments):
    all_routes = [r for r in walk.routes() if r.name not in walk.SKIPPED]
    undeclared = sorted(f"{r.name}: {r.pattern}" for r in all_routes if walk.undeclared(r))
    assert undeclared == [], (
        "These routes take an id the security walk cannot place. Declare each in its app's "
        "urls.py, one line per route: url_models = {'route_name': 'app_label.Model'} "
        "(README, Security): " + "; ".join(undeclared)
    )
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    walker = Walker()
    groups = walk.by_authority(seeded)
    for index, (user, *_same) in enumerate(groups):
        _walk_user(walker, user, all_routes, first=index == 0)

    # every operation of the OpenAPI schema was among the requests
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (path, verb) for path, item in schema["paths"].items() for verb in item if verb in VERBS
    }
    tried = {(_schema_path(pattern), verb) for pattern, verb in walker.tried}
    missing = sorted(f"{verb.upper()} {path}" for path, verb in operations - tried)
    print(
        f"\nsecurity walk: {len(all_routes)} routes, {len(operations)} schema operations, "
        f"{len(seeded)} users in {len(groups)} kinds of authority; "
        + ", ".join(f"{key} {value}" for key, value in sorted(walker.counts.items()))
    )
    assert missing == [], f"schema operations the walk did not try: {missing}"
    assert walker.failures == [], "\n".join(walker.failures[:200])
    assert walker.counts["outside"] > 1000


def _schema_path(pattern: str) -> str:
    """`api/people/(?P<pk>[^/.]+)/reveal/` → `/api/people/{id}/reveal/` (the schema's form)."""
    import re

    path = re.sub(r"\(\?P<pk>[^)]*\)", "{id}", pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return "/" + path.replace("\\", "")
