"""From need to decision to measure: the services of Beschlussvorlagen (seed 002, 5.1–5.2).

The path: the Servicestelle assigns optimisation needs to a working circle (conferences'
triage), drafts a Beschlussvorlage from one or more of them, puts it on a meeting of the circle
for consultation, records the result, submits it to a meeting of the Steuerungsgremium, records
the decision with its vote and — for an adopted decision — the measure it creates or changes,
every effect recorded as a :class:`GoalChange`. Progress is reported back on the measure.

Needs used in a paper keep the status "assigned" while the paper is on its way (the queue shows
"in Beschlussvorlage BV …"); an adopted decision sets them to "done". A rejected, deferred or
returned paper leaves them assigned, so the circle can take them up again.

Every service is atomic and checks ``access.can_work_in_bodies`` and the Träger of every object
it is given; a wrong input is a ``ValidationError`` naming the form field, in German.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.conferences.models import OptimisationNeed
from lotse.core.access import can_work_in_bodies
from lotse.directory.models import Body, FieldOfAction, Goal, Measure, Organisation
from lotse.governance.models import (
    AgendaItem,
    Consultation,
    Decision,
    GoalChange,
    MeasureReport,
    Meeting,
    MeetingState,
    Paper,
    PaperState,
)

#: Meetings a paper can still be put on: not cancelled, minutes not yet approved.
OPEN_MEETING_STATES = (MeetingState.PLANNED, MeetingState.INVITED, MeetingState.HELD)
#: Paper states from which the working circle (re)consults a paper.
CONSULTABLE = (PaperState.DRAFT, PaperState.CONSULTED, PaperState.RETURNED)
NeedStatus = OptimisationNeed.Status


def _check(actor: Any, *objects: Any) -> None:
    if not can_work_in_bodies(actor):
        raise PermissionDenied
    for obj in objects:
        if obj is not None and obj.traeger_id != actor.traeger_id:
            raise PermissionDenied


def _own(obj: Any, traeger_id: int, field: str) -> None:
    if obj is not None and obj.traeger_id != traeger_id:
        raise ValidationError({field: _("Choose an entry of your Träger.")})


def next_reference(traeger_id: int, year: int) -> str:
    """The next "BV <year>/<nnn>" of the Träger (counted per year)."""
    prefix = f"BV {year}/"
    references = Paper.objects.filter(
        traeger_id=traeger_id, reference__startswith=prefix
    ).values_list("reference", flat=True)
    numbers = [int(r[len(prefix) :]) for r in references if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def paper_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    problem: str,
    proposal: str,
    needs: list[OptimisationNeed],
    responsible: str = "",
    financing: str = "",
    organisational: str = "",
    field_of_action: FieldOfAction | None = None,
    goal: Goal | None = None,
) -> Paper:
    """Draft a Beschlussvorlage in a working circle from needs assigned to it."""
    _check(actor)
    traeger_id = actor.traeger_id
    _own(body, traeger_id, "body")
    _own(field_of_action, traeger_id, "field_of_action")
    _own(goal, traeger_id, "goal")
    errors: dict[str, str] = {}
    if body.kind == Body.Kind.STEERING:
        errors["body"] = _(
            "A Beschlussvorlage is drafted by a working circle, not the steering committee."
        )
    if not title.strip():
        errors["title"] = _("Please enter a title.")
    if not problem.strip():
        errors["problem"] = _("Please describe the problem.")
    if not proposal.strip():
        errors["proposal"] = _("Please describe the proposed measure.")
    if not needs:
        errors["needs"] = _("Choose at least one optimisation need assigned to the body.")
    for need in needs:
        if need.traeger_id != traeger_id:
            raise ValidationError({"needs": _("Choose an entry of your Träger.")})
        if need.status != NeedStatus.ASSIGNED:
            errors["needs"] = _("Only needs assigned to a body can go into a Beschlussvorlage.")
    if errors:
        raise ValidationError(errors)
    # Several drafts at once: the Träger's row serialises the numbering.
    type(actor.traeger).objects.select_for_update().filter(pk=traeger_id).first()
    paper = Paper.objects.create(
        traeger_id=traeger_id,
        reference=next_reference(traeger_id, timezone.localdate().year),
        title=title.strip(),
        body=body,
        field_of_action=field_of_action,
        goal=goal,
        problem=problem.strip(),
        proposal=proposal.strip(),
        responsible=responsible.strip(),
        financing=financing.strip(),
        organisational=organisational.strip(),
        created_by=actor,
    )
    paper.needs.set(needs)
    return paper


def open_meetings(paper: Paper, *, steering: bool) -> Any:
    """The meetings a paper can be put on: of its circle, or of a steering committee."""
    rows = Meeting.objects.filter(traeger_id=paper.traeger_id, state__in=OPEN_MEETING_STATES)
    if steering:
        rows = rows.filter(body__kind=Body.Kind.STEERING)
    else:
        rows = rows.filter(body_id=paper.body_id)
    return rows.select_related("body").order_by("starts_at", "id")


def _add_item(paper: Paper, meeting: Meeting, role: str) -> Consultation:
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"]
    position = (last or 0) + 1
    item = AgendaItem.objects.create(
        traeger_id=paper.traeger_id,
        meeting=meeting,
        position=position,
        number=str(position),
        title=f"{paper.reference} {paper.title}"[:500],
        kind=AgendaItem.Kind.PAPER,
        paper=paper,
        # On a public meeting a Beschlussvorlage is a public item unless the Servicestelle
        # marks it internal; its decision is then published through OParl with the minutes.
        public=meeting.public,
    )
    return Consultation.objects.create(
        traeger_id=paper.traeger_id, paper=paper, item=item, role=role
    )


@transaction.atomic
def paper_put_on_meeting(*, actor: Any, paper: Paper, meeting: Meeting) -> Consultation:
    """Put the paper on a meeting of its working circle for consultation."""
    _check(actor, paper, meeting)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.state not in CONSULTABLE:
        raise ValidationError(
            {"meeting": _("The Beschlussvorlage is no longer consulted in the working circle.")}
        )
    if not open_meetings(paper, steering=False).filter(pk=meeting.pk).exists():
        raise ValidationError(
            {"meeting": _("Choose a meeting of the drafting body that is not over yet.")}
        )
    if Consultation.objects.filter(paper=paper, item__meeting=meeting).exists():
        raise ValidationError({"meeting": _("The Beschlussvorlage is on this meeting already.")})
    return _add_item(paper, meeting, Consultation.Role.CONSULTATION)


@transaction.atomic
def consultation_record_result(
    *, actor: Any, consultation: Consultation, result: str
) -> Consultation:
    """What the working circle concluded: the paper counts as consulted."""
    _check(actor, consultation)
    if consultation.role != Consultation.Role.CONSULTATION:
        raise ValidationError({"result": _("This is not a consultation in the working circle.")})
    if not result.strip():
        raise ValidationError({"result": _("Please enter the result of the consultation.")})
    paper = Paper.objects.select_for_update().get(pk=consultation.paper_id)
    if paper.state not in CONSULTABLE:
        raise ValidationError(
            {"result": _("The Beschlussvorlage has been submitted to the steering committee.")}
        )
    consultation.result = result.strip()
    consultation.save(update_fields=["result", "updated_at"])
    paper.state = PaperState.CONSULTED
    paper.version += 1
    paper.save(update_fields=["state", "version", "updated_at"])
    return consultation


@transaction.atomic
def paper_submit(*, actor: Any, paper: Paper, meeting: Meeting) -> Consultation:
    """Submit a consulted paper to a meeting of the steering committee (for decision)."""
    _check(actor, paper, meeting)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.state not in (PaperState.CONSULTED, PaperState.SUBMITTED):
        raise ValidationError(
            {"meeting": _("Record the working circle's consultation result first.")}
        )
    if paper.state == PaperState.SUBMITTED and pending_decision(paper) is not None:
        raise ValidationError(
            {"meeting": _("The Beschlussvorlage is on a steering committee meeting already.")}
        )
    if not open_meetings(paper, steering=True).filter(pk=meeting.pk).exists():
        raise ValidationError(
            {"meeting": _("Choose a meeting of the steering committee that is not over yet.")}
        )
    if Consultation.objects.filter(paper=paper, item__meeting=meeting).exists():
        raise ValidationError({"meeting": _("The Beschlussvorlage is on this meeting already.")})
    consultation = _add_item(paper, meeting, Consultation.Role.DECISION)
    paper.state = PaperState.SUBMITTED
    paper.submitted_at = timezone.now()
    paper.version += 1
    paper.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    return consultation


def pending_decision(paper: Paper) -> Consultation | None:
    """The steering committee's agenda item the paper waits on (without a decision yet)."""
    return (
        paper.consultations.filter(role=Consultation.Role.DECISION, item__decisions__isnull=True)
        .select_related("item__meeting__body")
        .order_by("-id")
        .first()
    )


