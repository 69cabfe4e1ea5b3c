"""API tokens: only a SHA-256 hash of the secret is stored, every token expires."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal access token for ``/api/v1/`` (``Authorization: Bearer <token>``).

    The secret is shown once when the token is created and never stored: the table holds its
    first characters (``prefix``, to find the row and to tell tokens apart) and its SHA-256 hash.
    A stolen database copy therefore yields no usable token (OWASP ASVS 3.5.2, 2.10.4).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)  # de: Bezeichnung
    prefix = models.CharField(_("prefix"), max_length=8)  # de: Kennung
    token_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)  # de: erstellt
    expires_at = models.DateTimeField(_("expires"))  # de: läuft ab
    last_used_at = models.DateTimeField(
        _("last used"), null=True, blank=True
    )  # de: zuletzt benutzt
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)  # de: widerrufen

    class Meta:
        verbose_name = _("API token")  # de: API-Token
        verbose_name_plural = _("API tokens")  # de: API-Tokens
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prefix"], name="apitoken_prefix_idx")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
