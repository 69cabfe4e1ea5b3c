"""Absolute links for e-mails: the configured public address ``LOTSE_BASE_URL`` + a path.

Kept free of models: ``lotse.settings`` imports :func:`check_base_url` to refuse a malformed
address at start; an unset address in production is a system check warning
(``lotse.core.checks``), and the links then stay relative.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def check_base_url(value: str) -> str:
    """``value`` without a trailing slash; a set value that is no http(s) address refuses the
    start (a typo would otherwise send dead links to every case manager)."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"LOTSE_BASE_URL ist keine gültige Adresse: {value!r}. Erwartet wird die öffentliche "
            "Adresse von Lotse mit http:// oder https://, z. B. https://lotse.kreis.de "
            "(ohne ? oder #)."
        )
    return value.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``) as a link for an e-mail: with ``LOTSE_BASE_URL`` in front."""
    from django.conf import settings

    base = check_base_url(getattr(settings, "LOTSE_BASE_URL", "") or "")
    return f"{base}{path}"
