"""Deadlines of the Handlungsstruktur per person, and what the reminders have sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned
from lotse.deadlines.engine import NotApplicable, Note


class DeadlineStatus(models.TextChoices):
    """Stored states. "missed" is derived: open and the due date has passed."""

    OPEN = "open", _("open")  # de: offen
    MET = "met", _("met")  # de: erfüllt
    NOT_APPLICABLE = "not_applicable", _("not applicable")  # de: entfällt
    #: The deadline was already over when the person came to us (registered long before the
    #: first case, imported caseloads): counted apart in monitoring, never in worklists.
    BEFORE_CASE = "before_case", _("expired before the case began")


class DisplayStatus(models.TextChoices):
    OPEN = "open", _("open")  # de: offen
    MISSED = "missed", _("missed")  # de: versäumt
    MET = "met", _("met")  # de: erfüllt
    NOT_APPLICABLE = "not_applicable", _("not applicable")  # de: entfällt
    BEFORE_CASE = "before_case", _("expired before the case began")
    UNKNOWN = "unknown", _("cannot be computed")  # de: nicht berechenbar


AUTOMATIC_REASONS = {
    NotApplicable.TOO_YOUNG: _("younger than the goal's age range"),  # de: jünger als …
    NotApplicable.TOO_OLD: _("older than the goal's age range"),  # de: älter als …
    # de: Geburtsdatum fehlt – Altersgrenze nicht prüfbar
    NotApplicable.BIRTH_DATE_MISSING: _("date of birth missing – age limit cannot be checked"),
    # de: nicht arbeit- oder ausbildungsuchend (Alter außerhalb 18–64)
    NotApplicable.NOT_JOB_SEEKER: _("not seeking work or training (age outside 18–64)"),
    NotApplicable.NOT_EMPLOYED: _("no employment recorded"),  # de: keine Beschäftigung erfasst
    # de: kein Anspruch auf einen Integrationskurs erkennbar
    NotApplicable.NOT_COURSE_ELIGIBLE: _("no entitlement to an integration course recorded"),
    NotApplicable.TARGET_GROUP: _(
        "not in the goal's target groups"
    ),  # de: nicht in den Zielgruppen
    # de: Aufenthaltsstatus nicht erfasst oder nicht betroffen
    NotApplicable.RESIDENCE_STATUS: _("residence status not among the goal's statuses"),
}

#: Automatic reasons taken from the recorded work status (``deadlines.facts``).
WORK_STATUS_REASONS = {
    # de: laut Assessment nicht verfügbar für Arbeit
    "work_not_available": _("not available for work according to the assessment"),
    # de: laut Assessment erwerbstätig oder in Ausbildung
    "work_employed": _("employed or in training according to the assessment"),
}

NOTES = {
    # de: Ausgangsdatum fehlt (z. B. Datum der Anmeldung)
    Note.EVENT_MISSING: _("the start date is missing (e.g. the date of registration)"),
    # de: Schulferien für diesen Zeitraum nicht konfiguriert – Frist nicht berechenbar
    Note.HOLIDAYS_MISSING: _(
        "school holidays are not configured for this period – the deadline cannot be computed"
    ),
    # de: Fristregel des Ziels ist ungültig
    Note.RULE_INVALID: _("the goal's deadline rule is invalid"),
}


class PersonGoalDeadline(TenantOwned, Versioned):
    """One configured goal with a deadline, for one person (a child has its own).

    ``version`` guards the users' decisions (met, not applicable, reopened); recomputing the
    due date does not change it.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="goal_deadlines"
    )
    goal = models.ForeignKey(
        "directory.Goal", on_delete=models.PROTECT, related_name="person_deadlines"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    start_on = models.DateField(_("counted from"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=32, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    evidence = EncryptedTextField(_("evidence"), blank=True)
    #: Where the evidence is kept in Lotse (the assessment or referral that met the deadline),
    #: a path within the application; empty for evidence entered by hand.
    evidence_url = models.CharField(_("evidence link"), max_length=300, blank=True)
    not_applicable_reason = EncryptedTextField(_("reason it does not apply"), blank=True)
    automatic = models.BooleanField(
        _("decided automatically"),
        default=True,
        help_text=_("False once a user marked the goal met or not applicable."),
    )
    automatic_reason = models.CharField(max_length=32, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("goal deadline")
        verbose_name_plural = _("goal deadlines")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "goal"], name="deadline_person_goal"),
        ]
        indexes = [
            models.Index(
                fields=["traeger", "status", "due_on", "id"], name="deadline_worklist_idx"
            ),
            # A person's open deadlines by due date (worklists read it once per person of the
            # team or caseload; the status before the date skips the met and the not applicable).
            models.Index(
                fields=["traeger", "person", "status", "due_on"], name="deadline_person_idx"
            ),
            models.Index(fields=["traeger", "goal", "status"], name="deadline_goal_idx"),
            # The worklist's "met" (-met_on, -id) and "not applicable" (-id) views.
            models.Index(fields=["traeger", "status", "-met_on", "-id"], name="deadline_met_idx"),
            models.Index(fields=["traeger", "status", "-id"], name="deadline_status_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} – {self.person_id}"

    def display_status(self, today: dt.date) -> str:
        if self.status != DeadlineStatus.OPEN:
            return str(self.status)
        if self.due_on is None:
            return DisplayStatus.UNKNOWN
        return DisplayStatus.MISSED if self.due_on < today else DisplayStatus.OPEN

    @property
    def reason_text(self) -> str:
        """Why it does not apply: the user's words, or the engine's reason."""
        if self.not_applicable_reason:
            return self.not_applicable_reason
        if self.automatic_reason in WORK_STATUS_REASONS:
            return str(WORK_STATUS_REASONS[self.automatic_reason])
        try:
            return str(AUTOMATIC_REASONS[NotApplicable(self.automatic_reason)])
        except (ValueError, KeyError):
            return ""

    @property
    def evidence_link(self) -> str:
        """The evidence link if it stays inside Lotse (a path, never another site)."""
        url = self.evidence_url
        return url if url.startswith("/") and not url.startswith("//") else ""

    @property
    def note_text(self) -> str:
        try:
            return str(NOTES[Note(self.note)])
        except (ValueError, KeyError):
            return ""


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("reminder before the due date")  # de: Erinnerung vor Fristablauf
    DIGEST = "digest", _("daily digest")  # de: tägliche Übersicht
    TASK_DUE = (
        "task_due",
        _("reminder before a task is due"),
    )  # de: Erinnerung vor Fälligkeit einer Aufgabe
    # de: Erinnerung an eine Wiedervorlage
    FOLLOW_UP_DUE = "follow_up_due", _("reminder of a referral follow-up")


class SentReminder(TenantOwned):
    """A reminder e-mail that went out; the unique constraint prevents a second one."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    deadline = models.ForeignKey(
        PersonGoalDeadline,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    #: What a reminder of a task or a referral follow-up was about (no foreign key: the
    #: reminders of other apps' objects are recorded here too): ``task`` or ``referral`` and id.
    subject_type = models.CharField(max_length=16, blank=True, default="")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: The due date a before-due reminder was for (a changed due date may be reminded again),
    #: or the day of a digest.
    for_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "deadline", "for_date"],
                condition=models.Q(deadline__isnull=False),
                name="reminder_once_per_deadline",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "for_date"],
                condition=models.Q(subject_id__isnull=False),
                name="reminder_once_per_subject",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "for_date"],
                condition=models.Q(deadline__isnull=True, subject_id__isnull=True),
                name="digest_once_per_day",
            ),
        ]
        indexes = [models.Index(fields=["traeger", "recipient", "-sent_at"], name="reminder_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.recipient_id} {self.for_date}"


class SchedulerRun(models.Model):
    """The scheduler enqueued ``job`` for ``run_on``; a second scheduler on that day does not."""

    job = models.CharField(max_length=64)
    run_on = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "run_on"], name="scheduler_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_on}"


class DeadlineBasis(TenantOwned):
    """What a Träger's deadlines were last computed from in full (issue 14).

    The nightly run recomputes only the persons whose facts changed and those who had a
    birthday, unless the configuration the rules read (goals, target groups, school holidays,
    the engine itself) differs from this fingerprint: then all of the Träger's persons.
    """

    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    refreshed_on = models.DateField(_("last full refresh"))

    class Meta:
        verbose_name = _("deadline basis")
        verbose_name_plural = _("deadline bases")
        constraints = [
            models.UniqueConstraint(fields=["traeger"], name="deadline_basis_once_per_traeger")
        ]

    def __str__(self) -> str:
        return f"{self.traeger_id} {self.refreshed_on}"
