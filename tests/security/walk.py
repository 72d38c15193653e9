"""What the security walk tries: every route of the URL conf (pages, admin, API), each with
the verbs it takes, as a given user, with ids of objects inside and outside the user's areas.

How a route's id is known (a new app's routes are walked as soon as they are mounted):
- the admin's routes: their ModelAdmin's model;
- the API's routes: their viewset's `queryset` model, else its serializer's `Meta.model`;
- the pages' routes: the `url_models` mapping of the app's `urls.py` (route name → "app.Model",
  one line per route whose path takes an id: `"household_detail": "relief.Household"`).
A route with an id the walk cannot place is reported (the test fails until it is declared).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from rest_framework.viewsets import ViewSetMixin

from civil_affairs.areas import policy
from civil_affairs.core.admin import keeps_history

ID_PARAMS = ("pk", "object_id", "id")
# routes the walk does not call, and why
SKIPPED = {
    "logout": "ends the walker's session",
    "admin:logout": "ends the walker's session",
    "admin:password_change": "Django's own form for the user's password",
}
SAMPLE = {
    "app_label": "people",
    "token": "x",
    "step": "accept",
    "url": "x",
    "spec_key": "relief.households",  # a staged import (civil_affairs/imports)
}


@dataclass
class Route:
    name: str
    pattern: str
    params: list[str]
    callback: Any
    declared: dict[str, str] = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def viewset(self) -> Any:
        cls = getattr(self.callback, "cls", None)
        return cls if cls is not None and issubclass(cls, ViewSetMixin) else None

    def verbs(self) -> list[str]:
        """The API's verbs of the route (HEAD is its GET); pages and the admin answer GET and
        POST (another verb reaches the same code as one of them, or 405)."""
        if self.viewset is not None:
            actions = getattr(self.callback, "actions", None) or {"get": "list"}
            return sorted(verb for verb in actions if verb != "head")
        return ["get", "post"]

    def model(self) -> type[models.Model] | None:
        """The model whose id the route takes, or None when the walk cannot tell."""
        if self.name == "admin:view_on_site":  # any model: the walk tries people
            return apps.get_model("people.Person")
        model_admin = getattr(self.callback, "model_admin", None)
        if model_admin is not None:
            return model_admin.model  # type: ignore[no-any-return]
        for model in admin.site._registry:  # an admin's extra view: admin:<app>_<model>_…
            if self.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
                return model
        if self.viewset is not None:
            queryset = getattr(self.viewset, "queryset", None)
            if queryset is not None:
                return queryset.model  # type: ignore[no-any-return]
            serializer = getattr(self.viewset, "serializer_class", None)
            meta = getattr(serializer, "Meta", None)
            return getattr(meta, "model", None)
        label = self.declared.get(self.name.rsplit(":", 1)[-1])
        return apps.get_model(label) if label else None

    def id_param(self) -> str | None:
        if self.name == "admin:view_on_site":
            return "object_id"
        for name in (p.removeprefix(POSITIONAL) for p in self.params):
            if name in ID_PARAMS:
                return name
        return None


def routes() -> Iterator[Route]:
    yield from _walk(get_resolver(), "", "", {}, [])


def _params(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    named = list(pattern.regex.groupindex)
    if named or not pattern.regex.groups:
        return named
    # unnamed groups (simple-history's `([^/]+)/history/([^/]+)/`): the object, the version
    positional = ["object_id", "version_id"][: pattern.regex.groups]
    return [f"{POSITIONAL}{name}" for name in positional]


POSITIONAL = "*"


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, declared: dict[str, str], params: list[str]
) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        here = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            module = entry.urlconf_module
            inner = getattr(module, "url_models", declared) if not isinstance(module, list) else {}
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, here, space, inner, [*params, *_params(entry.pattern)])
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(name, here, [*params, *_params(entry.pattern)], entry.callback, declared)


def undeclared(route: Route) -> bool:
    """A route with an id whose model the walk cannot tell."""
    id_param = route.id_param()
    has_int = any(p.removeprefix(POSITIONAL) not in (*SAMPLE, "version_id") for p in route.params)
    return (id_param is not None or has_int) and route.model() is None


def url_of(route: Route, obj: models.Model | None) -> str | None:
    """The route's URL with `obj`'s id (and a sample for its other parameters)."""
    if not route.name:
        return None
    kwargs: dict[str, Any] = {}
    for name in (p.removeprefix(POSITIONAL) for p in route.params):
        if name in ID_PARAMS:
            if obj is None:
                return None
            kwargs[name] = obj.pk
        elif name == "version_id":
            kwargs[name] = _version(obj)
        elif name == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            if obj is None:
                return None
            kwargs[name] = ContentType.objects.get_for_model(obj).pk
        else:
            kwargs[name] = SAMPLE.get(name, "x")
    if route.name == "admin:view_on_site" and obj is not None:
        kwargs["object_id"] = obj.pk
    if any(p.startswith(POSITIONAL) for p in route.params):
        return reverse(route.name, args=list(kwargs.values()))
    return reverse(route.name, kwargs=kwargs)


def _version(obj: models.Model | None) -> int:
    if obj is None or not keeps_history(type(obj)):
        return 1
    record = obj.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    return record.history_id if record is not None else 1


def json_suffix(url: str) -> str:
    """The same API route with a format suffix (`…/approve.json/`)."""
    return re.sub(r"/$", ".json/", url)


@dataclass
class Targets:
    inside: models.Model | None
    outside: models.Model | None


def targets(user: Any, model: type[models.Model]) -> Targets:
    """An object of `model` in the user's areas and one outside them (None where there is
    none, or where the model has no area: county-wide settings are inside for everyone)."""
    rows = model._default_manager.order_by("pk")
    # a decision published for the areas below (area_reads_up) is inside for them too
    read = policy.scope_up if getattr(model, "area_reads_up", False) else policy.scope
    try:
        scoped = read(user, model._default_manager.all())
    except TypeError:  # no area_lookup: a county-wide setting
        return Targets(rows.first(), None)
    return Targets(scoped.order_by("pk").first(), rows.exclude(pk__in=scoped.values("pk")).first())


def by_authority(users: list[Any]) -> list[list[Any]]:
    """The users grouped by what they may do: the same areas, the same answer from the policy
    for every action, the same Django permissions (the admin) — such users get the same answer
    from every route, so the walk tries one of each group. A role that a new app gives its own
    actions or permissions gets a group of its own at once."""
    groups: dict[Any, list[Any]] = {}
    for user in users:
        signature = (
            user.is_superuser,
            frozenset(policy.area_ids(user)),
            frozenset(
                (action, frozenset(policy.area_ids(user, allowed)))
                for action, allowed in policy.ACTIONS.items()
            ),
            frozenset(user.get_all_permissions()),
            frozenset(
                action for action in policy.ACTIONS if policy.holds_county_wide(user, action)
            ),
        )
        groups.setdefault(signature, []).append(user)
    return list(groups.values())
