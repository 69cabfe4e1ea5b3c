from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lotse.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from lotse.api import schema  # noqa: F401 - registers the OpenAPI extensions
