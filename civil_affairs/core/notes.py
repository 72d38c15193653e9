"""System-written notes of status changes, stored as what happened and read in the reader's
language.

A service that writes a note itself (not a user's text) registers the sentence once, with a
code, and passes `note_code` and `note_params` to `status.transition`/`first_status`; the
timeline renders the sentence in the language of whoever reads it. `note` keeps the
sentence in the site's default language, for the admin and for any reader of the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation

_MESSAGES: dict[str, Any] = {}
_CHOICES: dict[str, Mapping[str, Any]] = {}


def register(code: str, message: Any, choices: Mapping[str, Any] | None = None) -> str:
    """Register a lazy sentence (gettext_lazy, with %(name)s placeholders) under `code`.
    `choices` names the parameters stored as a choice's value (a TextChoices class): they
    are read as its label, in the reader's language."""
    _MESSAGES[code] = message
    if choices:
        _CHOICES[code] = choices
    return code


def render(code: str, params: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The sentence of `code` in the active language, or `fallback` if it is unknown."""
    message = _MESSAGES.get(code)
    if message is None:
        return fallback
    values = dict(params or {})
    for name, choice in _CHOICES.get(code, {}).items():
        if name in values:
            values[name] = str(dict(choice.choices).get(values[name], values[name]))
    try:
        return str(message) % values if values else str(message)
    except (KeyError, TypeError, ValueError):
        return fallback


def in_default_language(code: str, params: Mapping[str, Any] | None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render(code, params)
