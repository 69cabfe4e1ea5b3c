"""The Integrationsvereinbarung (service plan) of a case, kept as numbered versions.

Each row of :class:`Agreement` is one version. Only a draft can change; agreeing freezes it, and
a change to an agreed plan starts a new draft (number + 1) that supersedes the old version once
it is agreed. Old versions stay readable with their goals as they were signed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class Agreement(TenantOwned, Versioned):
    """One version of a case's Integrationsvereinbarung (``version`` is the edit lock)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # de: Entwurf
        AGREED = "agreed", _("agreed")  # de: vereinbart
        SUPERSEDED = "superseded", _("superseded")  # de: abgelöst

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="agreements", verbose_name=_("case")
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(
        _("client language"),
        max_length=16,
        blank=True,
        help_text=_("Language of the bilingual print-out besides German."),
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    notes = EncryptedTextField(_("further agreements"), blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    signed_by_client = models.BooleanField(_("signed by the client"), default=False)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed by"),
    )
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("integration agreement")
        verbose_name_plural = _("integration agreements")
        ordering = ["case", "-number"]
        indexes = [
            models.Index(fields=["traeger", "case", "-number"], name="agreement_case_idx"),
            models.Index(
                fields=["traeger", "status", "next_review_on"], name="agreement_review_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="agreement_unique_number"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="draft"),
                name="agreement_one_draft_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="agreed"),
                name="agreement_one_agreed_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(agreed_on__isnull=False),
                name="agreement_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Responsible(models.TextChoices):
    """Who carries out a goal: the client, the case manager, or an organisation of the Träger."""

    CLIENT = "client", _("client")  # de: Klient/in
    CASE_MANAGER = "case_manager", _("case manager")  # de: Case Manager/in
    ORGANISATION = "organisation", _("organisation")  # de: Organisation


class AgreementGoal(TenantOwned):
    """A SMART goal: specific (what), measurable (indicator), agreed (who), time-bound (due)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="goals", verbose_name=_("agreement")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field of action"),
    )
    what = EncryptedTextField(_("goal (what exactly)"))
    indicator = EncryptedTextField(_("measurable indicator"))
    responsible = models.CharField(_("responsible"), max_length=20, choices=Responsible.choices)
    responsible_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    due_on = models.DateField(_("by when"))
    measures = EncryptedTextField(_("agreed measures"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["agreement", "position", "id"]
        indexes = [
            models.Index(fields=["traeger", "agreement", "position"], name="agreementgoal_idx"),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def measure_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.measures.splitlines() if line.strip(" -•\t")]
