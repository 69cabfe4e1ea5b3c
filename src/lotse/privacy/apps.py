from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lotse.privacy"
    label = "privacy"
    verbose_name = _("Data protection")  # de: Datenschutz

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_person_section

        register_person_section(
            Section(
                key="privacy_export",
                label=_("Access request (Art. 15 GDPR)"),  # de: Auskunft nach Art. 15 DSGVO
                url_name="privacy:export",
                order=90,
            )
        )
