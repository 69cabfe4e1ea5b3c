from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "lotse.offers"
    label = "offers"
    verbose_name = _("Offers and referrals")

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section

        # de: Angebote
        register_case_section(Section("offers", _("Offers"), "offers:case_referrals", order=40))

        from lotse.consent.flags import register_dependents
        from lotse.consent.models import Flow
        from lotse.offers.selectors import open_referrals_relying_on

        register_dependents(Flow.REFERRAL, open_referrals_relying_on)
