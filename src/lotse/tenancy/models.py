"""The Träger: a Kreis or kreisfreie Stadt that runs integration management (the tenant)."""

from __future__ import annotations

from django.core.validators import RegexValidator
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
    operator_name = models.CharField(
        _("operator"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who runs Lotse for this Träger, shown at the foot of every page and in the "
            "accessibility statement; empty: the name of the Träger."
        ),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))],
        help_text=_("Colour of the Träger's mark in the page header, e.g. #005ca9."),
    )
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

    @property
    def operator(self) -> str:
        """The name the page frame shows for this Träger's users."""
        return self.operator_name or self.name
