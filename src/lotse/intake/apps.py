from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lotse.intake"
    label = "intake"
    verbose_name = _("Initial interview and assessment")
