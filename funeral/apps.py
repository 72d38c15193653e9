from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FuneralConfig(AppConfig):
    name = "funeral"
    verbose_name = _("Funerals, marriage and place names")
