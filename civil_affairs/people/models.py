import datetime

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel
from civil_affairs.core.validators import (
    mask_account,
    mask_id_number,
    not_future,
    validate_bank_account,
    validate_id_number,
    validate_no_formula,
)


class Person(TimeStampedModel):
    """One row per resident ID number. Birth date and sex come from the number."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    area_lookup = "area"

    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    name = models.CharField(_("name"), max_length=50, validators=[validate_no_formula])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[validate_no_formula]
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="people", verbose_name=_("area")
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(
        _("bank account"), max_length=32, blank=True, validators=[validate_bank_account]
    )
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["area", "name"]
        indexes = [
            # name-prefix search (LIKE 'abc%') on a million rows
            models.Index(OpClass("name", name="varchar_pattern_ops"), name="person_name_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_id_number}"

    def clean(self) -> None:
        super().clean()
        if self.death_date is None:
            return
        not_future(self.death_date, "death_date")
        if self.birth_date and self.death_date < self.birth_date:
            raise ValidationError(
                {"death_date": _("A date of death cannot be before the birth date.")}
            )

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class AccessLog(models.Model):
    """Who saw whose sensitive data, or exported what, and when. Append-only."""

    history_exempt = "append-only evidence of access; rows are never changed"
    area_lookup = "person__area"  # exports name no person: county-wide (people/admin.py)

    class Action(models.TextChoices):
        VIEW_ID = "view_id", _("Viewed the whole ID number")
        VIEW_BANK = "view_bank", _("Viewed the whole bank account")
        EXPORT = "export", _("Exported a list")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("person")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
