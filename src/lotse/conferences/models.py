"""Fallkonferenzen (case conferences) and the Optimierungsbedarfe they bring up.

Seed 002, 4.2.1–4.2.2: a conference sits inside the counselling process after the assessment
(never as the "fire brigade"), is called by an entitled body (configured per Träger in
:class:`ConferenceSettings`), organised by the Servicestelle 2–4 weeks ahead, lasts at most 90
minutes and is moderated neutrally. It covers only cases whose responsibility is not within one
municipality; cooperation inside one municipality is internal.

The state machine (``Conference.State``) is in ``conferences.transitions``; every step is
journaled in :class:`ConferenceStep`, so the request, the agreement, a disagreement and the
Servicestelle's mediation stay visible with who decided what.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class ConferenceSettings(TenantOwned):
    """The ``conferences:`` section of the Träger's configuration (``lotse loadconfig``)."""

    #: Organisation kinds (``directory.Organisation.Kind``) that may call a conference.
    initiating_kinds = models.JSONField(_("organisation kinds that may call"), default=list)
    #: Keys of single organisations that may call (e.g. the Jobcenter, an "authority" like others).
    initiating_organisations = models.JSONField(_("organisations that may call"), default=list)
    lead_days_min = models.PositiveSmallIntegerField(_("minimum lead time (days)"), default=14)
    lead_days_max = models.PositiveSmallIntegerField(_("maximum lead time (days)"), default=28)
    max_minutes = models.PositiveSmallIntegerField(_("maximum length (minutes)"), default=90)
    #: ``[{key, title, min_minutes, max_minutes}]`` in order (seed 002, 4.2.1).
    agenda = models.JSONField(_("agenda template"), default=list)
    #: ``[{key, name}]``: the barrier categories of the Optimierungsbedarfe.
    barrier_categories = models.JSONField(_("barrier categories"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case conference settings")
        verbose_name_plural = _("case conference settings")
        constraints = [
            models.UniqueConstraint(fields=["traeger"], name="conferencesettings_one_per_traeger")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Scope(models.TextChoices):
    CROSS_MUNICIPAL = "cross_municipal", _("several municipalities (case conference)")
    INTERNAL = "internal", _("internal cooperation within one municipality")


class IndicationCheck(TenantOwned):
    """The case manager's check whether a conference is indicated (seed 002, 4.2.1).

    The criteria are prefilled from what the case knows and confirmed by the case manager; the
    decision and its reason are the case manager's.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    municipalities = models.ManyToManyField(
        "directory.Municipality",
        related_name="+",
        blank=True,
        verbose_name=_("municipalities involved"),
    )
    authorities = models.ManyToManyField(
        "directory.Organisation",
        related_name="+",
        blank=True,
        verbose_name=_("authorities involved"),
    )
    topics = models.ManyToManyField(
        "directory.FieldOfAction", related_name="+", blank=True, verbose_name=_("topics")
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    indicated = models.BooleanField(_("case conference indicated"))
    reason = EncryptedTextField(_("reason"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indication check")
        verbose_name_plural = _("indication checks")
        ordering = ["-checked_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "case", "-checked_at"], name="indication_case_idx")
        ]


class ConferenceState(models.TextChoices):
    INDICATED = "indicated", _("indicated")
    REQUESTED = "requested", _("requested")
    MEDIATION = "mediation", _("in mediation")
    AGREED = "agreed", _("agreed")
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    FOLLOWED_UP = "followed_up", _("followed up")
    CANCELLED = "cancelled", _("cancelled")


OPEN_CONFERENCE_STATES = (
    ConferenceState.INDICATED,
    ConferenceState.REQUESTED,
    ConferenceState.MEDIATION,
    ConferenceState.AGREED,
    ConferenceState.SCHEDULED,
)


class Conference(TenantOwned, Versioned):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="conferences", verbose_name=_("case")
    )
    indication = models.ForeignKey(
        IndicationCheck, on_delete=models.PROTECT, related_name="+", verbose_name=_("indication")
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ConferenceState.choices,
        default=ConferenceState.INDICATED,
    )
    initiator = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiating organisation"),
    )
    agreed_by = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed by"),
    )
    #: The anonymised case summary for participants without a basis to see case data.
    summary = EncryptedTextField(_("anonymised case summary"), blank=True)
    #: What the participants with a basis see (``consent.Category`` values).
    shared_categories = models.JSONField(_("data categories shared"), default=list)
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    #: Why a date outside the configured lead time was kept (seed: 2 to 4 weeks).
    date_override_reason = models.TextField(_("reason for the date"), blank=True)
    location = models.CharField(_("room"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organised by"),
    )
    #: The iCalendar UID stays the same for every invitation of this conference; SEQUENCE counts
    #: the changes sent (RFC 5546).
    ical_uid = models.CharField(max_length=200, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "case", "-created_at"], name="conference_case_idx"),
            models.Index(
                fields=["traeger", "state", "starts_at", "id"], name="conference_queue_idx"
            ),
        ]

    def __str__(self) -> str:
        return _("Case conference %(reference)s") % {"reference": self.case.reference}

    @property
    def ends_at(self) -> dt.datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class ConferenceStep(TenantOwned):
    """One step of a conference: request, agreement, disagreement, mediation, schedule, …"""

    class Kind(models.TextChoices):
        INDICATED = "indicated", _("indication recorded")
        REQUESTED = "requested", _("requested")
        AGREED = "agreed", _("agreed")
        DISAGREED = "disagreed", _("not agreed")
        MEDIATED = "mediated", _("mediation")
        SCHEDULED = "scheduled", _("scheduled")
        RESCHEDULED = "rescheduled", _("changed")
        HELD = "held", _("held")
        FOLLOWED_UP = "followed_up", _("followed up")
        CANCELLED = "cancelled", _("cancelled")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(max_length=20, choices=ConferenceState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ConferenceState.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    note = EncryptedTextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case conference step")
        verbose_name_plural = _("case conference steps")
        ordering = ["conference", "at", "id"]
        indexes = [models.Index(fields=["traeger", "conference", "at"], name="conferencestep_idx")]


class Participant(TenantOwned):
    """An organisation (and its person) invited, with what the gate decided for it."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role_in_case = models.CharField(_("role in the case"), max_length=200)
    #: True when the gate found a basis (consent or statute) for this organisation; otherwise
    #: the participant is invited with the anonymised summary only and ``gate_reasons`` says why.
    sees_case_data = models.BooleanField(_("sees case data"), default=False)
    gate_reasons = models.JSONField(_("why without case data"), default=list, blank=True)
    transfer = models.ForeignKey(
        "consent.Transfer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    #: The participant's confirmation of the duty of confidentiality at the start (seed agenda).
    confidentiality_confirmed = models.BooleanField(
        _("duty of confidentiality confirmed"), default=False
    )
    #: The participant's evaluation sheet was handed in. Only this flag is kept with the
    #: participant; the sheet itself (:class:`EvaluationSheet`) names no one.
    evaluation_submitted = models.BooleanField(_("evaluation sheet handed in"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["conference", "id"]
        indexes = [
            models.Index(fields=["traeger", "conference"], name="participant_conference_idx"),
            models.Index(fields=["traeger", "organisation"], name="participant_org_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["conference", "email"], name="participant_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class AgendaItem(TenantOwned):
    """One item of the conference's agenda, from the configured template, with its minutes."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=100)
    title = models.CharField(_("agenda item"), max_length=200)
    min_minutes = models.PositiveSmallIntegerField()
    max_minutes = models.PositiveSmallIntegerField()
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"))
    minutes = EncryptedTextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["conference", "position"]
        indexes = [models.Index(fields=["traeger", "conference"], name="agendaitem_conference_idx")]
        constraints = [
            models.UniqueConstraint(fields=["conference", "key"], name="agendaitem_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class BindingAgreement(TenantOwned):
    """Who does what by when, agreed in the conference; tracked as a task (``assignments``).

    Open agreements are shown again on the next conference of the same case.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agreements")
    task = models.ForeignKey(
        "assignments.Task", on_delete=models.PROTECT, related_name="+", verbose_name=_("task")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("binding agreement")
        verbose_name_plural = _("binding agreements")
        ordering = ["conference", "id"]
        indexes = [models.Index(fields=["traeger", "conference"], name="bindingagreement_conf_idx")]


class OptimisationNeed(TenantOwned):
    """An Optimierungsbedarf named in a conference or a Qualitätszirkel (no personal data).

    The queue the Servicestelle turns into Beschlussvorlagen for the bodies (seed 002, 4.2.2).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        TRIAGED = "triaged", _("triaged")
        ASSIGNED = "assigned", _("assigned")
        MERGED = "merged", _("merged into another need")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")

    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field of action"),
    )
    #: A key of ``ConferenceSettings.barrier_categories``.
    category = models.CharField(_("barrier category"), max_length=100)
    description = models.TextField(_("description"))
    organisations = models.ManyToManyField(
        "directory.Organisation",
        related_name="+",
        blank=True,
        verbose_name=_("organisations concerned"),
    )
    conference = models.ForeignKey(
        Conference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="optimisation_needs",
        verbose_name=_("case conference"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    #: Who takes the need on once assigned (a body's office, a working group's organisation …).
    assigned_to = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    #: The need this one was merged into (same barrier named again).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    status_note = models.TextField(_("note on the status"), blank=True)
    #: The working circle (or other body) the Servicestelle assigned the need to.
    body = models.ForeignKey(
        "directory.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="optimisation_needs",
        verbose_name=_("assigned to body"),
    )
    #: Where the need was named when not in a case conference (e.g. the Qualitätszirkel).
    source_body = models.ForeignKey(
        "directory.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="named_optimisation_needs",
        verbose_name=_("named in"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("optimisation need")
        verbose_name_plural = _("optimisation needs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["traeger", "status", "-created_at", "-id"], name="optneed_queue_idx"
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


class EvaluationSheet(TenantOwned):
    """One anonymous Evaluationsbogen of a conference (seed agenda: "Feedback").

    Deliberately without a participant, a user or a time of day: one sheet per participant is
    enforced by ``Participant.evaluation_submitted``; the answers cannot be traced back.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="evaluations")
    #: ``{question key: 1..5}`` (``conferences.evaluation.QUESTIONS``); a question left out is
    #: not answered.
    answers = models.JSONField(_("answers"), default=dict)
    comment = EncryptedTextField(_("comment"), blank=True)
    submitted_on = models.DateField(_("handed in on"))

    class Meta:
        verbose_name = _("evaluation sheet")
        verbose_name_plural = _("evaluation sheets")
        ordering = ["conference", "id"]
        indexes = [
            models.Index(fields=["traeger", "submitted_on"], name="evaluationsheet_date_idx"),
            models.Index(fields=["traeger", "conference"], name="evaluationsheet_conf_idx"),
        ]
