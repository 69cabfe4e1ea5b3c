"""The system level: bodies' meetings, Beschlussvorlagen, decisions and what they change.

Seed 002, chapters 4.1 and 5.1–5.2: the Steuerungsgremium Migration decides on
Beschlussvorlagen that the Arbeitskreise prepare from what case conferences and the
Qualitätszirkel found (:class:`lotse.conferences.models.OptimisationNeed`); its decisions create
or change goals and measures (``directory.Goal``/``directory.Measure``), whose progress is
reported back to the deciding body. The bodies themselves and their members are configuration
rows (``directory.Body``/``directory.BodyMembership``) the Servicestelle may edit.

Nothing here is about a Zugewanderte*r: needs, papers and decisions carry no personal data of
clients (conferences are referred to only through their anonymised needs). Attendance and members
name staff of the region's organisations and are never published without consent.

Publication: a decision is published to all actors of the region once the minutes of its meeting
are approved (``Decision.published_at``). What a Träger marks ``public`` is also served read-only
through OParl; ``depublished_at`` turns an object into an OParl soft deletion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TenantOwned, Versioned


class Publishable(models.Model):
    """Marked public by the Servicestelle (portal for all, OParl for everyone)."""

    public = models.BooleanField(_("public"), default=False)
    #: Set when a public object is withdrawn again: OParl keeps serving it as ``deleted: true``.
    depublished_at = models.DateTimeField(_("depublished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("planned")
    INVITED = "invited", _("invitations sent")
    HELD = "held", _("held")
    MINUTES_APPROVED = "minutes_approved", _("minutes approved")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(TenantOwned, Versioned, Publishable):
    """A sitting of a body (Steuerungsgremium, Arbeitskreis, Arbeitsgruppe, Qualitätszirkel …)."""

    body = models.ForeignKey(
        "directory.Body", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    #: The iCalendar UID stays the same for every invitation of this meeting; SEQUENCE counts the
    #: changes sent (RFC 5546), as for case conferences.
    ical_uid = models.CharField(max_length=200, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes approved by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "body", "-starts_at", "-id"], name="meeting_body_idx"),
            models.Index(fields=["traeger", "starts_at", "id"], name="meeting_date_idx"),
            models.Index(fields=["traeger", "updated_at", "id"], name="meeting_modified_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(TenantOwned):
    """Who was invited to a meeting and whether they (or their deputy) took part."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        PRESENT = "present", _("present")
        DEPUTY = "deputy", _("represented by the deputy")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        "directory.BodyMembership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("attendance"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    deputy_name = models.CharField(_("deputy"), max_length=200, blank=True)
    #: Consent to name this person in published minutes and OParl (never assumed).
    publish_consent = models.BooleanField(_("may be named publicly"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "id"]
        indexes = [models.Index(fields=["traeger", "meeting"], name="attendance_meeting_idx")]

    def __str__(self) -> str:
        return self.name or str(self.organisation or "")


class AgendaItem(TenantOwned, Publishable):
    """A Tagesordnungspunkt with its minutes; a paper's consultation hangs on one."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("item")
        ACTION_ITEMS = "action_items", _("open action items of earlier meetings")
        PAPER = "paper", _("Beschlussvorlage")
        REVIEW = "review", _("report on measures")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    paper = models.ForeignKey(
        "Paper",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("Beschlussvorlage"),
    )
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        indexes = [
            models.Index(fields=["traeger", "meeting", "position"], name="agendaitem_meeting_idx"),
            models.Index(fields=["traeger", "updated_at", "id"], name="agendaitem_modified_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


def document_path(instance: Document, filename: str) -> str:
    return f"governance/{instance.traeger_id}/{filename}"


class Document(TenantOwned, Publishable):
    """A file of a meeting or an agenda item (presentation, minutes PDF, decision)."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("attachment")
        MINUTES = "minutes", _("minutes")
        DECISION = "decision", _("decision")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    paper = models.ForeignKey(
        "Paper", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ATTACHMENT)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "updated_at", "id"], name="govdocument_modified_idx")
        ]

    def __str__(self) -> str:
        return self.title


