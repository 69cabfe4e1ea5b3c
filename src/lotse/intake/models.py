"""Erstgespräch (guided initial interview), assessment per field of action, case profile and
interpreter use (Sprachmittlung) — the Klärung and Assessment phases of the DGCC model.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedJSONField, EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class InitialInterview(TenantOwned, Versioned):
    """The Erstgespräch of a case, following the Träger's Gesprächsleitfaden.

    Invariant: ``guide_sections`` is a copy of the guide's sections taken when the interview was
    started, together with ``guide_key`` and ``guide_version``. Answers are read against this
    copy only, so a later change of the guide in the configuration never reinterprets them.
    ``answers`` is ``{section_key: {question_key: value}}`` with JSON values (text, bool,
    number, ISO date).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # de: Entwurf
        COMPLETED = "completed", _("completed")  # de: abgeschlossen

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="initial_interview"
    )
    guide = models.ForeignKey(
        "directory.InterviewGuide",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    guide_key = models.CharField(_("interview guide"), max_length=100)  # de: Gesprächsleitfaden
    guide_name = models.CharField(_("interview guide"), max_length=300)  # de: Gesprächsleitfaden
    guide_version = models.CharField(
        _("guide version"), max_length=40
    )  # de: Version des Leitfadens
    guide_sections = models.JSONField(default=list)
    # The answers may hold health and other Art. 9 data: encrypted at rest (core.fieldcrypto).
    answers = EncryptedJSONField(default=dict)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,  # de: Status
    )
    held_at = models.DateTimeField(_("date and time"))  # de: Datum und Uhrzeit
    location = EncryptedTextField(_("location"), blank=True)  # de: Ort
    participants = EncryptedTextField(_("participants"), blank=True)  # de: Teilnehmende
    timeline_entry = models.ForeignKey(
        "cases.TimelineEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(
        _("completed at"), null=True, blank=True
    )  # de: abgeschlossen am
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("initial interview")  # de: Erstgespräch
        verbose_name_plural = _("initial interviews")  # de: Erstgespräche
        indexes = [
            models.Index(fields=["traeger", "status", "held_at"], name="interview_status_idx"),
            models.Index(
                fields=["traeger", "guide_key", "guide_version"], name="interview_guide_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide_name} ({self.guide_version})"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class RecognitionStatus(models.TextChoices):
    """Recognition of foreign qualifications (BQFG / Anerkennungsgesetz)."""

    NOT_STARTED = "not_started", _("not started")  # de: nicht begonnen
    IN_PROGRESS = "in_progress", _("in progress")  # de: läuft
    FULL = "full", _("fully recognised")  # de: voll anerkannt
    PARTIAL = "partial", _("partially recognised")  # de: teilweise anerkannt
    REFUSED = "refused", _("not recognised")  # de: nicht anerkannt


class WorkStatus(models.TextChoices):
    JOB_SEEKER = "job_seeker", _("looking for work")  # de: arbeitsuchend
    TRAINING_SEEKER = "training_seeker", _("looking for training")  # de: ausbildungsuchend
    EMPLOYED = "employed", _("employed")  # de: erwerbstätig
    IN_TRAINING = "in_training", _("in training")  # de: in Ausbildung
    NOT_AVAILABLE = "not_available", _("not available for work")  # de: nicht verfügbar


class GermanLevel(models.TextChoices):
    """Common European Framework of Reference (CEFR / GER) levels, or not tested."""

    NOT_TESTED = "not_tested", _("not tested")  # de: nicht getestet
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


#: The assessment fields that are copied into every revision (the history).
ASSESSMENT_FIELDS = (
    "resources",
    "school_qualifications",
    "vocational_qualifications",
    "recognition_status",
    "recognition_body",
    "work_experience",
    "work_status",
    "german_level",
    "german_test_date",
    "german_test_provider",
    "goals",
    "needs",
)


class Assessment(TenantOwned, Versioned):
    """The assessment of one field of action of a case (resources, qualifications, goals …).

    Every save also writes an :class:`AssessmentRevision` with the complete new state, so the
    history of the assessment is kept (the DGCC model loops back into assessment).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    #: The household member assessed (a case covers the household); default the case's person.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("person"),
    )
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field of action"),  # de: Handlungsfeld
    )
    #: The answers to the field's configured questions (``fields_of_action[].assessment``):
    #: ``{question_key: value}`` with JSON values (text, choice key, ISO date, bool, number).
    #: May hold special categories of data, so encrypted like the revisions.
    answers = EncryptedJSONField(default=dict, blank=True)
    # The free texts of the assessment are encrypted at rest (lotse.core.fieldcrypto).
    resources = EncryptedTextField(_("resources"), blank=True)  # de: Ressourcen
    school_qualifications = EncryptedTextField(
        _("school education and qualifications"), blank=True
    )  # de: Schulbildung und Schulabschlüsse
    vocational_qualifications = EncryptedTextField(
        _("vocational and academic qualifications"),
        blank=True,  # de: Berufs- und Hochschulabschlüsse
    )
    recognition_status = models.CharField(
        _("recognition of foreign qualifications"),  # de: Anerkennung ausländischer Abschlüsse
        max_length=16,
        choices=RecognitionStatus.choices,
        blank=True,
    )
    recognition_body = models.CharField(
        _("recognising body"), max_length=300, blank=True
    )  # de: anerkennende Stelle
    work_experience = EncryptedTextField(_("work experience"), blank=True)  # de: Berufserfahrung
    work_status = models.CharField(
        _("current work status"),
        max_length=20,
        choices=WorkStatus.choices,
        blank=True,  # de: aktueller Erwerbsstatus
    )
    german_level = models.CharField(
        _("German level"),
        max_length=12,
        choices=GermanLevel.choices,
        blank=True,  # de: Deutschkenntnisse (GER)
    )
    german_test_date = models.DateField(_("test date"), null=True, blank=True)  # de: Testdatum
    german_test_provider = models.CharField(
        _("test provider"), max_length=300, blank=True
    )  # de: Testanbieter
    goals = EncryptedTextField(
        _("goals in the person's own words"), blank=True
    )  # de: Ziele in eigenen Worten
    needs = EncryptedTextField(
        _("needs in the person's own words"), blank=True
    )  # de: Bedarfe in eigenen Worten
    authorities = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("authorities involved"),  # de: beteiligte Behörden und Stellen
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")  # de: Assessment
        verbose_name_plural = _("assessments")  # de: Assessments
        indexes = [
            models.Index(fields=["traeger", "case"], name="assessment_case_idx"),
            models.Index(fields=["traeger", "work_status"], name="assessment_work_idx"),
            models.Index(
                fields=["traeger", "person", "field_of_action"], name="assessment_person_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "field_of_action"], name="assessment_unique_field"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.person_id}/{self.field_of_action_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Callers that assess the case's own person may leave ``person`` out.
        if self.person_id is None and self.case_id is not None:
            self.person_id = self.case.person_id
        super().save(*args, **kwargs)


class AssessmentRevision(TenantOwned):
    """One saved state of an assessment (append-only)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))  # de: Version
    # A copy of the assessment's free texts, so encrypted like them.
    data = EncryptedJSONField(default=dict)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)  # de: geändert am
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment revision")  # de: Stand des Assessments
        verbose_name_plural = _("assessment history")  # de: Änderungsverlauf des Assessments
        ordering = ["assessment", "-version"]
        indexes = [
            models.Index(fields=["traeger", "assessment", "-version"], name="assessment_rev_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="assessment_rev_unique_version"
            )
        ]


