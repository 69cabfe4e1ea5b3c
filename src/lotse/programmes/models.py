"""Programmes on the case level: Teilhabemanagement participation and referrals to the ABH.

- ``EligibilityCheck``: the result of checking a person against a programme's eligibility on an
  intake date, criterion by criterion, kept with the participation it led to.
- ``Participation``: a case's participation in a programme (e.g. "Durchstarten in Ausbildung
  und Arbeit"), its ``ModuleAssignment``s to Bausteine and its ``BudgetEntry``s (commitments and
  payments) against a ``ModuleBudget`` per Baustein and year.
- ``AbhReferral``: KIM Baustein 3, forwarding a case to the Ausländer-/Einbürgerungsbehörde for
  a possible right to stay (§ 25a / § 25b AufenthG) or naturalisation (§ 10 StAG), with the
  pre-check (``ReferralCheckItem``), the legal basis of the transfer and the ABH's answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class EligibilityCheck(TenantOwned):
    """A stored eligibility result. ``criteria`` is a list of {key, met, reason} (met: bool|None)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    programme = models.ForeignKey(
        "directory.Programme", on_delete=models.PROTECT, related_name="eligibility_checks"
    )
    # de: Aufnahmedatum
    intake_date = models.DateField(_("intake date"))
    eligible = models.BooleanField(_("eligible"))
    criteria = models.JSONField(_("criteria"), default=list)
    provider = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    checked_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        indexes = [models.Index(fields=["traeger", "person"], name="eligibility_person_idx")]


