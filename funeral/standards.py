"""The funeral app's kinds of standards (civil_affairs/standards): the marriage ages, the two
divorce windows and the fee waiver's amount are rows of the shared table, never literals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civil_affairs.standards import registry

Unit = registry.Unit

MARRIAGE_AGE = "funeral.marriage_age"  # variants male / female
COOLING_OFF_DAYS = "funeral.divorce_cooling_off"
CERTIFICATE_DAYS = "funeral.divorce_certificate_window"
FEE_WAIVER = "funeral.fee_waiver"

MALE, FEMALE = "male", "female"


def register_kinds() -> None:
    registry.register(
        registry.Kind(
            code=MARRIAGE_AGE,
            label=_("Marriage: the least age on the registration day"),
            unit=Unit.YEARS,
            app="funeral",
            variants=(MALE, FEMALE),
            variant_help=_("male or female"),
        )
    )
    registry.register(
        registry.Kind(
            code=COOLING_OFF_DAYS,
            label=_("Divorce by agreement: days of the cooling-off period"),
            unit=Unit.DAYS,
            app="funeral",
        )
    )
    registry.register(
        registry.Kind(
            code=CERTIFICATE_DAYS,
            label=_(
                "Divorce by agreement: days after the cooling-off to apply for the certificate"
            ),
            unit=Unit.DAYS,
            app="funeral",
        )
    )
    registry.register(
        registry.Kind(
            code=FEE_WAIVER,
            label=_("Funeral basic-service fee waiver (per death)"),
            unit=Unit.YUAN,
            app="funeral",
        )
    )
