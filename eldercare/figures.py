"""Elder care's figures of the dashboards and the annual report (section 二)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civil_affairs.dashboard import figures

from . import selectors

SECTION = "二"


def register_figures() -> None:
    for key, label, definition, unit, compute, url in (
        (
            "eldercare.centres_built",
            _("Home-care centres built"),
            _(
                "Home-care service centres of townships and communities whose building was "
                "finished by the end of the period (built or operating)."
            ),
            figures.Unit.COUNT,
            selectors.figure_centres_built,
            "eldercare:centre_list",
        ),
        (
            "eldercare.centres_under_construction",
            _("Home-care centres under construction"),
            _(
                "Home-care service centres whose construction had started but was not "
                "finished at the end of the period."
            ),
            figures.Unit.COUNT,
            selectors.figure_centres_under_construction,
            "eldercare:centre_list",
        ),
        (
            "eldercare.modifications_completed",
            _("Aging-friendly home modifications completed"),
            _("Households whose modification passed its acceptance check in the period."),
            figures.Unit.COUNT,
            selectors.figure_modifications_completed,
            "eldercare:modification_list",
        ),
        (
            "eldercare.units_screened",
            _("Units screened for illegal fund-raising"),
            _(
                "Distinct units with 养老 in their name (care institutions and other units) "
                "screened for illegal fund-raising in the period."
            ),
            figures.Unit.COUNT,
            selectors.figure_units_screened,
            "eldercare:screening_list",
        ),
        (
            "eldercare.centres_screened",
            _("Home-care centres screened for illegal fund-raising"),
            _("Distinct home-care service centres screened in the period."),
            figures.Unit.COUNT,
            selectors.figure_centres_screened,
            "eldercare:screening_list",
        ),
        (
            "eldercare.vaccination_rate",
            _("Residents of care institutions vaccinated"),
            _(
                "Percent of the people living in care institutions at the end of the period "
                "who were vaccinated by then."
            ),
            figures.Unit.PERCENT,
            selectors.figure_vaccination_rate,
            "eldercare:institution_list",
        ),
        (
            "eldercare.care_workers_certified_share",
            _("Care workers with a certificate"),
            _(
                "Percent of the care workers employed by institutions and centres at the end "
                "of the period who held a skill certificate by then."
            ),
            figures.Unit.PERCENT,
            selectors.figure_care_workers_certified_share,
            "eldercare:careworker_list",
        ),
    ):
        figures.register(
            figures.Figure(
                key=key,
                label=label,
                definition=definition,
                unit=unit,
                compute=compute,
                records_url=selectors.records_url(url),
                section=SECTION,
            )
        )
