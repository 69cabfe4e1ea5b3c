"""Writing deadlines: recompute them from the configuration, and record users' decisions.

``deadlines_refresh_for_person`` is the one entry point other apps call when data the deadlines
depend on changes (registration date, date of birth, household, residence status, a case opened).
Recomputing never overwrites what a user decided (met, or not applicable with a reason); it only
moves due dates and switches automatic "not applicable" decisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core.access import Action, require
from lotse.core.locking import save_versioned
from lotse.core.memo import cached
from lotse.deadlines import engine as engine_module
from lotse.deadlines import facts as facts_module
from lotse.deadlines.engine import NotApplicable, SchoolCalendar, decide, is_person_rule
from lotse.deadlines.facts import facts_for, work_status_reason, work_statuses
from lotse.deadlines.models import DeadlineBasis, DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import FieldOfAction, Goal, TargetGroup
from lotse.people.models import Person
from lotse.tenancy.models import Traeger

COMPUTED_FIELDS = ["status", "due_on", "start_on", "note", "automatic_reason", "computed_at"]


def person_goals(traeger_id: int) -> list[Goal]:
    """The Träger's goals whose deadline rule applies to single persons."""
    goals = Goal.objects.filter(traeger_id=traeger_id, deadline_rule__isnull=False).order_by(
        "sort_order", "code", "id"
    )
    return [g for g in goals if is_person_rule(g.deadline_rule, g.applies_to)]


def school_calendar(traeger: Traeger) -> SchoolCalendar:
    return SchoolCalendar.from_config(traeger.school_holidays or [], state=traeger.state or "NW")


def school_holiday_gaps(
    traeger: Traeger, *, today: dt.date | None = None
) -> list[tuple[dt.date, dt.date]]:
    """Stretches in use without school holiday data, when a goal counts in school weeks.

    In use: from the earliest registration of the Träger's persons (or today) until a year
    from today. School-week deadlines of persons registered in such a stretch get no date.
    """
    goals = Goal.objects.filter(traeger_id=traeger.pk, deadline_rule__unit="school_weeks")
    if not goals.exists():
        return []
    day = today or timezone.localdate()
    first = (
        Person.objects.filter(traeger_id=traeger.pk, registered_on__isnull=False)
        .order_by("registered_on")
        .values_list("registered_on", flat=True)
        .first()
    )
    start = min(first, day) if first else day
    return school_calendar(traeger).gaps(start, day + dt.timedelta(days=365))


def _refresh(
    *,
    traeger: Traeger,
    persons: list[Person],
    goals: list[Goal],
    school: SchoolCalendar,
    today: dt.date,
) -> int:
    """Recompute the deadlines of ``persons``; returns the number of rows written."""
    if not persons:
        return 0
    now = timezone.now()
    work = work_statuses([p.pk for p in persons], traeger_id=traeger.pk)
    facts = facts_for(persons, traeger_id=traeger.pk, today=today, work=work)
    existing = {
        (row.person_id, row.goal_id): row
        for row in PersonGoalDeadline.objects.filter(
            traeger_id=traeger.pk, person_id__in=[p.pk for p in persons]
        )
    }
    goal_ids = {g.pk for g in goals}
    created: list[PersonGoalDeadline] = []
    changed: list[PersonGoalDeadline] = []
    for person in persons:
        for goal in goals:
            decision = decide(
                goal.deadline_rule or {}, goal.applies_to, facts[person.pk], school, today
            )
            row = existing.get((person.pk, goal.pk))
            if row is None:
                row = PersonGoalDeadline(
                    traeger_id=traeger.pk, person=person, goal=goal, computed_at=now
                )
                created.append(row)
            else:
                changed.append(row)
            before = tuple(getattr(row, name) for name in COMPUTED_FIELDS[:-1])
            row.due_on = decision.due_on
            row.start_on = decision.start_on
            row.note = decision.note.value if decision.note else ""
            if row.automatic:
                came = facts[person.pk].events.get("came_to_us")
                if decision.applies and decision.due_on and came and decision.due_on < came:
                    row.status = DeadlineStatus.BEFORE_CASE
                    row.automatic_reason = ""
                elif decision.applies:
                    row.status = DeadlineStatus.OPEN
                    row.automatic_reason = ""
                else:
                    row.status = DeadlineStatus.NOT_APPLICABLE
                    row.automatic_reason = (
                        decision.not_applicable.value if decision.not_applicable else ""
                    )
                    if decision.not_applicable == NotApplicable.NOT_JOB_SEEKER:
                        row.automatic_reason = (
                            work_status_reason(work.get(person.pk)) or row.automatic_reason
                        )
            if row.pk and before == tuple(getattr(row, n) for n in COMPUTED_FIELDS[:-1]):
                changed.remove(row)
            row.computed_at = now
    stale = [
        row.pk
        for row in existing.values()
        if row.goal_id not in goal_ids and row.automatic and row.status != DeadlineStatus.MET
    ]
    if stale:
        PersonGoalDeadline.objects.filter(traeger_id=traeger.pk, pk__in=stale).delete()
    PersonGoalDeadline.objects.bulk_create(created)
    if changed:
        PersonGoalDeadline.objects.bulk_update(changed, COMPUTED_FIELDS)
    return len(created) + len(changed)


