from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "lotse.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section, register_person_section

        # de: Teilhabemanagement
        register_case_section(
            Section(
                key="teilhabe",
                label=_("Participation programme"),
                url_name="programmes:participation",
                order=40,
            )
        )
        # de: Weiterleitung an die Ausländerbehörde
        register_case_section(
            Section(
                key="abh",
                label=_("Referral to the immigration authority"),
                url_name="programmes:referrals",
                order=50,
            )
        )
        # de: Teilhabe-Prüfung
        register_person_section(
            Section(
                key="teilhabe-pruefung",
                label=_("Programme eligibility"),
                url_name="programmes:eligibility",
                order=40,
            )
        )

        from lotse.consent.flags import register_dependents
        from lotse.consent.models import Flow
        from lotse.programmes.selectors import open_abh_referrals_relying_on

        register_dependents(Flow.ABH_REFERRAL, open_abh_referrals_relying_on)
