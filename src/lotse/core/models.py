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
