from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lotse.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from lotse.core import (
            checks,  # noqa: F401 - registers the system checks
            lookups,  # noqa: F401 - registers ``__any_of``
        )
        from lotse.core.datadir import make_private, on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="lotse-private-sqlite")
        if not settings.TESTING:
            make_private(settings.DATA_DIR)
