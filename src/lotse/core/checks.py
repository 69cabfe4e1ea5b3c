"""System checks of Lotse's own settings (run by every management command at start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def base_url_check(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """Production without ``LOTSE_BASE_URL`` sends reminder e-mails with relative links."""
    if settings.DEBUG or getattr(settings, "DEMO", False) or getattr(settings, "TESTING", False):
        return []
    if getattr(settings, "LOTSE_BASE_URL", ""):
        return []
    return [
        CheckWarning(
            "LOTSE_BASE_URL ist nicht gesetzt: Links in Erinnerungen und Tagesübersichten "
            "sind dann nicht anklickbar.",
            hint="LOTSE_BASE_URL auf die öffentliche Adresse setzen, z. B. https://lotse.kreis.de",
            id="lotse.W001",
        )
    ]
