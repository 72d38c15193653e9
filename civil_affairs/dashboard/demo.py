"""Demo targets (as the 2023 plan sets them) and a first refresh of the payments summary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from . import summary
from .models import SummaryRefresh, Target

# (figure key, value) per year: the 2023 plan's social-work coverage of at least 30%, and the
# same for the current and the next year so that the dashboards show a figure against it
TARGETS = [
    ("social_orgs.social_work_coverage", Decimal("30")),
    ("children.director_coverage", Decimal("100")),
    ("governance.public_health_coverage", Decimal("100")),
    ("eldercare.vaccination_rate", Decimal("90")),
]


def load(areas: dict[str, Any]) -> None:
    county = next(a for a in areas.values() if a.level == "county")
    year = timezone.localdate().year
    for target_year in (2023, year, year + 1):
        for key, value in TARGETS:
            Target.objects.get_or_create(
                figure_key=key,
                area=county,
                year=target_year,
                defaults={"value": value, "note": "2023年工作计划"},
            )
    refresh = SummaryRefresh.objects.create(trigger=SummaryRefresh.Trigger.ON_DEMAND)
    summary.run(refresh.pk)
