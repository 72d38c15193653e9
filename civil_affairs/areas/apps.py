from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "civil_affairs.areas"
    label = "areas"
    verbose_name = _("Areas and staff")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import sync_groups

        post_migrate.connect(sync_groups, dispatch_uid="areas.sync_groups")
