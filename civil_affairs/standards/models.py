"""The one effective-dated standards table of every domain (DESIGN.md rule 4).

A row is one amount, multiple, percentage, count or period of a kind (registry.py), for an
area, from a month to a month. Looked up for an area by walking up the tree (village →
township → county), so that a county-wide row applies unless a township (or village) has its
own (selectors.find). Months are their first day; `valid_to` is the last month it applies
(inclusive), empty while in force.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civil_affairs.core.models import TimeStampedModel

from . import registry


class Standard(TimeStampedModel):
    area_lookup = "area"

    kind = models.CharField(_("kind"), max_length=40)
    variant = models.CharField(
        _("variant"),
        max_length=24,
        blank=True,
        help_text=_("What the kind is split by, e.g. urban or rural for the dibao standard."),
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    valid_from = models.DateField(_("from month"))
    valid_to = models.DateField(_("to month"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)
    applied_count = models.PositiveIntegerField(
        _("records changed"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["kind", "variant", "area__code", "-valid_from"]
        indexes = [
            models.Index(fields=["kind", "variant", "area", "valid_from"], name="standard_lookup")
        ]

    def __str__(self) -> str:
        variant = f" {self.variant}" if self.variant else ""
        return (
            f"{self.kind_label}{variant} · {self.area.name} · "
            f"{self.valid_from:%Y-%m}: {self.value} {self.unit_label}"
        )

    @property
    def kind_label(self) -> str:
        return registry.label(self.kind)

    @property
    def unit(self) -> str:
        return registry.get(self.kind).unit if registry.known(self.kind) else ""

    @property
    def unit_label(self) -> str:
        return str(registry.Unit(self.unit).label) if self.unit else ""
