"""Users, their organisation and their roles."""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField


class Role(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    TEAM_LEAD = "team_lead", _("Team lead")
    COORDINATION = "coordination", _("Coordination (Servicestelle)")
    PARTNER = "partner", _("Partner organisation")
    ADMINISTRATION = "administration", _("Administration")
    DATA_PROTECTION = "data_protection", _("Data protection (read-only audit)")


def normalise_username(value: str) -> str:
    """The one spelling of a user name: NFKC, then case-folded (and NFKC again, as case folding
    can undo it).

    Full-width "ｃａｓｅｍａｎａｇｅｒ" and "CaseManager" are "casemanager": the lockout counts them
    together and the sign-in finds the same account (issue 9: other spellings bypassed the
    lockout). Stored user names are kept in this form (``User.clean``, the manager).
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


class LotseUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        """The sign-in's lookup (Django's ModelBackend): by the normalised user name."""
        return self.get(**{self.model.USERNAME_FIELD: normalise_username(username or "")})


class User(AbstractUser):
    """A person working with Lotse. Belongs to one Träger and one organisation."""

    objects: ClassVar[LotseUserManager] = LotseUserManager()  # type: ignore[assignment]

    traeger = models.ForeignKey(
        "tenancy.Traeger",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("Träger"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    mfa_exempt = models.BooleanField(
        _("demo account without second factor"),  # de: Demo-Konto ohne zweiten Faktor
        default=False,
        # de: Gilt nur im Demo-Betrieb (LOTSE_DEMO=1); im Produktivbetrieb wirkungslos.
        help_text=_("Honoured only in demo mode (LOTSE_DEMO=1); ignored in production."),
    )
    session_epoch = models.PositiveIntegerField(
        default=0,
        editable=False,
        # de: Wird bei jedem Zurücksetzen des zweiten Faktors erhöht und beendet dann alle
        # Sitzungen des Kontos.
        help_text=_("Raised when the second factor is reset; ends every session of the account."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @classmethod
    def normalize_username(cls, username: str) -> str:
        """Used by ``clean()`` (admin forms) and the manager's ``create_user`` /
        ``create_superuser`` (``createsuperuser``)."""
        return normalise_username(username) if isinstance(username, str) else username

    @property
    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            if not self.pk:
                return frozenset()
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, bound to ``session_epoch`` once that is raised.

        Sessions keep this hash and end when it no longer matches (like after a password
        change): raising the epoch signs the account out everywhere. At epoch 0 it is Django's
        own hash, so existing sessions survive the introduction of the field.
        """
        base = super().get_session_auth_hash()
        if not self.session_epoch:
            return base
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "lotse.accounts.User.session_epoch",
            f"{base}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_user_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class LoginFailure(models.Model):
    """A failed sign-in, kept briefly to throttle password guessing (ASVS 2.2.1)."""

    username = models.CharField(max_length=150, db_index=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "occurred_at"], name="loginfailure_user_idx"),
            models.Index(fields=["ip_address", "occurred_at"], name="loginfailure_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.occurred_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """The user's authenticator app (TOTP, RFC 6238): one per user.

    ``secret`` is the Base32 key shared with the app. ``last_used_step`` is the 30-second time
    step of the last accepted code: a code of that step or an earlier one is refused, so an
    observed code cannot be replayed (ASVS 2.8.4).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField(_("secret"))  # de: Geheimnis
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")  # de: Authenticator-App
        verbose_name_plural = _("authenticator apps")  # de: Authenticator-Apps

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use recovery code, stored as a salted SHA-256 hash (never in clear text)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")  # de: Wiederherstellungscode
        verbose_name_plural = _("recovery codes")  # de: Wiederherstellungscodes

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class WebAuthnCredential(models.Model):
    """A security key or passkey of the user (WebAuthn), an additional second factor.

    Only the public key is stored: the private key never leaves the authenticator.
    ``credential_id`` is the authenticator's credential id in base64url (as the browser sends
    it). ``sign_count`` is the authenticator's signature counter: a sign-in whose counter does
    not exceed the stored one is refused, as it points to a cloned key (WebAuthn § 6.1.1).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webauthn_credentials")
    # de: Kennung des Schlüssels
    credential_id = models.CharField(_("credential id"), max_length=1400, unique=True)
    public_key = models.BinaryField(_("public key"))  # de: öffentlicher Schlüssel
    # de: Signaturzähler
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0)
    transports = models.JSONField(_("transports"), default=list, blank=True)  # de: Verbindungsarten
    name = models.CharField(_("name"), max_length=64)  # de: Name
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)  # de: erstellt am
    # de: zuletzt verwendet am
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # SHA-256 of the challenge of the last accepted sign-in: two simultaneous requests with the
    # same response (possible in one session for keys whose counter stays 0, e.g. synced
    # passkeys) are told apart under the row lock, so a response counts exactly once.
    last_challenge = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("security key")  # de: Sicherheitsschlüssel
        verbose_name_plural = _("security keys")  # de: Sicherheitsschlüssel
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.name}"
