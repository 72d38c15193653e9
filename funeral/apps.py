from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FuneralConfig(AppConfig):
    name = "funeral"
    verbose_name = _("Funerals, marriage and place names")

    def ready(self) -> None:
        from civil_affairs.payments import providers

        from . import imports  # noqa: F401 - registers the place-name import
        from .dashboard import register_queues
        from .selectors import register_figures
        from .standards import register_kinds

        register_kinds()
        providers.register_one_off("funeral_fee_waiver", _("Funeral fee waiver"))
        register_figures()
        register_queues()
