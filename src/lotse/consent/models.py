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

from lotse.core.fieldcrypto import EncryptedTextField
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


class Purpose(TenantOwned):
    """A purpose of the Träger's vocabulary (configuration ``purposes:``).

    A consent names the purposes it covers; every outbound flow names the one it serves, and
    the gate (:mod:`lotse.consent.gate`) compares the two keys. The consent's free text stays as
    the person's own wording.
    """

    key = models.SlugField(_("key"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("purpose of a transfer")
        verbose_name_plural = _("purposes of transfers")
        ordering = ["traeger", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["traeger", "key"], name="purpose_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class StatutoryBasis(TenantOwned):
    """A statute the Träger allows as the basis of a transfer without consent, with its scope.

    Loaded from the configuration (``statutory_bases:``): who may name it (roles), to which kinds
    of organisation and for which purposes. A statute not listed here is no basis at all.
    """

    key = models.SlugField(_("key"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    citation = models.CharField(_("citation"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    allowed_roles = models.JSONField(_("roles that may use it"), default=list, blank=True)
    allowed_recipient_kinds = models.JSONField(
        _("kinds of recipient organisation"), default=list, blank=True
    )
    purposes = models.ManyToManyField(
        Purpose, blank=True, related_name="statutory_bases", verbose_name=_("purposes")
    )

    class Meta:
        verbose_name = _("statutory basis")
        verbose_name_plural = _("statutory bases")
        ordering = ["traeger", "sort_order", "citation"]
        constraints = [
            models.UniqueConstraint(fields=["traeger", "key"], name="statutorybasis_unique_key")
        ]

    def __str__(self) -> str:
        return self.citation


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
    purpose = EncryptedTextField(_("purpose"))
    purposes = models.ManyToManyField(
        Purpose, blank=True, related_name="consents", verbose_name=_("purposes")
    )
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    language = models.CharField(_("language of the form"), max_length=8, default="de")
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    text_version = models.CharField(_("version of the consent text"), max_length=50)
    scan = models.FileField(_("signed scan"), upload_to=scan_path, blank=True, max_length=500)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed paper attested by"),
    )
    attested_on = models.DateField(_("signed paper attested on"), null=True, blank=True)
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
    withdrawal_note = EncryptedTextField(_("note on the withdrawal"), blank=True)

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

    @property
    def is_signed(self) -> bool:
        """A signed scan, or the case manager's dated attestation that the paper is in the file."""
        return bool(self.scan) or self.attested_on is not None


class Flow(models.TextChoices):
    """Every way personal data leaves the case team; each passes :mod:`lotse.consent.gate`."""

    TASK = "task", _("task for a partner")
    REFERRAL = "referral", _("referral to an offer")
    ABH_REFERRAL = "abh_referral", _("referral to the immigration authority")
    PARTNER_VIEW = "partner_view", _("partner view")
    DOCUMENT_HANDOUT = "document_handout", _("document handed out")
    CONFERENCE = "conference", _("case conference")
    MANUAL = "manual", _("transfer recorded by hand")
    HANDOVER = "handover", _("handover of the case to another organisation")


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
    purpose = EncryptedTextField(_("purpose"))
    basis = models.CharField(_("legal basis"), max_length=16, choices=Basis.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    consent_version = models.PositiveIntegerField(_("consent version"), null=True, blank=True)
    statute = models.CharField(_("statute"), max_length=200, blank=True)
    statutory_basis = models.ForeignKey(
        StatutoryBasis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("statutory basis"),
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    flow = models.CharField(_("flow"), max_length=20, choices=Flow.choices, default=Flow.MANUAL)
    purpose_key = models.SlugField(_("purpose key"), max_length=100, blank=True)
    subject_type = models.CharField(_("object type"), max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(_("transferred at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [
            models.Index(fields=["traeger", "person", "transferred_at"]),
            models.Index(fields=["traeger", "consent"], name="transfer_consent_idx"),
        ]

    def category_labels(self) -> list[str]:
        return category_labels(self.categories)


class DependentFlag(TenantOwned):
    """Something that relied on a consent that ended: shown to the case team until resolved.

    Written when a consent is withdrawn, superseded by a narrower version or expires, for every
    open task, open referral and partner access whose transfer the consent covered.
    """

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("consent withdrawn")
        EXPIRED = "expired", _("consent expired")
        NARROWED = "narrowed", _("new version covers less")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="flags", verbose_name=_("consent")
    )
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    recipient = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent notice")
        verbose_name_plural = _("consent notices")
        indexes = [models.Index(fields=["traeger", "resolved_at", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "object_type", "object_id"],
                name="dependent_flag_once_per_consent",
            )
        ]


#: The supervisory authority of North Rhine-Westphalia (the default for NRW Träger).
LDI_NRW = (
    "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW), "
    "Kavalleriestraße 2–4, 40213 Düsseldorf, poststelle@ldi.nrw.de"
)


class PrivacyNoticeSettings(TenantOwned):
    """What the Art. 13 information sheet of a Träger names: controller, DPO, authority.

    Written by ``lotse loadconfig`` from ``traeger.controller`` and
    ``traeger.data_protection_officer`` of the Träger's configuration file, or kept in the admin
    (``/verwaltung/``). Without a row the sheet falls back to the Träger's Servicestelle in the
    directory and says that controller and DPO are not configured.
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
    controller_email = models.EmailField(
        _("e-mail of the controller"),  # de: E-Mail der verantwortlichen Stelle
        max_length=254,
        blank=True,
    )
    controller_phone = models.CharField(
        _("phone of the controller"),  # de: Telefon der verantwortlichen Stelle
        max_length=64,
        blank=True,
    )
    dpo_name = models.CharField(
        _("data protection officer"),  # de: Datenschutzbeauftragte/r
        max_length=200,
        blank=True,
    )
    dpo_address = models.TextField(
        _(
            "address of the data protection officer"
        ),  # de: Anschrift der/des Datenschutzbeauftragten
        blank=True,
    )
    dpo_email = models.EmailField(
        _("e-mail of the data protection officer"),  # de: E-Mail der/des Datenschutzbeauftragten
        max_length=254,
        blank=True,
    )
    dpo_phone = models.CharField(
        _("phone of the data protection officer"),  # de: Telefon der/des Datenschutzbeauftragten
        max_length=64,
        blank=True,
    )
    dpo_contact = models.CharField(
        _("contact of the data protection officer"),  # de: Kontakt der/des Datenschutzbeauftragten
        max_length=300,
        blank=True,
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