@transaction.atomic
def paper_decide(
    *,
    actor: Any,
    paper: Paper,
    outcome: str,
    decided_on: dt.date,
    votes_yes: int | None = None,
    votes_no: int | None = None,
    votes_abstain: int | None = None,
    unanimous: bool = False,
    resolution: str = "",
) -> Decision:
    """Record the steering committee's decision; the paper's state follows it."""
    _check(actor, paper)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.state != PaperState.SUBMITTED:
        raise ValidationError(
            {
                "outcome": _(
                    "Only a Beschlussvorlage submitted to the steering committee is decided."
                )
            }
        )
    consultation = pending_decision(paper)
    if consultation is None:
        raise ValidationError(
            {"outcome": _("Put the Beschlussvorlage on a steering committee meeting first.")}
        )
    Outcome = Decision.Outcome
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Please choose the outcome.")
    for field, value in (
        ("votes_yes", votes_yes),
        ("votes_no", votes_no),
        ("votes_abstain", votes_abstain),
    ):
        if value is not None and value < 0:
            errors[field] = _("A number of votes cannot be negative.")
    if unanimous:
        if outcome not in (Outcome.ADOPTED, Outcome.REJECTED):
            errors["unanimous"] = _("Only an adoption or a rejection is unanimous.")
        if outcome == Outcome.ADOPTED and votes_no:
            errors["votes_no"] = _("A unanimous adoption has no votes against.")
        if outcome == Outcome.REJECTED and votes_yes:
            errors["votes_yes"] = _("A unanimous rejection has no votes in favour.")
    elif outcome in (Outcome.ADOPTED, Outcome.REJECTED) and "votes_yes" not in errors:
        if votes_yes is None or votes_no is None:
            errors["votes_yes"] = _("Enter the votes in favour and against, or tick “unanimous”.")
        elif outcome == Outcome.ADOPTED and votes_yes <= votes_no:
            errors["votes_yes"] = _("Adopted needs more votes in favour than against.")
        elif outcome == Outcome.REJECTED and votes_yes > votes_no:
            errors["votes_no"] = _("More votes in favour than against is no rejection.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date of the decision cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        traeger_id=paper.traeger_id,
        paper=paper,
        item=consultation.item,
        outcome=outcome,
        votes_yes=votes_yes,
        votes_no=votes_no,
        votes_abstain=votes_abstain,
        unanimous=unanimous,
        resolution=resolution.strip(),
        decided_on=decided_on,
        created_by=actor,
    )
    paper.state = {
        Outcome.ADOPTED: PaperState.DECIDED,
        Outcome.REJECTED: PaperState.DECIDED,
        Outcome.RETURNED: PaperState.RETURNED,
        Outcome.DEFERRED: PaperState.SUBMITTED,
    }[Outcome(outcome)]
    paper.version += 1
    paper.save(update_fields=["state", "version", "updated_at"])
    if outcome == Outcome.ADOPTED:
        reference = paper.reference
        for need in paper.needs.filter(status=NeedStatus.ASSIGNED):
            need.status = NeedStatus.DONE
            need.status_note = _("Adopted as Beschlussvorlage %(reference)s.") % {
                "reference": reference
            }
            need.save(update_fields=["status", "status_note", "updated_at"])
    return decision


