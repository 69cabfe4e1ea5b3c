"""The link between an account at the municipality's identity provider and a Lotse user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """``(issuer, subject)`` of an OpenID Connect provider, linked to one existing user.

    Lotse never creates users or roles from the provider's claims: the Träger, organisation and
    roles are managed in Lotse. A user has at most one identity per provider.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("identity provider"), max_length=255)  # de: Identitätsanbieter
    subject = models.CharField(_("subject"), max_length=255)  # de: Kennung beim Anbieter
    created_at = models.DateTimeField(_("linked"), default=timezone.now)  # de: verknüpft
    last_login_at = models.DateTimeField(
        _("last sign-in"), null=True, blank=True
    )  # de: letzte Anmeldung

    class Meta:
        verbose_name = _("external identity")  # de: externe Identität
        verbose_name_plural = _("external identities")  # de: externe Identitäten
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique"),
            models.UniqueConstraint(fields=["user", "issuer"], name="sso_one_identity_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ← {self.issuer} {self.subject}"
