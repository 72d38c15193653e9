"""Reads of the staged import: a user sees only their own uploads, in their areas."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from civil_affairs.areas import policy

from .models import StagedImport


def own_imports(*, user: Any) -> QuerySet[StagedImport]:
    return policy.scope(user, StagedImport.objects.filter(uploader_id=user.pk)).defer("file_data")


def staged_import_get(*, user: Any, pk: int) -> StagedImport:
    item = own_imports(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def recent(*, user: Any, spec_key: str | None = None, limit: int = 10) -> list[StagedImport]:
    rows = own_imports(user=user)
    if spec_key is not None:
        rows = rows.filter(spec_key=spec_key)
    return list(rows.defer("result")[:limit])