# -- effects of an adopted decision -------------------------------------------------------------

MEASURE_FIELDS = (
    "text",
    "responsible",
    "financing",
    "organisational",
    "responsible_organisation_id",
    "status",
    "due_on",
    "review_on",
    "goal_id",
)


def measure_snapshot(measure: Measure) -> dict[str, Any]:
    """The measure's fields as JSON (before/after of a GoalChange)."""
    values: dict[str, Any] = {"key": measure.key}
    for name in MEASURE_FIELDS:
        value = getattr(measure, name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def _adopted(decision: Decision, actor: Any) -> None:
    _check(actor, decision)
    if decision.outcome != Decision.Outcome.ADOPTED:
        raise ValidationError({"text": _("Only an adopted decision creates or changes measures.")})


def _measure_key(decision: Decision) -> str:
    base = slugify(decision.paper.reference.replace("/", "-"))[:80] or "beschluss"
    existing = set(
        Measure.objects.filter(traeger_id=decision.traeger_id, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    number = 1
    while f"{base}-m{number}" in existing:
        number += 1
    return f"{base}-m{number}"


def _measure_errors(text: str, due_on: dt.date | None, review_on: dt.date | None) -> None:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Please describe the measure.")
    if due_on and review_on and review_on > due_on:
        errors["review_on"] = _("The review date lies after the due date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_create_measure(
    *,
    actor: Any,
    decision: Decision,
    goal: Goal,
    text: str,
    responsible: str = "",
    financing: str = "",
    organisational: str = "",
    responsible_organisation: Organisation | None = None,
    due_on: dt.date | None = None,
    review_on: dt.date | None = None,
) -> Measure:
    """A new measure under a goal, created by an adopted decision (origin "decision")."""
    _adopted(decision, actor)
    _own(goal, decision.traeger_id, "goal")
    _own(responsible_organisation, decision.traeger_id, "responsible_organisation")
    _measure_errors(text, due_on, review_on)
    last = Measure.objects.filter(goal=goal).aggregate(m=Max("sort_order"))["m"]
    measure = Measure.objects.create(
        traeger_id=decision.traeger_id,
        key=_measure_key(decision),
        sort_order=(last or 0) + 1,
        goal=goal,
        text=text.strip(),
        responsible=responsible.strip(),
        financing=financing.strip(),
        organisational=organisational.strip(),
        responsible_organisation=responsible_organisation,
        status=Measure.Status.PLANNED,
        due_on=due_on,
        review_on=review_on,
        origin=Measure.Origin.DECISION,
    )
    GoalChange.objects.create(
        traeger_id=decision.traeger_id,
        decision=decision,
        kind=GoalChange.Kind.MEASURE_CREATED,
        goal=goal,
        measure=measure,
        summary=_("Measure created under “%(goal)s”.") % {"goal": goal},
        before=None,
        after=measure_snapshot(measure),
    )
    return measure


@transaction.atomic
def decision_change_measure(
    *, actor: Any, decision: Decision, measure: Measure, **changes: Any
) -> Measure:
    """Change an existing measure by decision; it becomes the app's (origin "decision").

    A measure from the configuration file that a body changed is no longer overwritten by the
    next load of the file (``directory.config.loader``): the decision wins.
    """
    _adopted(decision, actor)
    _own(measure, decision.traeger_id, "measure")
    allowed = {
        "text",
        "responsible",
        "financing",
        "organisational",
        "responsible_organisation",
        "due_on",
        "review_on",
        "status",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _own(changes.get("responsible_organisation"), decision.traeger_id, "responsible_organisation")
    _measure_errors(
        changes.get("text", measure.text),
        changes.get("due_on", measure.due_on),
        changes.get("review_on", measure.review_on),
    )
    before = measure_snapshot(measure)
    for name, value in changes.items():
        setattr(measure, name, value.strip() if isinstance(value, str) else value)
    measure.origin = Measure.Origin.DECISION
    measure.save()
    GoalChange.objects.create(
        traeger_id=decision.traeger_id,
        decision=decision,
        kind=GoalChange.Kind.MEASURE_CHANGED,
        goal=measure.goal,
        measure=measure,
        summary=_("Measure changed under “%(goal)s”.") % {"goal": measure.goal},
        before=before,
        after=measure_snapshot(measure),
    )
    return measure


# -- progress -----------------------------------------------------------------------------------


@transaction.atomic
def measure_report(
    *,
    actor: Any,
    measure: Measure,
    status: str,
    progress: str,
    reported_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
    item: AgendaItem | None = None,
) -> MeasureReport:
    """A progress report: sets the measure's status and its next review date."""
    _check(actor, measure, item)
    errors: dict[str, str] = {}
    if status not in Measure.Status.values:
        errors["status"] = _("Please choose the status.")
    if not progress.strip():
        errors["progress"] = _("Please describe the progress.")
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        errors["reported_on"] = _("The report date cannot be in the future.")
    if next_review_on is not None and next_review_on <= reported_on:
        errors["next_review_on"] = _("The next review lies after the report.")
    if item is not None and item.kind != AgendaItem.Kind.REVIEW:
        errors["item"] = _("Choose an agenda item for reports on measures.")
    if errors:
        raise ValidationError(errors)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    report = MeasureReport.objects.create(
        traeger_id=measure.traeger_id,
        measure=measure,
        reported_on=reported_on,
        status=status,
        progress=progress.strip(),
        next_review_on=next_review_on,
        item=item,
        reported_by=actor,
    )
    measure.status = status
    measure.review_on = next_review_on
    measure.save(update_fields=["status", "review_on"])
    return report


GOAL_FIELDS = ("code", "title", "description", "tier", "parent_id", "field_of_action_id")


def goal_snapshot(goal: Goal) -> dict[str, Any]:
    return {"key": goal.key, **{name: getattr(goal, name) for name in GOAL_FIELDS}}


@transaction.atomic
def decision_create_goal(
    *,
    actor: Any,
    decision: Decision,
    title: str,
    code: str = "",
    description: str = "",
    tier: str = Goal.Tier.GOAL,
    parent: Goal | None = None,
    field_of_action: FieldOfAction | None = None,
) -> Goal:
    """A new goal adopted by the steering committee (recorded as a GoalChange).

    The configuration loader does not remove goals a decision created (they are not in the
    file); ``lotse dumpconfig`` writes them into the file.
    """
    _adopted(decision, actor)
    _own(parent, decision.traeger_id, "parent")
    _own(field_of_action, decision.traeger_id, "field_of_action")
    if not title.strip():
        raise ValidationError({"title": _("Please enter a title.")})
    if tier not in Goal.Tier.values:
        raise ValidationError({"tier": _("Please choose the tier.")})
    base = slugify(code or title)[:80] or "ziel"
    taken = set(
        Goal.objects.filter(traeger_id=decision.traeger_id, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    last = Goal.objects.filter(traeger_id=decision.traeger_id).aggregate(m=Max("sort_order"))["m"]
    goal = Goal.objects.create(
        traeger_id=decision.traeger_id,
        key=key,
        sort_order=(last or 0) + 1,
        code=code.strip(),
        title=title.strip(),
        description=description.strip(),
        tier=tier,
        parent=parent,
        field_of_action=field_of_action,
        adopted_on=decision.decided_on,
        adopted_by=decision.item.meeting.body.name,
    )
    GoalChange.objects.create(
        traeger_id=decision.traeger_id,
        decision=decision,
        kind=GoalChange.Kind.GOAL_CREATED,
        goal=goal,
        summary=_("Goal “%(goal)s” created.") % {"goal": goal},
        after=goal_snapshot(goal),
    )
    return goal


@transaction.atomic
def decision_change_goal(
    *,
    actor: Any,
    decision: Decision,
    goal: Goal,
    title: str | None = None,
    description: str | None = None,
    code: str | None = None,
) -> Goal:
    """Change a goal's wording by decision (before and after recorded as a GoalChange)."""
    _adopted(decision, actor)
    _own(goal, decision.traeger_id, "goal")
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    before = goal_snapshot(goal)
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": _("Please enter a title.")})
        goal.title = title.strip()
    if description is not None:
        goal.description = description.strip()
    if code is not None:
        goal.code = code.strip()
    goal.adopted_on = decision.decided_on
    goal.save()
    GoalChange.objects.create(
        traeger_id=decision.traeger_id,
        decision=decision,
        kind=GoalChange.Kind.GOAL_CHANGED,
        goal=goal,
        summary=_("Goal “%(goal)s” changed.") % {"goal": goal},
        before=before,
        after=goal_snapshot(goal),
    )
    return goal
