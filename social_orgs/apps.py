from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialOrgsConfig(AppConfig):
    name = "social_orgs"
    verbose_name = _("Social organisations")

    def ready(self) -> None:
        from . import imports  # noqa: F401 - registers the registry's staged import
        from .dashboard import register_queues
        from .figures import register_figures
        from .standards import register_kinds

        register_kinds()
        register_figures()
        register_queues()
