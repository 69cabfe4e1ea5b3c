"""Who Lotse is for security keys (WebAuthn relying party): the RP ID and the origin.

An authenticator binds each credential to the RP ID (a host name) and signs the origin the
browser saw. In production both come from the settings, never from a request's Host header
(``resolve_production`` derives them once at start and fails closed); in development and
tests they follow the request (``localhost`` works; an IP address cannot be an RP ID).

Kept free of models: ``lotse.settings`` imports it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

RP_NAME = "Lotse"


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def rp_id_matches(rp_id: str, host: str) -> bool:
    """The RP ID must be the origin's host or a registrable suffix of it (WebAuthn § 5.1.3)."""
    rp_id, host = rp_id.lower(), host.lower()
    return host == rp_id or host.endswith("." + rp_id)


def resolve_production(
    *, rp_id: str, origin: str, base_url: str, allowed_hosts: list[str]
) -> tuple[str, str]:
    """RP ID and origin for production: explicit, else from LOTSE_BASE_URL, else the one host.

    Never from a request's Host header. Security keys are optional: when nothing is set and
    nothing fits (several host names, no HTTPS base URL), they are switched off — ``("", "")``,
    the code step and the app work as before. Values set explicitly that do not fit together
    refuse the start (``ImproperlyConfigured``), so a typo is not silently ignored.
    """
    explicit = bool(origin or rp_id)
    if not origin:
        if base_url:
            origin = _origin_of(base_url)
        else:
            concrete = [host for host in allowed_hosts if host and "*" not in host]
            if len(concrete) == 1 and not concrete[0].startswith("."):
                origin = f"https://{concrete[0]}"
    if not origin:
        if explicit:
            raise ImproperlyConfigured(
                "LOTSE_WEBAUTHN_RP_ID ist gesetzt, LOTSE_WEBAUTHN_ORIGIN aber nicht und lässt "
                "sich weder aus LOTSE_BASE_URL noch aus genau einem Eintrag in "
                "LOTSE_ALLOWED_HOSTS ableiten. Bitte LOTSE_WEBAUTHN_ORIGIN (z. B. "
                "https://lotse.kreis.de) setzen."
            )
        return "", ""
    parts = urlsplit(origin)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or parts.path not in ("", "/"):
        if not explicit:
            return "", ""  # e.g. an internal http base URL: no security keys, nothing else
        raise ImproperlyConfigured(
            f"LOTSE_WEBAUTHN_ORIGIN {origin!r} ist keine HTTPS-Adresse ohne Pfad "
            "(z. B. https://lotse.kreis.de)."
        )
    origin = _origin_of(origin)
    rp_id = (rp_id or host).lower()
    if not rp_id_matches(rp_id, host):
        raise ImproperlyConfigured(
            f"LOTSE_WEBAUTHN_RP_ID {rp_id!r} passt nicht zu LOTSE_WEBAUTHN_ORIGIN {origin!r}: "
            "die RP-ID muss der Hostname der Adresse oder eine übergeordnete Domain davon sein."
        )
    return rp_id, origin
