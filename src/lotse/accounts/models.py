"""Users, their organisation and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    TEAM_LEAD = "team_lead", _("Team lead")
    COORDINATION = "coordination", _("Coordination (Servicestelle)")
    PARTNER = "partner", _("Partner organisation")
    ADMINISTRATION = "administration", _("Administration")
    DATA_PROTECTION = "data_protection", _("Data protection (read-only audit)")


class User(AbstractUser):
    """A person working with Lotse. Belongs to one Träger and one organisation."""

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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
