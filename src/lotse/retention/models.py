"""Erasure (Art. 17 GDPR, § 84 SGB X), restriction of processing (Art. 18 GDPR, § 84 Abs. 3
SGB X) and retention periods with legal hold and a deletion log.

Nothing here keeps a value of the erased data: a tombstone holds a random pseudonym, the former
person id (the key the access log already holds), the basis and counts per record type.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned


class RecordType(models.TextChoices):
    """What a retention rule applies to."""

    # de: abgeschlossener Fall (mit allem, was daran hängt)
    CLOSED_CASE = "closed_case", _("closed case (with everything that belongs to it)")
    # de: Person ohne offenen Fall
    PERSON = "person", _("person without an open case")
    # de: widerrufene oder abgelaufene Einwilligung
    ENDED_CONSENT = "ended_consent", _("withdrawn or expired consent")
    # de: Import-Auftrag (Tabellenimport)
    IMPORT_JOB = "import_job", _("import job (spreadsheet import)")


#: Default periods in months (used until a Träger saves its own rules). 36 months after the end
#: of the case follows common practice of the Kommunales Integrationsmanagement (KIM) and the
#: regular limitation period of three years (§ 195 BGB) for claims from the case work; consent
#: proofs are kept as long (accountability, Art. 5 (2), 7 (1) GDPR); uploaded import lists are
#: working files and go after six months.
DEFAULT_PERIODS: dict[str, int] = {
    RecordType.CLOSED_CASE: 36,
    RecordType.PERSON: 36,
    RecordType.ENDED_CONSENT: 36,
    RecordType.IMPORT_JOB: 6,
}


class RetentionRule(TenantOwned):
    record_type = models.CharField(
        _("record type"),  # de: Art der Daten
        max_length=20,
        choices=RecordType.choices,
    )
    period_months = models.PositiveIntegerField(
        _("retention period in months")
    )  # de: Frist in Monaten
    active = models.BooleanField(_("applied by the daily job"), default=True)  # de: aktiv
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention rule")  # de: Aufbewahrungsregel
        verbose_name_plural = _("retention rules")  # de: Aufbewahrungsregeln
        ordering = ["traeger", "record_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["traeger", "record_type"], name="retention_rule_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(period_months__gte=1), name="retention_rule_period_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.period_months}"


class LegalHold(TenantOwned):
    """A record that must not be deleted (litigation, audit by the Rechnungsprüfung, …)."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    reason = EncryptedTextField(_("reason"))  # de: Grund
    until = models.DateField(_("until"), null=True, blank=True)  # de: bis
    set_at = models.DateTimeField(auto_now_add=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("legal hold")  # de: Löschsperre
        verbose_name_plural = _("legal holds")  # de: Löschsperren
        ordering = ["-set_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "lifted_at", "person"], name="legalhold_person_idx"),
            models.Index(fields=["traeger", "lifted_at", "case"], name="legalhold_case_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, case__isnull=True)
                | models.Q(person__isnull=True, case__isnull=False),
                name="legalhold_person_xor_case",
            ),
        ]


class Restriction(TenantOwned):
    """Art. 18 GDPR / § 84 Abs. 3 SGB X: the person's data may be stored, not changed."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    reason = EncryptedTextField(_("reason"))  # de: Grund
    since = models.DateTimeField(auto_now_add=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("restriction of processing")  # de: Einschränkung der Verarbeitung
        verbose_name_plural = _("restrictions of processing")
        ordering = ["-since", "-id"]
        indexes = [
            models.Index(fields=["traeger", "person", "lifted_at"], name="restriction_person_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(lifted_at__isnull=True),
                name="restriction_one_active",
            ),
        ]


def new_pseudonym() -> str:
    return f"GELÖSCHT-{secrets.token_hex(3).upper()}"


class Basis(models.TextChoices):
    # de: Antrag auf Löschung (Art. 17 DSGVO, § 84 SGB X)
    REQUEST = "request", _("erasure request (Art. 17 GDPR, § 84 SGB X)")
    # de: Aufbewahrungsfrist abgelaufen
    RETENTION = "retention", _("retention period expired")


class Tombstone(TenantOwned):
    """What remains of an erased person: nothing that identifies them."""

    pseudonym = models.CharField(_("pseudonym"), max_length=32, unique=True, default=new_pseudonym)
    former_person_id = models.BigIntegerField(
        _("former person number")
    )  # de: frühere Personennummer
    erased_at = models.DateTimeField(_("erased at"))  # de: gelöscht am
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    rule = models.ForeignKey(
        RetentionRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    request = models.ForeignKey(
        "retention.ErasureRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    counts = models.JSONField(_("deleted records per type"), default=dict)
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tombstone")  # de: Löschvermerk
        verbose_name_plural = _("tombstones")  # de: Löschvermerke
        ordering = ["-erased_at", "-id"]
        indexes = [models.Index(fields=["traeger", "-erased_at", "-id"], name="tombstone_time_idx")]

    def __str__(self) -> str:
        return self.pseudonym


class ErasureRequest(TenantOwned):
    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")  # de: beantragt
        APPROVED = "approved", _("approved")  # de: freigegeben
        REJECTED = "rejected", _("rejected")  # de: abgelehnt
        EXECUTED = "executed", _("executed")  # de: ausgeführt

    # Kept after the erasure (the request is the proof that it was asked for and decided).
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    person_ref = models.BigIntegerField(_("person number"))  # de: Personennummer
    reason = EncryptedTextField(_("reason"))  # de: Begründung
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = EncryptedTextField(_("note on the decision"), blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tombstone = models.ForeignKey(
        Tombstone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("erasure request")  # de: Löschantrag
        verbose_name_plural = _("erasure requests")  # de: Löschanträge
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "state", "-requested_at"], name="erasure_state_idx"),
            models.Index(fields=["traeger", "person"], name="erasure_person_idx"),
        ]

    def __str__(self) -> str:
        return f"Löschantrag {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.REQUESTED, self.State.APPROVED)


class DeletionLog(TenantOwned):
    """One row per run and record type: how many records were deleted (never which values)."""

    class Trigger(models.TextChoices):
        JOB = "job", _("retention job")  # de: Aufbewahrungslauf
        REQUEST = "request", _("erasure request")  # de: Löschantrag

    run_id = models.CharField(_("run"), max_length=32)  # de: Lauf
    ran_at = models.DateTimeField(_("time"))  # de: Zeitpunkt
    run_date = models.DateField(_("reference day"))  # de: Stichtag
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    record_type = models.CharField(_("record type"), max_length=20)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)  # de: gelöscht
    skipped_hold = models.PositiveIntegerField(_("kept (legal hold or restriction)"), default=0)
    details = models.JSONField(_("deleted rows per table"), default=dict)
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)

    class Meta:
        verbose_name = _("deletion log entry")  # de: Löschprotokoll-Eintrag
        verbose_name_plural = _("deletion log")  # de: Löschprotokoll
        ordering = ["-ran_at", "-id"]
        indexes = [models.Index(fields=["traeger", "-ran_at", "-id"], name="deletionlog_time_idx")]