class ActionItem(TenantOwned):
    """An open point a meeting gave someone; carried onto the body's next agenda until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    text = models.TextField(_("action item"))
    responsible_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible_name = models.CharField(_("responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    status_note = models.TextField(_("note on the status"), blank=True)
    #: The agenda items of later meetings this point was carried onto.
    carried_into = models.ManyToManyField(
        AgendaItem, blank=True, related_name="carried_action_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["traeger", "status", "due_on"], name="actionitem_open_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class PaperState(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONSULTED = "consulted", _("consulted in the working circle")
    SUBMITTED = "submitted", _("submitted to the steering committee")
    DECIDED = "decided", _("decided")
    RETURNED = "returned", _("returned to the working circle")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Paper(TenantOwned, Versioned, Publishable):
    """A Beschlussvorlage: the seed's measure table's columns, drafted by a working circle."""

    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    body = models.ForeignKey(
        "directory.Body",
        on_delete=models.PROTECT,
        related_name="papers",
        verbose_name=_("drafted by"),
    )
    field_of_action = models.ForeignKey(
        "directory.FieldOfAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field of action"),
    )
    goal = models.ForeignKey(
        "directory.Goal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        verbose_name=_("goal"),
    )
    problem = models.TextField(_("problem"))
    proposal = models.TextField(_("proposed measure"))
    responsible = models.TextField(_("responsible"), blank=True)
    financing = models.TextField(_("financing"), blank=True)
    organisational = models.TextField(_("organisational form"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PaperState.choices, default=PaperState.DRAFT
    )
    needs = models.ManyToManyField(
        "conferences.OptimisationNeed",
        blank=True,
        related_name="papers",
        verbose_name=_("optimisation needs"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Beschlussvorlage")
        verbose_name_plural = _("Beschlussvorlagen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["traeger", "reference"], name="paper_unique_reference")
        ]
        indexes = [
            models.Index(fields=["traeger", "state", "-created_at", "-id"], name="paper_state_idx"),
            models.Index(fields=["traeger", "updated_at", "id"], name="paper_modified_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Consultation(TenantOwned, Publishable):
    """A paper on a meeting's agenda: consulted (working circle) or decided (steering)."""

    class Role(models.TextChoices):
        CONSULTATION = "consultation", _("consultation")
        DECISION = "decision", _("decision")

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="consultations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    result = models.TextField(_("result of the consultation"), blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["paper", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "item"], name="consultation_unique_item")
        ]
        indexes = [
            models.Index(fields=["traeger", "updated_at", "id"], name="consultation_modified_idx")
        ]

    def __str__(self) -> str:
        return f"{self.paper.reference} – {self.get_role_display()}"


class Decision(TenantOwned, Publishable):
    """The steering committee's decision on a paper, with a structured vote result."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("adopted (beschlossen)")
        REJECTED = "rejected", _("rejected (abgelehnt)")
        DEFERRED = "deferred", _("deferred (vertagt)")
        RETURNED = "returned", _("returned to the working circle")

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    votes_yes = models.PositiveSmallIntegerField(_("votes in favour"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    unanimous = models.BooleanField(_("unanimous"), default=False)
    #: The wording decided where it deviates from the paper's proposal.
    resolution = models.TextField(_("resolution text"), blank=True)
    decided_on = models.DateField(_("decided on"))
    #: Set when the minutes of the meeting are approved: then every actor of the region sees it.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(
                fields=["traeger", "published_at", "-decided_on", "-id"],
                name="decision_published_idx",
            ),
            models.Index(fields=["traeger", "updated_at", "id"], name="decision_modified_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.paper.reference}: {self.get_outcome_display()}"


class GoalChange(TenantOwned):
    """What a decision created or changed in the goals registry (its history, before and after)."""

    class Kind(models.TextChoices):
        GOAL_CREATED = "goal_created", _("goal created")
        GOAL_CHANGED = "goal_changed", _("goal changed")
        MEASURE_CREATED = "measure_created", _("measure created")
        MEASURE_CHANGED = "measure_changed", _("measure changed")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    goal = models.ForeignKey(
        "directory.Goal", on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    measure = models.ForeignKey(
        "directory.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    summary = models.TextField(_("summary"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change by decision")
        verbose_name_plural = _("changes by decision")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "goal", "-created_at"], name="goalchange_goal_idx"),
            models.Index(
                fields=["traeger", "measure", "-created_at"], name="goalchange_measure_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class MeasureReport(TenantOwned):
    """A progress report on a measure at its review date, reported back to the deciding body."""

    measure = models.ForeignKey(
        "directory.Measure", on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(_("status"), max_length=20)
    progress = models.TextField(_("progress"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    #: The agenda item of the deciding body where the report was presented.
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["traeger", "measure", "-reported_on"], name="measurereport_idx")
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.reported_on})"
