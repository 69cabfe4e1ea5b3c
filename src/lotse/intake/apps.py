from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lotse.intake"
    label = "intake"
    verbose_name = _("Initial interview and assessment")  # de: Erstgespräch und Assessment

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section

        for order, key, label in (
            (10, "interview", _("Initial interview")),  # de: Erstgespräch
            (20, "assessment", _("Assessment")),  # de: Assessment
            (30, "profile", _("Profile")),  # de: Profil
            (40, "interpreters", _("Interpreting")),  # de: Sprachmittlung
        ):
            register_case_section(
                Section(key=f"intake-{key}", label=label, url_name=f"intake:{key}", order=order)
            )
