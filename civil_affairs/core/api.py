"""One exception handler for the API: service errors become 400/403/404 with field messages."""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, parsers, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .months import parse_month
from .spreadsheet import FORMULA_STARTS
from .validators import validate_no_formula


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


# ---- what the API reads: no NUL character (PostgreSQL refuses it in text) and no spreadsheet
# formula in any text value, refused in one place for every endpoint with the field named.

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def refused_text(value: str) -> str | None:
    """Why an incoming text value is refused, or None. A signed number ("-5.00") is left to
    the field that reads it, and so is a lone tab (a list's delimiter)."""
    if "\x00" in value:
        return _("No field may contain a NUL character (%00).")
    if value[:1] in FORMULA_STARTS and value.strip() and not NUMBER.match(value):
        try:
            validate_no_formula(value)
        except DjangoValidationError as exc:
            return str(exc.messages[0])
    return None


def check_text(data: Any, path: str = "") -> None:
    """Raise a 400 naming the first field (dotted path) whose text is refused."""
    if isinstance(data, str):
        problem = refused_text(data)
        if problem is not None:
            raise exceptions.ValidationError({path or "non_field_errors": [problem]})
    elif isinstance(data, QueryDict):  # a form: each field may come more than once
        for key, values in data.lists():
            check_text(str(key), "non_field_errors")
            for value in values:
                check_text(value, str(key))
    elif isinstance(data, Mapping):
        for key, value in data.items():
            check_text(str(key), path or "non_field_errors")
            check_text(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            check_text(value, f"{path}.{index}" if path else str(index))


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        check_text(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        check_text(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        check_text(parsed.data)
        return parsed


# ---- the schema documents the errors every operation can answer (schemathesis checks that
# each answer is documented; tests/security/test_schema.py)

ERROR_RESPONSES: dict[str, dict[str, Any]] = {
    "400": {
        "description": "Bad input: messages by field name (or non_field_errors / detail).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    "401": {"description": "Not authenticated."},
    "403": {
        "description": "Not authenticated, or the role may not do this (with the reason).",
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"detail": {"type": "string"}}}
            }
        },
    },
    "404": {
        "description": "No such object in the user's areas (or no such page).",
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"detail": {"type": "string"}}}
            }
        },
    },
    "415": {"description": "A media type the operation does not read."},
}


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the error answers to every operation."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                for code, response in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(code, response)
    return result


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-04"})
class MonthField(serializers.Field):
    """YYYY-MM in and out."""

    def to_representation(self, value: Any) -> str:
        return f"{value:%Y-%m}"

    def to_internal_value(self, data: Any) -> Any:
        try:
            return parse_month(str(data))
        except ValueError:
            raise serializers.ValidationError("YYYY-MM") from None
