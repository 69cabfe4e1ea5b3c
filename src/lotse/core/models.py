"""Shared model infrastructure: tenant ownership and optimistic locking."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantQuerySet(models.QuerySet):
    """Every query on tenant-owned data goes through ``for_traeger`` (or a selector using it)."""

    def for_traeger(self, traeger: Any) -> TenantQuerySet:
        return self.filter(traeger=traeger)


class TenantOwned(models.Model):
    """A row that belongs to exactly one Träger; data never crosses Träger boundaries."""

    traeger = models.ForeignKey(
        "tenancy.Traeger", on_delete=models.PROTECT, related_name="+", verbose_name=_("Träger")
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic locking: a save must name the version it read (see ``core.locking``)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class ProcessHeartbeat(models.Model):
    """When a background process (worker, scheduler) on a host was last seen alive.

    One row per role and host, overwritten every few seconds; a restarted process takes over
    its row. Holds no personal data and no Träger's data (``/healthz`` reads it without login).
    """

    class Role(models.TextChoices):
        # de: Hintergrundprozess (Worker)
        WORKER = "worker", _("background worker")
        # de: Zeitplaner
        SCHEDULER = "scheduler", _("scheduler")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("process heartbeat")
        verbose_name_plural = _("process heartbeats")
        constraints = [
            models.UniqueConstraint(fields=["role", "host"], name="heartbeat_role_host_unique")
        ]
        indexes = [models.Index(fields=["role", "-last_seen"], name="heartbeat_role_seen_idx")]

    def __str__(self) -> str:
        return f"{self.role}@{self.host}"
