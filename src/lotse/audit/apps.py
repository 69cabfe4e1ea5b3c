from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lotse.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from lotse.audit import (
            maintenance,  # noqa: F401 - registers the SQLite function
            signins,  # noqa: F401 - connects the sign-in signals
        )
        from lotse.audit.chain import link_pending
        from lotse.audit.tasks import enqueue_daily_checkpoint
        from lotse.deadlines.scheduler import register_daily_job, register_frequent_job

        register_daily_job("audit.checkpoint", enqueue_daily_checkpoint)
        register_frequent_job("audit.link", link_pending)
