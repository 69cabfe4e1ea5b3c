"""Cases (Fälle) in the DGCC case-management process and their timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class Phase(models.TextChoices):
    """The phases of the DGCC model, in order."""

    INTAKE = "klaerung", _("Klärung")
    ASSESSMENT = "assessment", _("Assessment")
    SERVICE_PLANNING = "serviceplanung", _("Serviceplanung")
    LINKING = "linking", _("Linking")
    MONITORING = "monitoring", _("Monitoring")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "abgeschlossen", _("abgeschlossen")


class Case(TenantOwned, Versioned):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    programme = models.ForeignKey(
        "directory.Programme",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("responsible organisation"),
    )
    post = models.ForeignKey(
        "directory.CaseManagementPost",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("post"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("case manager"),
    )
    reference = models.CharField(_("case number"), max_length=40)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.INTAKE)
    phase_changed_at = models.DateTimeField(_("phase changed at"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"))
    participation_offered_on = models.DateField(
        _("participation offered on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the client was offered case management; the reflection period starts here."
        ),
    )
    participation_agreed_on = models.DateField(
        _("voluntary participation agreed on"),
        null=True,
        blank=True,
        help_text=_("Participation is voluntary; the client agrees after a reflection period."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    summary = EncryptedTextField(_("reason for contact"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(
                fields=["traeger", "case_manager", "phase", "id"], name="case_manager_phase_idx"
            ),
            models.Index(
                fields=["traeger", "organisation", "phase", "id"], name="case_org_phase_idx"
            ),
            models.Index(fields=["traeger", "person"], name="case_person_idx"),
            models.Index(fields=["traeger", "post", "phase"], name="case_post_phase_idx"),
            # The case lists' sort (-opened_on, -id) for the team (post) and "mine".
            models.Index(
                fields=["traeger", "post", "-opened_on", "-id"], name="case_post_opened_idx"
            ),
            models.Index(
                fields=["traeger", "case_manager", "-opened_on", "-id"],
                name="case_manager_opened_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["traeger", "reference"], name="case_unique_reference"),
            models.CheckConstraint(
                condition=models.Q(participation_agreed_on__isnull=True)
                | models.Q(participation_offered_on__isnull=True)
                | models.Q(participation_agreed_on__gte=models.F("participation_offered_on")),
                name="case_agreed_after_offer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED


class PhaseTransition(TenantOwned):
    """The journal of phase changes; a step back carries a reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    reason = EncryptedTextField(_("reason"), blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["case", "changed_at", "id"]
        indexes = [
            models.Index(fields=["traeger", "case", "changed_at"], name="transition_case_idx")
        ]


class FieldProcess(TenantOwned):
    """Per field of action: still in the Einwanderungsprozess or already in the Integrationsprozess."""

    class Stage(models.TextChoices):
        IMMIGRATION = "einwanderung", _("Einwanderungsprozess (gaining access)")
        INTEGRATION = "integration", _("Integrationsprozess (access reached)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="field_processes")
    #: The household member the stage is about (a case covers the household); default the
    #: case's person.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="field_processes",
        verbose_name=_("person"),
    )
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IMMIGRATION
    )
    changed_on = models.DateField(_("since"), null=True, blank=True)
    note = EncryptedTextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("process per field of action")
        verbose_name_plural = _("processes per field of action")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "field_of_action"], name="fieldprocess_unique"
            ),
        ]
        indexes = [models.Index(fields=["traeger", "case"], name="fieldprocess_case_idx")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Callers that record the stage of the case's own person may leave ``person`` out.
        if self.person_id is None and self.case_id is not None:
            self.person_id = self.case.person_id
        super().save(*args, **kwargs)


def attachment_path(instance: TimelineEntry, filename: str) -> str:
    return f"traeger-{instance.traeger_id}/case-{instance.case_id}/{filename}"


class TimelineEntry(TenantOwned):
    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CONTACT = "contact", _("Contact")
        APPOINTMENT = "appointment", _("Appointment")
        DOCUMENT = "document", _("Document")
        PHASE = "phase", _("Phase change")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        PHONE = "phone", _("phone")
        VIDEO = "video", _("video call")
        EMAIL = "email", _("e-mail")
        LETTER = "letter", _("letter")
        HOME_VISIT = "home_visit", _("home visit")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    occurred_at = models.DateTimeField(_("date and time"))
    title = EncryptedTextField(_("title"))
    text = EncryptedTextField(_("text"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = EncryptedTextField(_("location"), blank=True)
    attachment = models.FileField(_("file"), upload_to=attachment_path, blank=True, max_length=500)
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("file type"), max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["traeger", "case", "-occurred_at", "-id"], name="timeline_case_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CaseEvaluation(TenantOwned):
    """Evaluation of a case against the SMART goals of its Integrationsvereinbarung.

    The final evaluation (one per case, in the phase Evaluation) is the precondition for closing
    and gives the reason for ending. Interim evaluations (any number, while the case is open,
    e.g. at the agreement's review date) rate the goals of the version then in force and are
    kept as history for the review of the next version.
    """

    class Kind(models.TextChoices):
        FINAL = "final", _("final evaluation")  # de: Abschlussevaluation
        INTERIM = "interim", _("interim evaluation")  # de: Zwischenbewertung

    class EndingReason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("goals reached")
        HANDED_OVER = "handed_over", _("handed over to regular services")
        MOVED_AWAY = "moved_away", _("moved out of the region")
        CLIENT_WITHDREW = "client_withdrew", _("client ended participation")
        NO_CONTACT = "no_contact", _("no contact any more")
        OTHER = "other", _("other reason")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FINAL)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement version rated"),
    )
    ending_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndingReason.choices, blank=True
    )
    ending_note = EncryptedTextField(_("note on the ending"), blank=True)
    effort_hours = models.DecimalField(
        _("effort in hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    contacts_count = models.PositiveIntegerField(_("contacts and appointments"), default=0)
    assessment = EncryptedTextField(_("overall assessment"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["case", "-evaluated_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "ending_reason"], name="evaluation_reason_idx"),
            models.Index(fields=["traeger", "case", "kind"], name="evaluation_case_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(kind="final"), name="evaluation_one_final"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="interim") | ~models.Q(ending_reason=""),
                name="evaluation_final_has_reason",
            ),
        ]

    @property
    def is_final(self) -> bool:
        return self.kind == self.Kind.FINAL


class GoalAttainment(TenantOwned):
    """How far one goal was reached: a SMART goal of the agreement, or a field of action.

    ``agreement_goal`` names the rated goal of the Integrationsvereinbarung (its text stays
    encrypted there, ``goal`` is then empty); a row without it rates a field of action as a
    whole. Rows from before the goals were linked keep their free-text ``goal``.
    """

    class Level(models.TextChoices):
        REACHED = "reached", _("reached")
        PARTLY = "partly", _("partly reached")
        NOT_REACHED = "not_reached", _("not reached")

    evaluation = models.ForeignKey(
        CaseEvaluation, on_delete=models.CASCADE, related_name="attainments"
    )
    agreement_goal = models.ForeignKey(
        "agreements.AgreementGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goal of the agreement"),
    )
    goal = models.CharField(_("goal"), max_length=500, blank=True)
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field of action"),
    )
    level = models.CharField(_("attainment"), max_length=12, choices=Level.choices)
    note = EncryptedTextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("goal attainment")
        verbose_name_plural = _("goal attainments")
        ordering = ["evaluation", "id"]

    @property
    def rates_goal(self) -> bool:
        return self.agreement_goal_id is not None


class AttainmentCount(TenantOwned):
    """Goal attainment of a closed case, counted per field of action and level, for monitoring.

    Written when the case is closed (removed when it is reopened), from its final evaluation.
    Plain integers and dates only, so monitoring aggregates in SQL without decrypting anything;
    ``case`` is set to NULL when the case is erased, the counts stay as anonymous statistics.
    """

    class Rated(models.TextChoices):
        GOAL = "goal", _("SMART goal")  # de: SMART-Ziel
        FIELD = "field", _("field of action")

    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field of action"),
    )
    rated = models.CharField(_("rated"), max_length=5, choices=Rated.choices)
    level = models.CharField(_("attainment"), max_length=12, choices=GoalAttainment.Level.choices)
    count = models.PositiveIntegerField(_("count"))
    closed_on = models.DateField(_("closed on"))

    class Meta:
        verbose_name = _("goal attainment at closing")
        verbose_name_plural = _("goal attainments at closing")
        indexes = [
            models.Index(
                fields=["traeger", "closed_on", "field_of_action"], name="attainmentcount_idx"
            )
        ]
