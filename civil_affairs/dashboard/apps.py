from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "civil_affairs.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboards and the annual report")

    def ready(self) -> None:
        from . import builtin, signals

        builtin.register()
        signals.connect()
