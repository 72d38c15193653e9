import importlib
import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = _("Elder care")

    def ready(self) -> None:
        from .benefits import register_benefits
        from .figures import register_figures
        from .payroll import register_provider
        from .standards import register_kinds

        register_kinds()
        register_provider()
        register_benefits()
        register_figures()
        # the staged imports, where the shared machinery is installed
        if importlib.util.find_spec("civil_affairs.imports") is not None:
            importlib.import_module("eldercare.imports")
