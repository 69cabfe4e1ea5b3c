from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "lotse.sharing"
    label = "sharing"
    verbose_name = _("Partner access by consent")  # de: Zugriff von Partnern mit Einwilligung
