from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosscheckConfig(AppConfig):
    name = "civil_affairs.crosscheck"
    label = "crosscheck"
    verbose_name = _("Cross-checks and warnings")
