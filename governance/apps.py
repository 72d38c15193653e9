from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Community governance")

    def ready(self) -> None:
        from . import imports  # noqa: F401 - registers the staged import
        from .dashboard import register_queues
        from .figures import register_figures
        from .standards import register_kinds

        register_kinds()
        register_figures()
        register_queues()
