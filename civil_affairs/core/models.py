from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:  # noqa: N802 - Django's name
        """get_<field>_display(): the label of the value alone. Django's own builds a dict of
        every choice each call, which translates every label (a list of 50 rows with two
        such columns translated 1,000 labels, a fifth of the page's time)."""
        value = getattr(self, field.attname)
        for key, label in field.flatchoices:
            if key == value:
                return force_str(label, strings_only=True)
        return force_str(value, strings_only=True)


class StatusChange(models.Model):
    """One row per status change of any model that goes through `core.status.transition`."""

    history_exempt = "append-only: each row is itself the record of a change"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    old_status = models.CharField(_("old status"), max_length=32)
    new_status = models.CharField(_("new status"), max_length=32)
    actor = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("actor")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    # a note the system wrote: what happened, rendered in the reader's language (core.notes)
    note_code = models.CharField(_("note code"), max_length=60, blank=True)
    note_params = models.JSONField(_("note parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"

    @property
    def text(self) -> str:
        """The note as the reader reads it: a system note in their language, else as typed."""
        if self.note_code:
            from .notes import render

            return render(self.note_code, self.note_params, self.note)
        return self.note


class QueuedTask(models.Model):
    """A Celery task the broker has not taken yet (core/queue.py): written in the transaction
    that asks for the job, sent after the commit, deleted once the broker has it. Should the
    broker be down, the row waits and the minute job sends it when the broker is back."""

    history_exempt = "job bookkeeping: a row lives until the broker has taken its task"

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