def _household_of(person: Person) -> list[Person]:
    if person.household_id is None:
        return [person]
    members = list(
        Person.objects.filter(traeger_id=person.traeger_id, household_id=person.household_id)
    )
    return members if any(m.pk == person.pk for m in members) else [person, *members]


@transaction.atomic
def deadlines_refresh_for_person(
    person: Person, *, today: dt.date | None = None
) -> list[PersonGoalDeadline]:
    """Recompute the deadlines of ``person`` and of everyone in the household (e.g. children).

    A system computation (no actor): callers have already authorised the change that caused it.
    Returns the person's own deadlines.
    """
    traeger = _refresh_person(person, today=today)
    return list(
        PersonGoalDeadline.objects.filter(traeger_id=traeger.pk, person=person).select_related(
            "goal"
        )
    )


@transaction.atomic(savepoint=False)
def deadlines_refresh_after_change(person: Person) -> None:
    """The listener of ``people.events``: recompute, without reading the deadlines back.

    No savepoint of its own: it runs inside the change that caused it, which fails with it.
    """
    _refresh_person(person)


def _refresh_person(person: Person, *, today: dt.date | None = None) -> Traeger:
    traeger_id = person.traeger_id
    traeger = cached(("traeger", traeger_id), lambda: Traeger.objects.get(pk=traeger_id))
    # Serialise concurrent refreshes of one person (the person row is the lock).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _refresh(
        traeger=traeger,
        persons=_household_of(person),
        goals=cached(("person_goals", traeger_id), lambda: person_goals(traeger_id)),
        school=cached(("school_calendar", traeger_id), lambda: school_calendar(traeger)),
        today=today or timezone.localdate(),
    )
    return traeger


