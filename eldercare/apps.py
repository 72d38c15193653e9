from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = _("Elder care")

    def ready(self) -> None:
        from . import imports  # noqa: F401 - registers the staged imports
        from .benefits import register_benefits
        from .dashboard import register_queues
        from .figures import register_figures
        from .payroll import register_provider
        from .standards import register_kinds

        register_kinds()
        register_provider()
        register_benefits()
        register_figures()
        register_queues()
