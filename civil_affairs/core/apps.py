from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civil_affairs.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # third-party apps without a translatable name of their own: their admin sections
        # are titled in the reader's language too (the project's locale has the Chinese)
        from django.apps import apps

        names = {"axes": _("Login attempts (axes)")}
        for label, name in names.items():
            if apps.is_installed(label):
                apps.get_app_config(label).verbose_name = name
