from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Community governance")

    def ready(self) -> None:
        from .figures import register_figures
        from .standards import register_kinds

        register_kinds()
        register_figures()
