from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = _("Social assistance")

    def ready(self) -> None:
        from . import imports  # noqa: F401 - registers the household import (staged)
        from .benefits import register_benefits
        from .dashboard import register_queues
        from .payroll import register_providers
        from .rules import register_one_offs
        from .standards import register_kinds

        register_providers()
        register_one_offs()
        register_kinds()
        register_benefits()
        register_queues()
