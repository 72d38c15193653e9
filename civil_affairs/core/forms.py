import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .months import parse_month
from .validators import validate_no_formula


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def guard_text(field: forms.Field) -> None:
    """A text field refuses a spreadsheet formula (= + - @ first), like `clean_text`; a
    password is no text that is ever exported."""
    if (
        isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.PasswordInput)
        and validate_no_formula not in field.validators
    ):
        field.validators.append(validate_no_formula)


class GuardedFormMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class: Any = super().__new__(mcs, name, bases, attrs)
        for field in new_class.base_fields.values():
            guard_text(field)
        return new_class


class GuardTextMixin:
    """Every text field of the form, declared or added in `__init__`, refuses a spreadsheet
    formula with a message under the field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            guard_text(field)


class Form(GuardTextMixin, forms.Form, metaclass=GuardedFormMetaclass):
    """The base of the project's forms (the admin's forms get the same from
    `core.admin.HistoryAdmin.get_form`; the API from `core.api`'s parsers)."""


class BootstrapForm(Form):
    """Gives every widget Bootstrap's class, and marks fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-04"})

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM."), code="month") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value
