from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "lotse.retention"
    label = "retention"
    verbose_name = _("Erasure and retention")  # de: Löschung und Aufbewahrung

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_person_section
        from lotse.deadlines.scheduler import register_daily_job
        from lotse.people.guards import register_restriction_source
        from lotse.retention.models import Restriction
        from lotse.retention.tasks import enqueue_daily_retention

        register_person_section(
            Section(
                key="erasure",
                label=_("Erasure and restriction"),  # de: Löschung und Einschränkung
                url_name="retention:person",
                order=90,
            )
        )
        register_restriction_source(
            "retention",
            lambda: Restriction.objects.filter(lifted_at__isnull=True).values("person_id"),
        )
        register_daily_job("retention.daily", enqueue_daily_retention)