class Track(models.TextChoices):
    """The two target pictures of case management in Kreis Lippe (about 70/30)."""

    ACCELERATION = "acceleration", _("acceleration (good prerequisites)")
    # de: Beschleunigung (gute Voraussetzungen)
    BARRIERS = "barriers", _("removing barriers (multiple problems)")
    # de: Abbau von Hemmnissen (multiple Problemlagen)


class CaseProfile(TenantOwned, Versioned):
    """The recorded choice of the case's track, with the reason.

    Whether the person is a Neuzuwanderer or an Altfall is *not* stored: it is derived from the
    registration date on every read (``selectors.arrival_category``).
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="profile")
    track = models.CharField(
        _("case profile"), max_length=20, choices=Track.choices
    )  # de: Fallprofil
    reason = EncryptedTextField(_("reason"))  # de: Begründung
    decided_on = models.DateField(_("decided on"))  # de: festgelegt am
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case profile")  # de: Fallprofil
        verbose_name_plural = _("case profiles")  # de: Fallprofile
        indexes = [models.Index(fields=["traeger", "track"], name="profile_track_idx")]


class InterpreterKind(models.TextChoices):
    PROFESSIONAL = "professional", _("professional interpreter")
    # de: professionelle Sprachmittlung
    TRAINED_LAY = "trained_lay", _("trained lay interpreter")
    # de: geschulte Laien-Sprachmittlung
    UNTRAINED = "untrained", _("untrained person from the client's circle")
    # de: ungeschulte Person aus dem Umfeld
    RELATIVE = "relative", _("relative")  # de: Angehörige/r
    CHILD = "child", _("child")  # de: Kind


#: Seed 002, 4.2.2: untrained interpreters from the client's circle, "insbesondere Kinder oder
#: andere Familienangehörige", are advised against.
DISCOURAGED_INTERPRETERS = frozenset(
    {InterpreterKind.UNTRAINED, InterpreterKind.RELATIVE, InterpreterKind.CHILD}
)


class InterpreterUse(TenantOwned):
    """Interpreting in one conversation: the Erstgespräch or a contact/appointment entry."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="interpreter_uses"
    )
    interview = models.OneToOneField(
        InitialInterview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interpreter_use",
    )
    timeline_entry = models.OneToOneField(
        "cases.TimelineEntry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interpreter_use",
        verbose_name=_("conversation"),  # de: Gespräch
    )
    language = models.CharField(_("language"), max_length=16)  # de: Sprache
    kind = models.CharField(
        _("interpreter"), max_length=16, choices=InterpreterKind.choices
    )  # de: Sprachmittlung durch
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),  # de: Organisation
    )
    note = EncryptedTextField(_("note"), blank=True)  # de: Anmerkung
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("interpreter use")  # de: Sprachmittlung
        verbose_name_plural = _("interpreter uses")
        indexes = [models.Index(fields=["traeger", "case", "kind"], name="interpreter_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interview__isnull=True, timeline_entry__isnull=False)
                | models.Q(interview__isnull=False, timeline_entry__isnull=True),
                name="interpreter_one_conversation",
            )
        ]

    @property
    def is_discouraged(self) -> bool:
        return self.kind in DISCOURAGED_INTERPRETERS
