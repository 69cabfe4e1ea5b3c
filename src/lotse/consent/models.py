"""Consents (Einwilligung / Schweigepflichtsentbindung) and the journal of transfers.

A consent row is never edited: a change is a new row that ``supersedes`` the old one. The only
later write is the withdrawal (``withdrawn_at``/``withdrawn_by``/``withdrawal_note``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TenantOwned


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity")  # de: Identität
    RESIDENCE_STATUS = "residence_status", _("Residence status")  # de: Aufenthaltsstatus
    EDUCATION_WORK = "education_work", _("Education and work")  # de: Bildung und Arbeit
    BENEFITS = "benefits", _("Benefits")  # de: Leistungsbezug
    FAMILY = "family", _("Family")  # de: Familie
    HEALTH = "health", _("Health")  # de: Gesundheit
    YOUTH_WELFARE = "youth_welfare", _("Youth welfare (Jugendamt)")  # de: Daten des Jugendamts


def category_labels(values: list[str]) -> list[str]:
    labels = dict(Category.choices)
    return [str(labels.get(value, value)) for value in values]


class ConsentStatus(models.TextChoices):
    VALID = "valid", _("valid")  # de: gültig
    NOT_YET_VALID = "pending", _("not yet valid")  # de: noch nicht gültig
    EXPIRED = "expired", _("expired")  # de: abgelaufen
    WITHDRAWN = "withdrawn", _("withdrawn")  # de: widerrufen
    SUPERSEDED = "superseded", _("superseded")  # de: ersetzt


def scan_path(instance: Consent, filename: str) -> str:
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"traeger-{instance.traeger_id}/consent/{uuid.uuid4().hex}{suffix}"


class Consent(TenantOwned):
    class Form(models.TextChoices):
        WRITTEN = "written", _("written")  # de: schriftlich
        ELECTRONIC = "electronic", _("electronic")  # de: elektronisch

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    recipients = models.ManyToManyField(
        "directory.Organisation", related_name="+", verbose_name=_("recipients")
    )
    categories = models.JSONField(_("data categories"), default=list)
    purpose = models.TextField(_("purpose"))
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    language = models.CharField(_("language of the form"), max_length=8, default="de")
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    text_version = models.CharField(_("version of the consent text"), max_length=50)
    scan = models.FileField(_("signed scan"), upload_to=scan_path, blank=True, max_length=500)
    document_id = models.CharField(_("document ID"), max_length=20, unique=True)
    number = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(_("note on the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["traeger", "person", "valid_from"])]

    def __str__(self) -> str:
        return self.document_id

    @property
    def is_superseded(self) -> bool:
        try:
            return self.superseded_by is not None
        except Consent.DoesNotExist:
            return False

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None and not self.is_superseded

    def status(self, on: dt.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.withdrawn_at is not None:
            return ConsentStatus.WITHDRAWN
        if self.is_superseded:
            return ConsentStatus.SUPERSEDED
        if self.valid_until is not None and self.valid_until < on:
            return ConsentStatus.EXPIRED
        if self.valid_from > on:
            return ConsentStatus.NOT_YET_VALID
        return ConsentStatus.VALID

    def status_label(self) -> str:
        return str(ConsentStatus(self.status()).label)

    def category_labels(self) -> list[str]:
        return category_labels(self.categories)


class Transfer(TenantOwned):
    """One transfer of a person's data to an organisation, with its legal basis (journal)."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("consent")  # de: Einwilligung
        STATUTE = "statute", _("statute")  # de: Rechtsvorschrift

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("person"),
    )
    recipient = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    categories = models.JSONField(_("data categories"), default=list)
    purpose = models.TextField(_("purpose"))
    basis = models.CharField(_("legal basis"), max_length=16, choices=Basis.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    consent_version = models.PositiveIntegerField(_("consent version"), null=True, blank=True)
    statute = models.CharField(_("statute"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(_("transferred at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["traeger", "person", "transferred_at"])]

    def category_labels(self) -> list[str]:
        return category_labels(self.categories)


#: The supervisory authority of North Rhine-Westphalia (the default for NRW Träger).
LDI_NRW = (
    "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW), "
    "Kavalleriestraße 2–4, 40213 Düsseldorf, poststelle@ldi.nrw.de"
)


class PrivacyNoticeSettings(TenantOwned):
    """What the Art. 13 information sheet of a Träger names: controller, DPO, authority.

    Kept by the administration in the admin (``/verwaltung/``). Without a row the sheet falls
    back to the Träger's Servicestelle in the directory and says that the DPO is missing.
    """

    controller_name = models.CharField(
        _("controller"),  # de: Verantwortliche Stelle
        max_length=300,
    )
    controller_address = models.TextField(_("address of the controller"))  # de: Anschrift
    controller_contact = models.CharField(
        _("contact of the controller"),  # de: Kontakt (Telefon, E-Mail)
        max_length=300,
        blank=True,
        help_text=_("Phone and e-mail."),  # de: Telefon und E-Mail.
    )
    dpo_name = models.CharField(
        _("data protection officer"),  # de: Datenschutzbeauftragte/r
        max_length=200,
        blank=True,
    )
    dpo_contact = models.CharField(
        _("contact of the data protection officer"),  # de: Kontakt der/des Datenschutzbeauftragten
        max_length=300,
        help_text=_("Postal address or e-mail."),  # de: Postanschrift oder E-Mail.
    )
    supervisory_authority = models.TextField(
        _("supervisory authority"),  # de: Aufsichtsbehörde
        default=LDI_NRW,
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention period in years"),  # de: Speicherdauer in Jahren
        default=3,
        # de: Nach Ende der Begleitung; steht auf dem Informationsblatt.
        help_text=_("After the end of the support; printed on the sheet."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # de: Angaben für das Datenschutz-Informationsblatt
        verbose_name = _("privacy notice settings")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["traeger"], name="privacy_notice_settings_unique")
        ]

    def __str__(self) -> str:
        return self.controller_name


class InformationNotice(TenantOwned):
    """That the Art. 13 information sheet was handed to a person (which text, which language)."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="information_notices",
        verbose_name=_("person"),
    )
    language = models.CharField(_("language"), max_length=8)  # de: Sprache
    text_version = models.CharField(_("text version"), max_length=50)  # de: Textfassung
    handed_out_on = models.DateField(_("handed out on"))  # de: ausgehändigt am
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("information notice")  # de: Datenschutzinformation
        verbose_name_plural = _("information notices")  # de: Datenschutzinformationen
        indexes = [models.Index(fields=["traeger", "person", "handed_out_on"])]

    def __str__(self) -> str:
        return f"{self.text_version} ({self.language}, {self.handed_out_on:%d.%m.%Y})"
