"""The offers catalogue (Angebote) and referrals (Zusteuerung) of cases into offers.

Seed 002 asks case management to steer people into *existing* offers first and to fund new
measures only where none exists; so the catalogue is shared by the whole Träger, maintained by
the Servicestelle, and every referral is recorded with its course and the provider's feedback.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class OfferKind(models.TextChoices):
    INTEGRATION_COURSE = "integration_course", _("Integration course")  # de: Integrationskurs
    YOUTH_INTEGRATION_COURSE = (
        "youth_integration_course",
        _("Youth integration course"),  # de: Jugendintegrationskurs
    )
    JOB_LANGUAGE_COURSE = (
        "job_language_course",
        _("Job-related language course (DeuFöV)"),  # de: Berufssprachkurs (DeuFöV)
    )
    ORIENTATION_COURSE = (
        "orientation_course",
        _("Initial orientation course"),  # de: Erstorientierungskurs
    )
    LANGUAGE_SUPPORT = (
        "language_support",
        _("Other language support"),
    )  # de: Weitere Sprachförderung
    COUNSELLING = "counselling", _("Counselling")  # de: Beratung
    RECOGNITION = "recognition", _("Recognition counselling")  # de: Anerkennungsberatung
    COACHING = "coaching", _("Coaching")  # de: Coaching
    WORK = "work", _("Work and training")  # de: Arbeit und Ausbildung
    SCHOOL = "school", _("School service")  # de: Schulisches Angebot
    KITA = "kita", _("Childcare service")  # de: Kita-Angebot
    SOCIAL = "social", _("Social participation")  # de: Soziale Teilhabe
    HEALTH = "health", _("Health")  # de: Gesundheit
    OTHER = "other", _("Other")  # de: Sonstiges


class Offer(TenantOwned, Versioned):
    """An offer of the region that case managers can steer clients into.

    Who may use it is data: ``min_age``/``max_age`` and ``municipalities`` apply to everyone;
    the access paths (:class:`AccessPath`) are alternatives — a client qualifies through any one
    of them. No access path means: open to everyone who meets the general conditions.
    ``capacity`` None means no fixed number of places.
    """

    key = models.SlugField(_("key"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=300)
    provider = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("provider"),
    )
    provider_name = models.CharField(
        _("provider (if not a listed organisation)"), max_length=300, blank=True
    )
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("field of action"),
    )
    municipalities = models.ManyToManyField(
        "directory.Municipality",
        blank=True,
        related_name="offers",
        verbose_name=_("municipalities served"),
        help_text=_("Empty means the whole region."),
    )
    description = models.TextField(_("description"), blank=True)
    schedule = models.CharField(_("dates and rhythm"), max_length=300, blank=True)
    next_start_on = models.DateField(_("next start"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty means no fixed number of places.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["traeger", "active", "title", "id"], name="offer_title_idx"),
            models.Index(fields=["traeger", "field_of_action", "active"], name="offer_field_idx"),
            models.Index(fields=["traeger", "kind", "active"], name="offer_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["traeger", "key"], name="offer_unique_key"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="offer_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def provider_label(self) -> str:
        if self.provider_name:
            return self.provider_name
        return str(self.provider) if self.provider_id else ""


class AccessPath(TenantOwned):
    """One way into an offer (Zugangsweg): all its filled conditions must hold together.

    Example, § 44 (4) AufenthG as the seeds put it: an integration course during the asylum
    procedure only for people from the main countries of origin = statuses {Aufenthaltsgestattung}
    and nationalities {SY, IQ, IR, ER, SO}; a second path admits recognised refugees.
    Target groups match their sub-groups too (Geflüchtete matches Asylbewerber).
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="access_paths")
    label = models.CharField(_("label"), max_length=300)
    statuses = models.ManyToManyField(
        "directory.ResidenceStatusType",
        blank=True,
        related_name="+",
        verbose_name=_("residence statuses"),
    )
    target_groups = models.ManyToManyField(
        "directory.TargetGroup", blank=True, related_name="+", verbose_name=_("target groups")
    )
    nationalities = models.JSONField(
        _("nationalities"),
        default=list,
        blank=True,
        help_text=_("ISO 3166 country codes, e.g. SY, IQ."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("access path")
        verbose_name_plural = _("access paths")
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["traeger", "offer"], name="accesspath_offer_idx")]

    def __str__(self) -> str:
        return self.label


class ReferralState(models.TextChoices):
    REQUESTED = "requested", _("requested")  # de: angefragt
    ACCEPTED = "accepted", _("accepted")  # de: zugesagt
    WAITING = "waiting", _("on the waiting list")  # de: auf der Warteliste
    STARTED = "started", _("started")  # de: begonnen
    COMPLETED = "completed", _("completed")  # de: abgeschlossen
    DROPPED = "dropped", _("dropped out")  # de: abgebrochen
    DECLINED = "declined", _("declined by the provider")  # de: vom Anbieter abgelehnt


OPEN_STATES = (
    ReferralState.REQUESTED,
    ReferralState.ACCEPTED,
    ReferralState.WAITING,
    ReferralState.STARTED,
)
PLACE_TAKING_STATES = (ReferralState.ACCEPTED, ReferralState.STARTED)


class Referral(TenantOwned, Versioned):
    """Zusteuerung: a case steered into an offer, with its course and the provider's feedback.

    A case covers the household: ``person`` is the one the referral is for — the case's person
    or a member of their household (a child referred to school from the parent's case).
    Invariant: ``person`` is ``case.person`` or shares its household (``offers.services``).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("for"),  # de: für
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("offer")
    )
    state = models.CharField(
        _("status"), max_length=20, choices=ReferralState.choices, default=ReferralState.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    waiting_since = models.DateField(_("on the waiting list since"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    feedback = EncryptedTextField(_("feedback"), blank=True)
    shared_categories = models.JSONField(_("data categories passed on"), default=list, blank=True)
    transfer = models.ForeignKey(
        "consent.Transfer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer"),
    )
    eligibility_failures = models.JSONField(
        _("conditions not met at referral"), default=list, blank=True
    )
    override_reason = EncryptedTextField(
        _("reason for referring despite the conditions"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["traeger", "case", "-requested_on"], name="referral_case_idx"),
            models.Index(fields=["traeger", "person", "state"], name="referral_person_idx"),
            models.Index(fields=["traeger", "offer", "state"], name="referral_offer_state_idx"),
            models.Index(fields=["traeger", "follow_up_on", "id"], name="referral_follow_up_idx"),
            models.Index(
                fields=["traeger", "state", "-requested_on", "-id"], name="referral_state_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.get_state_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rows written before families existed, and callers that refer the case's own person,
        # name no person: the referral is for the case's person (as the data migration sets).
        if self.person_id is None and self.case_id is not None:
            self.person_id = self.case.person_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


class ReferralEvent(TenantOwned):
    """The journal of a referral: every transition with its date, who recorded it and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(
        _("from"), max_length=20, choices=ReferralState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=ReferralState.choices)
    occurred_on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["referral", "recorded_at", "id"]
        indexes = [
            models.Index(fields=["traeger", "referral", "recorded_at"], name="referralevent_idx")
        ]
