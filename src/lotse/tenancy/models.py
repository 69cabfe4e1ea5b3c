"""The Träger: a Kreis or kreisfreie Stadt that runs integration management (the tenant)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Traeger(models.Model):
    class Kind(models.TextChoices):
        KREIS = "kreis", _("District (Kreis)")
        KREISFREIE_STADT = "kreisfreie_stadt", _("District-free city (kreisfreie Stadt)")
        STADT = "stadt", _("Town (kreisangehörige Stadt)")

    slug = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.KREIS)
    state = models.CharField(_("federal state"), max_length=64, default="NW")
    config_version = models.CharField(_("configuration version"), max_length=64, blank=True)
    config_date = models.DateField(_("configuration date"), null=True, blank=True)
    config_loaded_at = models.DateTimeField(_("configuration loaded at"), null=True, blank=True)
    school_holidays = models.JSONField(
        _("school holidays"),
        default=list,
        blank=True,
        help_text=_("List of {name, start, end}; school weeks in deadline rules skip these."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Träger")
        verbose_name_plural = _("Träger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