def deadlines_refresh_for_traeger(
    traeger: Traeger,
    *,
    today: dt.date | None = None,
    batch: int = 500,
    only: Q | None = None,
) -> int:
    """Recompute the deadlines of one Träger's persons (those matching ``only``, else all),
    in batches of ``batch`` persons."""
    goals = person_goals(traeger.pk)
    school = school_calendar(traeger)
    day = today or timezone.localdate()
    written, last_id = 0, 0
    selected = Person.objects.filter(traeger_id=traeger.pk, merged_into=None)
    if only is not None:
        selected = selected.filter(only)
    while True:
        persons = list(selected.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not persons:
            return written
        with transaction.atomic():
            written += _refresh(
                traeger=traeger, persons=persons, goals=goals, school=school, today=day
            )
        last_id = persons[-1].pk


def deadlines_refresh_all(
    *,
    traeger_slugs: Iterable[str] = (),
    today: dt.date | None = None,
    since: dt.date | None = None,
) -> int:
    """Recompute the deadlines of every Träger: all persons, or with ``since`` (the day of
    the previous run) only those whose deadlines can have changed (:func:`changed_since`) —
    except in a Träger whose configuration differs from the last full refresh
    (:func:`deadline_basis`): there all persons. Returns the number of rows written."""
    return sum(
        outcome.written
        for outcome in deadlines_refresh_traeger_all(
            traeger_slugs=traeger_slugs, today=today, since=since
        )
    )


@dataclass(frozen=True)
class RefreshOutcome:
    """What the refresh did for one Träger: ``full`` (all persons) or only the changed ones."""

    traeger: Traeger
    full: bool
    written: int


def deadlines_refresh_traeger_all(
    *,
    traeger_slugs: Iterable[str] = (),
    today: dt.date | None = None,
    since: dt.date | None = None,
) -> list[RefreshOutcome]:
    """:func:`deadlines_refresh_all`, with what it did per Träger."""
    queryset = Traeger.objects.order_by("pk")
    if traeger_slugs:
        queryset = queryset.filter(slug__in=list(traeger_slugs))
    day = today or timezone.localdate()
    only = changed_since(since, day) if since is not None else None
    recorded = dict(DeadlineBasis.objects.values_list("traeger_id", "fingerprint"))
    outcomes = []
    for traeger in queryset:
        basis = deadline_basis(traeger)
        full = only is None or recorded.get(traeger.pk) != basis
        written = deadlines_refresh_for_traeger(traeger, today=day, only=None if full else only)
        if full:
            # Recorded after the Träger's last batch: a run that breaks off is full again.
            DeadlineBasis.objects.update_or_create(
                traeger=traeger, defaults={"fingerprint": basis, "refreshed_on": day}
            )
        outcomes.append(RefreshOutcome(traeger, full=full, written=written))
    return outcomes


_CODE_FINGERPRINT: str | None = None


def _code_fingerprint() -> str:
    """The rule engine, the facts it reads and the school holidays shipped with it, as
    installed: an update of any of them makes the next nightly run a full one."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        digest = hashlib.sha256()
        files = [Path(module.__file__ or "") for module in (engine_module, facts_module)]
        holidays = Path(engine_module.__file__ or "").parent / "data" / "school_holidays"
        files += sorted(holidays.rglob("*"))
        for path in files:
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _CODE_FINGERPRINT = digest.hexdigest()
    return _CODE_FINGERPRINT


def deadline_basis(traeger: Traeger) -> str:
    """A fingerprint of everything besides a person's own facts and age that a deadline
    decision reads: the goals' rules and conditions, the target groups' hierarchy, the school
    holidays and state, and the code of the engine. Equal fingerprints, equal decisions for
    unchanged persons — so the nightly run may skip them."""
    goals = [[g.pk, g.deadline_rule, g.applies_to] for g in person_goals(traeger.pk)]
    groups = list(
        TargetGroup.objects.filter(traeger_id=traeger.pk)
        .order_by("pk")
        .values_list("pk", "key", "parent_id")
    )
    material = {
        "code": _code_fingerprint(),
        "goals": goals,
        "target_groups": groups,
        "school_holidays": traeger.school_holidays or [],
        "state": traeger.state or "NW",
    }
    encoded = json.dumps(material, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def changed_since(since: dt.date, today: dt.date) -> Q:
    """The persons whose deadlines can differ from the run on ``since`` (issue 14).

    Every change of a person's facts through a service recomputes their deadlines at once
    (``people.events.on_person_changed``), so the nightly run only needs
    - persons changed since the start of ``since`` without such a call (imports, admin), and
    - persons whose age changed: a decision depends on the day itself only through the age
      on that day (``engine.applicability`` when the rule's start event is missing, and
      ``facts_for`` without a registration date), and an age changes on a birthday.
    Configuration changes (goals, target groups, school holidays) and updates of the engine
    need the full run; :func:`deadlines_refresh_traeger_all` notices them by the Träger's
    :func:`deadline_basis`.
    """
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    condition = Q(updated_at__gte=start)
    days = {since + dt.timedelta(days=n) for n in range(1, (today - since).days + 1)}
    pairs = {(d.month, d.day) for d in days}
    if (2, 28) in pairs or (3, 1) in pairs:
        pairs.add((2, 29))  # born on 29 February: a year older on 28 February or 1 March
    for month, day in sorted(pairs):
        condition |= Q(date_of_birth__month=month, date_of_birth__day=day)
    return condition


def _check(actor: Any, deadline: PersonGoalDeadline) -> None:
    require(actor, Action.CHANGE)
    if deadline.traeger_id != actor.traeger_id:
        raise ValidationError({"deadline": _("This entry does not belong to your Träger.")})


def _audit(actor: Any, deadline: PersonGoalDeadline, detail: str, request: Any) -> None:
    audit_log(
        user=actor,
        action="update",
        object_type="deadline",
        object_id=deadline.pk,
        person_id=deadline.person_id,
        categories=["deadline"],
        request=request,
        detail=detail,
    )


_DECISION_FIELDS = [
    "status",
    "met_on",
    "evidence",
    "evidence_url",
    "not_applicable_reason",
    "automatic",
    "decided_by",
    "decided_at",
]


@transaction.atomic
def deadline_mark_met(
    *,
    actor: Any,
    deadline: PersonGoalDeadline,
    met_on: dt.date,
    evidence: str,
    expected_version: int,
    request: Any = None,
) -> PersonGoalDeadline:
    """The goal was reached on ``met_on``; ``evidence`` says how (e.g. "school place at …")."""
    _check(actor, deadline)
    errors: dict[str, str] = {}
    if met_on > timezone.localdate():
        # de: Das Datum liegt in der Zukunft.
        errors["met_on"] = _("The date lies in the future.")
    if not evidence.strip():
        # de: Bitte geben Sie einen Nachweis an (was wurde wann erreicht?).
        errors["evidence"] = _("Please give the evidence (what was reached, and how?).")
    if errors:
        raise ValidationError(errors)
    deadline.status = DeadlineStatus.MET
    deadline.met_on = met_on
    deadline.evidence = evidence.strip()
    deadline.evidence_url = ""
    deadline.not_applicable_reason = ""
    deadline.automatic = False
    deadline.decided_by = actor
    deadline.decided_at = timezone.now()
    save_versioned(deadline, expected_version=expected_version, fields=_DECISION_FIELDS)
    _audit(actor, deadline, "met", request)
    return deadline


@transaction.atomic
def deadline_mark_not_applicable(
    *,
    actor: Any,
    deadline: PersonGoalDeadline,
    reason: str,
    expected_version: int,
    request: Any = None,
) -> PersonGoalDeadline:
    """The goal does not apply to this person, for the ``reason`` the user gives."""
    _check(actor, deadline)
    if not reason.strip():
        # de: Bitte begründen Sie, warum das Ziel nicht zutrifft.
        raise ValidationError({"reason": _("Please give the reason why the goal does not apply.")})
    deadline.status = DeadlineStatus.NOT_APPLICABLE
    deadline.met_on = None
    deadline.evidence = ""
    deadline.evidence_url = ""
    deadline.not_applicable_reason = reason.strip()
    deadline.automatic = False
    deadline.decided_by = actor
    deadline.decided_at = timezone.now()
    save_versioned(deadline, expected_version=expected_version, fields=_DECISION_FIELDS)
    _audit(actor, deadline, "not_applicable", request)
    return deadline


@transaction.atomic
def deadline_reopen(
    *, actor: Any, deadline: PersonGoalDeadline, expected_version: int, request: Any = None
) -> PersonGoalDeadline:
    """Undo a user's decision; the engine decides again (open, missed or not applicable)."""
    _check(actor, deadline)
    deadline.status = DeadlineStatus.OPEN
    deadline.met_on = None
    deadline.evidence = ""
    deadline.evidence_url = ""
    deadline.not_applicable_reason = ""
    deadline.automatic = True
    deadline.decided_by = actor
    deadline.decided_at = timezone.now()
    save_versioned(deadline, expected_version=expected_version, fields=_DECISION_FIELDS)
    _audit(actor, deadline, "reopen", request)
    deadlines_refresh_for_person(deadline.person)
    deadline.refresh_from_db()
    return deadline


class Milestone:
    """The events of the case work that meet goals (a goal names one as ``milestone`` in its
    ``deadline`` rule in the configuration; docs/configuration.md)."""

    #: The Erstgespräch was completed: the arrival conversation across all fields (Leitziel III).
    ARRIVAL_CONVERSATION = "ankommensgespraech"
    #: A German test was recorded in the person's language assessment (Sprache III).
    LANGUAGE_TEST = "sprachstandstest"
    #: A German level of A2 or higher was recorded (Sprache I).
    LANGUAGE_A2 = "sprachniveau-a2"
    #: The person was referred to job or qualification counselling (Arbeit I).
    WORK_COUNSELLING = "beratungsangebot-arbeit"
    #: A school accepted the child (enrolment; Schule I).
    SCHOOL_ENROLMENT = "schulbesuch"
    #: A Kita offered the child a place (Kita III).
    CHILDCARE_OFFER = "betreuungsangebot"


@transaction.atomic
def milestone_reached(
    *,
    actor: Any,
    person: Person,
    milestone: str,
    on: dt.date,
    evidence: str,
    household: bool = True,
    evidence_url: str = "",
    field_of_action: FieldOfAction | None = None,
    request: Any = None,
) -> list[PersonGoalDeadline]:
    """Meet the deadlines whose goal names ``milestone``, for the person (and household).

    Only deadlines still open (also those over before the case began) change; decisions
    already taken stay. The evidence names what met them and ``evidence_url`` links to the
    record (the assessment or referral) in Lotse; each change is audited. With
    ``field_of_action`` (e.g. the field of the offer a person was referred to) only goals of
    that field, or of no field, are met: language counselling does not meet Arbeit I.
    """
    persons = _household_of(person) if household else [person]
    queryset = PersonGoalDeadline.objects.select_for_update().filter(
        traeger_id=person.traeger_id,
        person_id__in=[p.pk for p in persons],
        status__in=[DeadlineStatus.OPEN, DeadlineStatus.BEFORE_CASE],
        goal__deadline_rule__milestone=milestone,
    )
    if field_of_action is not None:
        queryset = queryset.filter(
            Q(goal__field_of_action__isnull=True) | Q(goal__field_of_action=field_of_action)
        )
    rows = list(queryset.select_related("goal"))
    now = timezone.now()
    for row in rows:
        row.status = DeadlineStatus.MET
        row.met_on = on
        row.evidence = evidence[:2000]
        row.evidence_url = evidence_url[:300]
        row.automatic = False
        row.decided_by = actor
        row.decided_at = now
        row.version += 1
        _audit(actor, row, f"met by {milestone}", request)
    if rows:
        PersonGoalDeadline.objects.bulk_update(
            rows,
            [
                "status",
                "met_on",
                "evidence",
                "evidence_url",
                "automatic",
                "decided_by",
                "decided_at",
                "version",
            ],
        )
    return rows
