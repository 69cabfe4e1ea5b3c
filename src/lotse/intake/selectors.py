"""Reading the Erstgespräch, assessments, the case profile and interpreter use.

Every object here hangs off a case; it is reached only through a case the user may act on
(``cases.selectors.case_queryset_for_user``), so anything outside the user's scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case, Phase, TimelineEntry
from lotse.cases.selectors import case_queryset_for_user
from lotse.core.access import Action, not_found
from lotse.directory.models import FieldOfAction, InterviewGuide, Organisation
from lotse.intake.guide import GuideSection, parse_sections
from lotse.intake.models import (
    DISCOURAGED_INTERPRETERS,
    Assessment,
    AssessmentRevision,
    CaseProfile,
    InitialInterview,
    InterpreterUse,
    Track,
)
from lotse.people.models import Person

# -- Erstgespräch -----------------------------------------------------------------------------


def current_guide(traeger_id: int) -> InterviewGuide | None:
    """The Träger's interview guide for new Erstgespräche (the first one configured)."""
    return (
        InterviewGuide.objects.filter(traeger_id=traeger_id).order_by("sort_order", "name").first()
    )


def interview_of(case: Case) -> InitialInterview | None:
    return (
        InitialInterview.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("completed_by", "timeline_entry")
        .first()
    )


