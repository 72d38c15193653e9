from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


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

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


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
