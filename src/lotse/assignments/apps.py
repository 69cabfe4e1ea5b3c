from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "lotse.assignments"
    label = "assignments"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from lotse.cases.sections import Section, register_case_section

        # de: Aufgaben
        register_case_section(Section("tasks", _("Tasks"), "assignments:case_tasks", order=50))

        from lotse.assignments.selectors import open_tasks_relying_on
        from lotse.consent.flags import register_dependents
        from lotse.consent.models import Flow

        register_dependents(Flow.TASK, open_tasks_relying_on)