def get_interview_for_user(
    user: Any, case_pk: Any, action: Action = Action.VIEW
) -> InitialInterview:
    """The Erstgespräch of a case the user may act on; anything else is a 404."""
    try:
        return (
            InitialInterview.objects.filter(
                traeger_id=getattr(user, "traeger_id", None) or 0,
                case__in=case_queryset_for_user(user, action),
            )
            .select_related("case", "completed_by")
            .get(case_id=case_pk)
        )
    except (InitialInterview.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def interview_sections(
    interview: InitialInterview | None, guide: InterviewGuide | None
) -> list[GuideSection]:
    """The questions an interview is read against: its own copy, else the current guide."""
    if interview is not None:
        return parse_sections(interview.guide_sections)
    return parse_sections(guide.sections) if guide is not None else []


# -- Assessment -------------------------------------------------------------------------------


def fields_of_action(traeger_id: int) -> list[FieldOfAction]:
    return list(FieldOfAction.objects.filter(traeger_id=traeger_id).order_by("sort_order", "name"))


def get_field_of_action(case: Case, pk: Any) -> FieldOfAction:
    try:
        return FieldOfAction.objects.get(traeger_id=case.traeger_id, pk=pk)
    except (FieldOfAction.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def _assessment_queryset(traeger_id: int) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(traeger_id=traeger_id)
        .select_related("field_of_action", "updated_by")
        .prefetch_related(
            Prefetch("authorities", queryset=Organisation.objects.order_by("sort_order", "name"))
        )
    )


def assessments_of(case: Case) -> list[Assessment]:
    return list(
        _assessment_queryset(case.traeger_id)
        .filter(case=case)
        .order_by("field_of_action__sort_order", "field_of_action__name")
    )


def assessment_for(
    case: Case, field_of_action: FieldOfAction, person: Person | None = None
) -> Assessment | None:
    """The assessment of the field for ``person`` (default the case's person)."""
    return (
        _assessment_queryset(case.traeger_id)
        .filter(
            case=case,
            person_id=person.pk if person is not None else case.person_id,
            field_of_action=field_of_action,
        )
        .first()
    )


def get_assessment_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> Assessment:
    """One assessment of a case the user may act on; anything else is a 404."""
    try:
        return (
            _assessment_queryset(getattr(user, "traeger_id", None) or 0)
            .filter(case__in=case_queryset_for_user(user, action))
            .select_related("case")
            .get(pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def disclosed_categories(pairs: Iterable[tuple[FieldOfAction, Any]]) -> list[str]:
    """The audit categories of a response showing these (field, assessment-or-None) pairs.

    "case" plus the data category of every field of action whose assessment is shown, so a
    health assessment (Art. 9 GDPR) is logged as "health".
    """
    categories = ["case"]
    for field, shown in pairs:
        category = getattr(field, "data_category", "")
        if shown and category and category not in categories:
            categories.append(category)
    return categories


def assessment_history(assessment: Assessment) -> list[AssessmentRevision]:
    return list(
        AssessmentRevision.objects.filter(traeger_id=assessment.traeger_id, assessment=assessment)
        .select_related("changed_by")
        .order_by("-version")
    )


def work_status_of(person: Person) -> str | None:
    """The person's current work status (``intake.models.WorkStatus`` value), or None.

    The most recently saved assessment of any of the person's cases that records a work
    status wins. For internal use by other apps (e.g. the deadline engine, Arbeit I: a
    counselling offer for job and training seekers within 6 weeks); the caller has already
    loaded ``person`` through the access policy.
    """
    value = (
        Assessment.objects.filter(traeger_id=person.traeger_id, person_id=person.pk)
        .exclude(work_status="")
        .order_by("-updated_at", "-id")
        .values_list("work_status", flat=True)
        .first()
    )
    return value or None


# -- Profile ----------------------------------------------------------------------------------


class ArrivalCategory:
    NEW = "new"
    ESTABLISHED = "established"
    LABELS = {
        NEW: _("Neuzuwanderer (in the region for up to a year)"),
        # de: Neuzuwanderer (bis zu einem Jahr in der Region)
        ESTABLISHED: _("Altfall (in the region for more than a year)"),
        # de: Altfall (seit mehr als einem Jahr in der Region)
    }


def one_year_after(day: dt.date) -> dt.date:
    """The same calendar day a year later; 29 February ends on 28 February (§ 188 (2) BGB)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def arrival_category(registered_on: dt.date | None, today: dt.date | None = None) -> str | None:
    """Neuzuwanderer or Altfall, derived (never stored) from the registration date.

    An Altfall has been in the region *more than* a year: on the first anniversary of the
    registration the person is still a Neuzuwanderer, from the day after an Altfall.
    Without a registration date there is no answer.
    """
    if registered_on is None:
        return None
    today = today or timezone.localdate()
    return (
        ArrivalCategory.ESTABLISHED
        if today > one_year_after(registered_on)
        else ArrivalCategory.NEW
    )


def profile_of(case: Case) -> CaseProfile | None:
    return (
        CaseProfile.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("decided_by")
        .first()
    )


@dataclass(frozen=True)
class TrackShare:
    """The team's open cases by track (aggregate only, no names)."""

    acceleration: int
    barriers: int
    undecided: int

    @property
    def decided(self) -> int:
        return self.acceleration + self.barriers

    @property
    def total(self) -> int:
        return self.decided + self.undecided

    def percent(self, count: int) -> int | None:
        return round(100 * count / self.decided) if self.decided else None

    @property
    def acceleration_percent(self) -> int | None:
        return self.percent(self.acceleration)

    @property
    def barriers_percent(self) -> int | None:
        return self.percent(self.barriers)


def team_track_share(user: Any) -> TrackShare:
    """The share of the tracks among the open cases of the user's case team (one query)."""
    counts = (
        case_queryset_for_user(user)
        .exclude(phase=Phase.CLOSED)
        .aggregate(
            acceleration=Count("pk", filter=Q(profile__track=Track.ACCELERATION)),
            barriers=Count("pk", filter=Q(profile__track=Track.BARRIERS)),
            total=Count("pk"),
        )
    )
    acceleration, barriers = counts["acceleration"], counts["barriers"]
    return TrackShare(
        acceleration=acceleration,
        barriers=barriers,
        undecided=counts["total"] - acceleration - barriers,
    )


# -- Interpreter use --------------------------------------------------------------------------

CONVERSATION_KINDS = (TimelineEntry.Kind.CONTACT, TimelineEntry.Kind.APPOINTMENT)


def interpreter_uses_of(case: Case) -> list[InterpreterUse]:
    return list(
        InterpreterUse.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("organisation", "timeline_entry", "interview")
        .order_by("-recorded_at", "-id")
    )


def discouraged_interpreter_uses(case: Case) -> list[InterpreterUse]:
    """Conversations in which a child, a relative or an untrained person interpreted."""
    return [use for use in interpreter_uses_of(case) if use.kind in DISCOURAGED_INTERPRETERS]


def conversations_of(case: Case, limit: int = 100) -> list[TimelineEntry]:
    """Contacts and appointments of the case (the conversations interpreting is recorded for).

    The appointment written for the Erstgespräch is left out: its interpreting is part of the
    interview itself.
    """
    interview_entries = InitialInterview.objects.filter(
        traeger_id=case.traeger_id, case=case, timeline_entry__isnull=False
    ).values("timeline_entry")
    return list(
        TimelineEntry.objects.filter(
            traeger_id=case.traeger_id, case=case, kind__in=CONVERSATION_KINDS
        )
        .exclude(pk__in=interview_entries)
        .order_by("-occurred_at", "-id")[:limit]
    )


def get_conversation(case: Case, pk: Any) -> TimelineEntry:
    try:
        return TimelineEntry.objects.get(
            traeger_id=case.traeger_id, case=case, pk=pk, kind__in=CONVERSATION_KINDS
        )
    except (TimelineEntry.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def organisations_of(traeger_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(traeger_id=traeger_id).order_by("sort_order", "name")
