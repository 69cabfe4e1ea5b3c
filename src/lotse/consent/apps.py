from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "lotse.consent"
    label = "consent"
    verbose_name = _("Consent and transfers")

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_person_section
        from lotse.consent.tasks import enqueue_daily_consent_expiry
        from lotse.deadlines.scheduler import register_daily_job

        register_daily_job("consent.expiry", enqueue_daily_consent_expiry)

        # de: Einwilligungen
        register_person_section(
            Section(key="consents", label=_("Consents"), url_name="consent:person", order=40)
        )
        # de: Übermittlungen
        register_person_section(
            Section(key="transfers", label=_("Transfers"), url_name="consent:transfers", order=41)
        )
