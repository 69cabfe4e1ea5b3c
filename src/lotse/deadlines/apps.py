from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "lotse.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_person_section

        # de: Fristen
        register_person_section(
            Section(key="deadlines", label=_("Deadlines"), url_name="deadlines:person", order=30)
        )
        from lotse.deadlines import tasks  # noqa: F401  (registers the background tasks)
        from lotse.deadlines.services import deadlines_refresh_after_change
        from lotse.people.events import on_person_changed

        on_person_changed("deadlines", deadlines_refresh_after_change)
