"""What the deadline engine needs to know about persons, read in a fixed number of queries.

Assumptions while the assessment (employment, course entitlement) is built elsewhere:

* ``job_seeker``: from the person's latest assessment that records a work status (the Arbeit
  assessment): looking for work or training counts, "nicht verfügbar", employed or in training
  does not (``work_status_reason`` names why). Without a recorded work status, working-age
  adults (18–64 on the start date) count as seeking work or training.
* ``employed``: unknown, so goals limited to employed persons do not apply yet.
* ``integration_course_eligible``: adults whose current residence status is a residence title
  (§ 44 AufenthG ties the entitlement to one); ``course_entitlement`` is the day that status
  became valid, but not before the registration in the region.
* ``first_contact`` / ``case_start``: the earliest case of the person (offer of participation or
  opening). ``came_to_us``: the earliest first contact of the person or of their household (a
  parent's case covers the children); a deadline already over then was missed before us.

These are reads for a system computation (no user), always limited to the person's Träger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Min

from lotse.cases.models import Case
from lotse.core.memo import cached
from lotse.deadlines.engine import (
    INTEGRATION_COURSE_MIN_AGE,
    JOB_SEEKER_AGES,
    PersonFacts,
    age_on,
)
from lotse.directory.models import TargetGroup
from lotse.intake.models import Assessment
from lotse.people.models import Person, ResidenceStatusRecord


def _target_group_keys(traeger_id: int) -> dict[int, frozenset[str]]:
    """Each target group with the keys of itself and all its ancestors."""
    rows = {
        pk: (key, parent)
        for pk, key, parent in TargetGroup.objects.filter(traeger_id=traeger_id).values_list(
            "pk", "key", "parent_id"
        )
    }
    result: dict[int, frozenset[str]] = {}
    for pk in rows:
        keys, current, seen = set(), pk, set()
        while current is not None and current in rows and current not in seen:
            seen.add(current)
            key, parent = rows[current]
            keys.add(key)
            current = parent
        result[pk] = frozenset(keys)
    return result


#: Work statuses (``intake.models.WorkStatus``) of persons seeking work or training.
SEEKING_WORK = frozenset({"job_seeker", "training_seeker"})

#: The automatic reason (``PersonGoalDeadline.automatic_reason``) when the recorded work status
#: makes a goal for job seekers not applicable.
WORK_STATUS_REASONS = {
    "not_available": "work_not_available",
    "employed": "work_employed",
    "in_training": "work_employed",
}


def work_statuses(person_ids: Iterable[int], *, traeger_id: int) -> dict[int, str]:
    """``{person_id: work status}`` from each person's most recently saved assessment that
    records one (one query)."""
    result: dict[int, str] = {}
    for person_id, status in (
        Assessment.objects.filter(traeger_id=traeger_id, person_id__in=list(person_ids))
        .exclude(work_status="")
        .order_by("person_id", "-updated_at", "-id")
        .values_list("person_id", "work_status")
    ):
        result.setdefault(person_id, status)
    return result


def work_status_reason(status: str | None) -> str:
    """The automatic not-applicable reason a recorded work status gives, or ""."""
    return WORK_STATUS_REASONS.get(status or "", "")


def facts_for(
    persons: Iterable[Person],
    *,
    traeger_id: int,
    today: dt.date,
    work: dict[int, str] | None = None,
) -> dict[int, Any]:
    """``{person_id: PersonFacts}`` for persons of one Träger (six queries; five when the
    caller passes the ``work`` statuses of ``work_statuses``)."""
    persons = list(persons)
    ids = [p.pk for p in persons]
    if work is None:
        work = work_statuses(ids, traeger_id=traeger_id)
    groups = cached(("target_group_keys", traeger_id), lambda: _target_group_keys(traeger_id))
    current_status: dict[int, tuple[str, bool, dt.date]] = {}
    for person_id, key, is_title, valid_from in (
        ResidenceStatusRecord.objects.filter(traeger_id=traeger_id, person_id__in=ids)
        .order_by("person_id", "-valid_from", "-id")
        .values_list("person_id", "status__key", "status__is_residence_title", "valid_from")
    ):
        current_status.setdefault(person_id, (key, is_title, valid_from))
    cases = {
        row["person_id"]: row
        for row in Case.objects.filter(traeger_id=traeger_id, person_id__in=ids)
        .values("person_id")
        .annotate(opened=Min("opened_on"), offered=Min("participation_offered_on"))
    }
    households = {p.household_id for p in persons if p.household_id}
    household_contact: dict[int, dt.date] = {}
    if households:
        for row in (
            Case.objects.filter(traeger_id=traeger_id, person__household_id__in=sorted(households))
            .values("person__household_id")
            .annotate(opened=Min("opened_on"), offered=Min("participation_offered_on"))
        ):
            first = min((d for d in (row["opened"], row["offered"]) if d is not None), default=None)
            if first is not None:
                household_contact[row["person__household_id"]] = first
    result: dict[int, Any] = {}
    for person in persons:
        status = current_status.get(person.pk)
        case: dict[str, Any] = dict(cases.get(person.pk, {}))
        first_contact = min(
            (d for d in (case.get("opened"), case.get("offered")) if d is not None), default=None
        )
        start = person.registered_on or today
        age = age_on(person.date_of_birth, start) if person.date_of_birth else None
        job_seeker = None if age is None else JOB_SEEKER_AGES[0] <= age <= JOB_SEEKER_AGES[1]
        if person.pk in work:
            job_seeker = work[person.pk] in SEEKING_WORK
        eligible = bool(
            status is not None
            and status[1]
            and age is not None
            and age >= INTEGRATION_COURSE_MIN_AGE
        )
        entitlement = None
        if eligible and status is not None:
            entitlement = max(d for d in (status[2], person.registered_on) if d is not None)
        result[person.pk] = PersonFacts(
            date_of_birth=person.date_of_birth,
            events={
                "registration": person.registered_on,
                "first_contact": first_contact,
                "case_start": case.get("opened"),
                "came_to_us": min(
                    (
                        d
                        for d in (first_contact, household_contact.get(person.household_id or 0))
                        if d is not None
                    ),
                    default=None,
                ),
                "status_granted": status[2] if status else None,
                "course_entitlement": entitlement,
            },
            job_seeker=job_seeker,
            employed=None,
            integration_course_eligible=eligible,
            target_groups=groups.get(person.target_group_id, frozenset())
            if person.target_group_id
            else frozenset(),
            residence_status=status[0] if status else None,
        )
    return result
