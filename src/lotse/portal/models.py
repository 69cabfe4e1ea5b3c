"""The portal's own data: working aids with their versions, and process chains.

Working aids (Arbeitshilfen) are the region's shared documents — interview guides, templates of
integration agreements, forms, leaflets — uploaded by the Servicestelle in versions; every actor
of the Träger downloads them (served by an access-checked view, never by a public media URL).

Process chains (Prozessketten) describe who does what in which order for a recurring situation
("Kind kommt an → Schulplatz"). They are configuration data (``process_chains:`` in the Träger's
file, ``lotse loadconfig``) that the Servicestelle may also edit in the portal.

Neither holds personal data of clients; ``uploaded_by`` names a member of staff.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TenantOwned


class WorkingAidKind(models.TextChoices):
    INTERVIEW_GUIDE = "interview_guide", _("Interview guide")
    AGREEMENT_TEMPLATE = "agreement_template", _("Template integration agreement")
    FORM = "form", _("Form")
    LEAFLET = "leaflet", _("Leaflet")
    OTHER = "other", _("Other")


class WorkingAid(TenantOwned):
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=32, choices=WorkingAidKind.choices, default=WorkingAidKind.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field of action"),
    )
    current_version = models.ForeignKey(
        "WorkingAidVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("working aid")
        verbose_name_plural = _("working aids")
        ordering = ["traeger", "title", "pk"]

    def __str__(self) -> str:
        return self.title


def aid_file_path(instance: WorkingAidVersion, filename: str) -> str:
    # The stored name carries no user input; the original name is kept in ``file_name``.
    return f"portal/aids/{instance.traeger_id}/{uuid.uuid4().hex}"


class WorkingAidVersion(TenantOwned):
    aid = models.ForeignKey(
        WorkingAid, on_delete=models.CASCADE, related_name="versions", verbose_name=_("working aid")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=aid_file_path, max_length=500)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    change_note = models.TextField(_("change note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("version of a working aid")
        verbose_name_plural = _("versions of working aids")
        ordering = ["aid", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["aid", "number"], name="workingaidversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.aid} v{self.number}"


class ProcessChain(TenantOwned):
    key = models.SlugField(_("key"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=500, blank=True)
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field of action"),
    )

    class Meta:
        verbose_name = _("process chain")
        verbose_name_plural = _("process chains")
        ordering = ["traeger", "sort_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["traeger", "key"], name="processchain_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class ProcessStep(TenantOwned):
    chain = models.ForeignKey(
        ProcessChain,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("process chain"),
    )
    key = models.SlugField(_("key"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    responsible_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible_text = models.CharField(_("responsible"), max_length=300, blank=True)
    deadline = models.CharField(_("deadline"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    #: Branches: ``[{"step": key, "condition": label}]``; empty means "the next step in order".
    next_steps = models.JSONField(_("next steps"), default=list, blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["chain", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "key"], name="processstep_unique_key")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible(self) -> str:
        parts = [
            str(self.responsible_organisation) if self.responsible_organisation_id else "",
            self.responsible_text,
        ]
        return " – ".join(part for part in parts if part)
