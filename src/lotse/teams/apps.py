from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "lotse.teams"
    label = "teams"
    verbose_name = _("Case teams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section

        register_case_section(Section("team", _("Case team"), "teams:case_team", order=5))