class Participation(TenantOwned, Versioned):
    """A case's participation in a programme; one per case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="participation"
    )
    programme = models.ForeignKey(
        "directory.Programme", on_delete=models.PROTECT, related_name="participations"
    )
    intake_date = models.DateField(_("intake date"))
    eligibility_check = models.OneToOneField(
        EligibilityCheck, on_delete=models.PROTECT, related_name="participation"
    )
    provider = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("programme participation")
        verbose_name_plural = _("programme participations")
        indexes = [models.Index(fields=["traeger", "programme"], name="participation_prog_idx")]


class ModuleAssignment(TenantOwned):
    """Assignment of a participant to a Baustein for a period (``ends_on`` open = ongoing).

    For Bausteine with a coaching ratio (``ProgrammeModule.participants_per_coach``) the coach is
    the holder of the post, i.e. the case manager of the case.
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="assignments"
    )
    module = models.ForeignKey(
        "directory.ProgrammeModule",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("module (Baustein)"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coached_assignments",
        verbose_name=_("coach"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("module assignment")
        verbose_name_plural = _("module assignments")
        ordering = ["module__number", "starts_on", "id"]
        indexes = [
            models.Index(fields=["traeger", "module", "coach"], name="assignment_module_idx"),
            models.Index(fields=["traeger", "participation"], name="assignment_part_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_valid_range",
            ),
        ]


class ModuleBudget(TenantOwned):
    """The money available for one Baustein in one calendar year (data of the Träger)."""

    module = models.ForeignKey(
        "directory.ProgrammeModule",
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("module (Baustein)"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_cents = models.BigIntegerField(_("budget in cents"))
    warning_percent = models.PositiveSmallIntegerField(
        _("warning threshold in percent"),
        default=90,
        help_text=_("Warn when commitments and payments reach this share of the budget."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("module budget")
        verbose_name_plural = _("module budgets")
        ordering = ["traeger", "year", "module__number"]
        constraints = [
            models.UniqueConstraint(fields=["module", "year"], name="modulebudget_module_year"),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="modulebudget_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["traeger", "year"], name="modulebudget_year_idx")]

    def __str__(self) -> str:
        return f"{self.module} {self.year}"


class BudgetEntry(TenantOwned):
    """A commitment (planned cost) or a payment (actual spending) for a participant.

    A payment may settle a commitment; the commitment then no longer counts, the payment does.
    Budget use = open commitments + payments.
    """

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("commitment")  # de: Mittelbindung
        PAYMENT = "payment", _("payment")  # de: Auszahlung

    class CostType(models.TextChoices):
        TRAVEL = "travel", _("travel costs")  # de: Fahrtkosten
        CHILDCARE = "childcare", _("childcare")  # de: Kinderbetreuung
        COURSE_FEE = "course_fee", _("course fees")  # de: Kursgebühren
        COACHING = "coaching", _("coaching")
        OTHER = "other", _("other")

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="budget_entries"
    )
    budget = models.ForeignKey(ModuleBudget, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    cost_type = models.CharField(_("cost type"), max_length=12, choices=CostType.choices)
    amount_cents = models.BigIntegerField(_("amount in cents"))
    booked_on = models.DateField(_("date"))
    purpose = EncryptedTextField(_("purpose"))
    commitment = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("settles commitment"),
    )
    settled = models.BooleanField(_("settled"), default=False)
    override_reason = EncryptedTextField(_("reason for exceeding the budget"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["booked_on", "id"]
        indexes = [
            models.Index(fields=["traeger", "budget", "kind"], name="budgetentry_budget_idx"),
            models.Index(fields=["traeger", "participation"], name="budgetentry_part_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="budgetentry_amount_positive"
            ),
        ]


class AbhReferral(TenantOwned, Versioned):
    """Referral to the Ausländerbehörde (KIM Baustein 3). The decision stays with the ABH.

    The legal basis of the transfer is recorded on the referral when it is forwarded: a consent
    record (``consent``: in force, naming the Ausländerbehörde and covering every category) or a
    statute named by a team lead with a reason. Forwarding journals the transfer through
    ``consent.services.transfer_record`` (``transfer``, with the consent's version).
    ``consent_given_on``, ``consent_form_reference`` and ``consent_scope`` hold what was typed in
    before consents were recorded in Lotse (referrals forwarded before; kept as they were).
    """

    class Purpose(models.TextChoices):
        YOUNG_PEOPLE = "25a", _("§ 25a AufenthG (well-integrated young people)")
        SUSTAINED_INTEGRATION = "25b", _("§ 25b AufenthG (sustained integration)")
        NATURALISATION = "stag10", _("Naturalisation (§ 10 StAG)")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")  # de: Entwurf
        FORWARDED = "forwarded", _("forwarded")  # de: weitergeleitet
        ANSWERED = "answered", _("answered")  # de: beantwortet
        CLOSED = "closed", _("closed")  # de: abgeschlossen

    class Basis(models.TextChoices):
        CONSENT = "consent", _("written consent of the client")
        STATUTE = "statute", _("statute")

    class Decision(models.TextChoices):
        NONE = "", _("no decision reported")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        OTHER = "other", _("other")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="abh_referrals")
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    note = EncryptedTextField(_("note"), blank=True)
    authority = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("immigration authority"),
    )
    # Legal basis of the transfer, recorded at forwarding.
    basis = models.CharField(_("legal basis"), max_length=10, choices=Basis.choices, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_form_reference = models.CharField(
        _("consent form reference"), max_length=100, blank=True
    )
    consent_scope = models.CharField(_("scope of the consent"), max_length=500, blank=True)
    consent = models.ForeignKey(
        "consent.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),  # de: Einwilligung
    )
    transfer = models.OneToOneField(
        "consent.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="abh_referral",
        verbose_name=_("transfer journal entry"),  # de: Eintrag im Übermittlungsjournal
    )
    statute = models.CharField(_("statute"), max_length=200, blank=True)
    statute_reason = EncryptedTextField(_("reason"), blank=True)
    categories = models.JSONField(_("data categories"), default=list, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The ABH's answer, as reported.
    answered_on = models.DateField(_("answer date"), null=True, blank=True)
    missing_documents = models.JSONField(_("missing documents"), default=list, blank=True)
    next_steps = EncryptedTextField(_("next steps"), blank=True)
    decision = models.CharField(
        _("decision of the ABH (as reported)"),
        max_length=10,
        choices=Decision.choices,
        blank=True,
        default="",
    )
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("referral to the immigration authority")
        verbose_name_plural = _("referrals to the immigration authority")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "case"], name="abhreferral_case_idx"),
            models.Index(fields=["traeger", "state"], name="abhreferral_state_idx"),
        ]


class ReferralCheckItem(TenantOwned):
    """One prerequisite of the pre-check; ``key`` names an item of ``programmes.legal``."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")  # de: unklar
        MET = "met", _("met")  # de: erfüllt
        NOT_MET = "not_met", _("not met")  # de: nicht erfüllt

    referral = models.ForeignKey(AbhReferral, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=60)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.UNKNOWN
    )
    note = EncryptedTextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("pre-check item")
        verbose_name_plural = _("pre-check items")
        ordering = ["referral", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "key"], name="checkitem_unique_key")
        ]
        indexes = [models.Index(fields=["traeger", "referral"], name="checkitem_referral_idx")]
