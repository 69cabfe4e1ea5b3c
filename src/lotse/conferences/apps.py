from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "lotse.conferences"
    label = "conferences"
    verbose_name = _("Case conferences")

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section

        register_case_section(
            Section("conferences", _("Case conferences"), "conferences:case", order=60)
        )
