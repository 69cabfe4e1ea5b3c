from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "lotse.sso"
    label = "sso"
    verbose_name = _("Sign-in via the municipality")  # de: Anmeldung über die Kommune
