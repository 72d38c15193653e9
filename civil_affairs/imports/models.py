"""An uploaded file and its dry run, kept server-side between the check and the confirmation
(and while a job works on it). Each belongs to its uploader: nobody else sees it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas.models import Area
from civil_affairs.core.models import TimeStampedModel


class StagedImport(TimeStampedModel):
    history_exempt = "an upload and its dry run: job bookkeeping read only by its uploader"
    area_lookup = "area"

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        SAVING = "saving", _("Importing")
        SAVED = "saved", _("Imported")
        FAILED = "failed", _("Failed")

    spec_key = models.CharField(_("import"), max_length=100)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staged_imports",
        verbose_name=_("uploaded by"),
    )
    # the uploader's widest area for this import: the access policy scopes by it
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("area"))
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveIntegerField(_("size (bytes)"))
    file_data = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    result = models.JSONField(_("result of the check"), default=dict, blank=True)
    # progress of a job: phase ("checking", "saving"), rows done and rows in all
    phase = models.CharField(_("phase"), max_length=10, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    rows_saved = models.PositiveIntegerField(_("rows imported"), null=True, blank=True)
    as_job = models.BooleanField(_("run as a job"), default=False)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staged import")
        verbose_name_plural = _("staged imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["uploader", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.spec_key} {self.file_name} ({self.pk})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.SAVING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
