from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialOrgsConfig(AppConfig):
    name = "social_orgs"
    verbose_name = _("Social organisations")

    def ready(self) -> None:
        from .figures import register_figures
        from .standards import register_kinds

        register_kinds()
        register_figures()
