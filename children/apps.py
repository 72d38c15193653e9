from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = _("Child welfare")

    def ready(self) -> None:
        from . import imports  # noqa: F401 - registers the registry's staged import
        from .benefits import register_benefits
        from .dashboard import register_queues
        from .figures import register_figures
        from .payroll import register_providers
        from .standards import register_kinds

        register_kinds()
        register_providers()
        register_benefits()
        register_figures()
        register_queues()
