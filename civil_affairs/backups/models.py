from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    """One run of the database backup (`pg_dump`, custom format) and of the uploaded files."""

    history_exempt = "a log of backup runs written by the job; the files are the evidence"

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        PURGED = "purged", _("Deleted (older than kept)")

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    database_file = models.CharField(_("database dump"), max_length=500, blank=True)
    media_file = models.CharField(_("uploaded files archive"), max_length=500, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Empty when the nightly job started it."),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
