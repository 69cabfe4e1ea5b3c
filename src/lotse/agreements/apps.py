from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "lotse.agreements"
    label = "agreements"
    verbose_name = _("Integration agreements")  # de: Integrationsvereinbarungen

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section

        register_case_section(
            Section(
                key="agreement",
                label=_("Integration agreement"),  # de: Integrationsvereinbarung
                url_name="agreements:detail",
                order=30,
            )
        )
