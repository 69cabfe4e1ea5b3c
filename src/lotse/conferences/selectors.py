"""Reading case conferences, always scoped by the user.

Who sees a conference:
- the case team of its case (``core.access.restrict`` on the case): everything;
- the Servicestelle (coordination role) of the Träger: the conferences it organises, with the
  case number and the anonymised summary, never the case file;
- a partner user whose organisation is invited: the participant page, with case data only where
  the gate found a basis for that organisation (``Participant.sees_case_data``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lotse.accounts.models import Role, User
from lotse.assignments.models import OPEN_TASK_STATES, Task
from lotse.cases.models import Case, FieldProcess
from lotse.cases.selectors import case_queryset_for_user
from lotse.conferences.models import (
    BindingAgreement,
    Conference,
    ConferenceSettings,
    ConferenceStep,
    IndicationCheck,
    OptimisationNeed,
    Participant,
)
from lotse.consent.gate import in_force
from lotse.core.access import (
    Action,
    can,
    can_organise_conferences,
    can_view_shared,
    not_found,
)
from lotse.directory.models import Organisation

#: Organisation kinds counted as "authorities" in the indication check (seed 002, 4.2.1).
AUTHORITY_KINDS = (
    Organisation.Kind.AUTHORITY,
    Organisation.Kind.IMMIGRATION_OFFICE,
    Organisation.Kind.NATURALISATION_OFFICE,
    Organisation.Kind.MUNICIPALITY,
)


def settings_for(traeger_id: int) -> ConferenceSettings | None:
    return ConferenceSettings.objects.filter(traeger_id=traeger_id).first()


def may_call(settings: ConferenceSettings | None, organisation: Organisation) -> bool:
    """The configured rule: the responsible municipality, the BA, the Jobcenter, the Kreis …"""
    if settings is None:
        return False
    return (
        organisation.kind in settings.initiating_kinds
        or organisation.key in settings.initiating_organisations
    )


def entitled_organisations(traeger_id: int) -> QuerySet[Organisation]:
    settings = settings_for(traeger_id)
    if settings is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(traeger_id=traeger_id).filter(
        Q(kind__in=settings.initiating_kinds) | Q(key__in=settings.initiating_organisations)
    )


@dataclass(frozen=True)
class IndicationCriteria:
    """What the case already tells about the seed's criteria (ids, for the form's initial)."""

    municipality_ids: list[int]
    authority_ids: list[int]
    topic_ids: list[int]


def indication_prefill(case: Case) -> IndicationCriteria:
    """Municipalities, authorities and topics of the case, as far as Lotse knows them.

    Municipalities: where the household lives, the responsible organisation and the organisations
    the case works with (consents in force, open tasks). Authorities: those organisations of a
    public kind. Topics: the case's fields of action.
    """
    person = case.person
    household = [person.municipality_id]
    if person.household_id:
        household += list(
            type(person)
            .objects.filter(traeger_id=case.traeger_id, household_id=person.household_id)
            .values_list("municipality_id", flat=True)
        )
    consent_orgs = in_force(traeger_id=case.traeger_id).filter(person_id=person.pk)
    partner_ids = set(consent_orgs.values_list("recipients", flat=True))
    partner_ids |= set(
        Task.objects.filter(
            traeger_id=case.traeger_id, case=case, status__in=OPEN_TASK_STATES
        ).values_list("owner_organisation_id", flat=True)
    )
    partner_ids.discard(None)
    organisations = list(
        Organisation.objects.filter(
            traeger_id=case.traeger_id, pk__in=[*partner_ids, case.organisation_id]
        )
    )
    municipalities = {m for m in household if m} | {
        o.municipality_id for o in organisations if o.municipality_id
    }
    topics = FieldProcess.objects.filter(traeger_id=case.traeger_id, case=case).values_list(
        "field_of_action_id", flat=True
    )
    return IndicationCriteria(
        municipality_ids=sorted(municipalities),
        authority_ids=sorted(
            o.pk for o in organisations if o.kind in AUTHORITY_KINDS and o.pk in partner_ids
        ),
        topic_ids=sorted(set(topics)),
    )


def conference_queryset_for_user(user: Any) -> QuerySet[Conference]:
    scope = Q(pk__in=[])
    if can(user, Action.VIEW):
        scope |= Q(case__in=case_queryset_for_user(user).values("pk"))
    if can_organise_conferences(user):
        scope |= Q(traeger_id=user.traeger_id)
    if can_view_shared(user):
        scope |= Q(
            traeger_id=user.traeger_id,
            pk__in=Participant.objects.filter(
                traeger_id=user.traeger_id, organisation_id=user.organisation_id
            ).values("conference_id"),
        )
    return Conference.objects.filter(scope)


def sees_case_file(user: Any, conference: Conference) -> bool:
    """Is the user in the case team of the conference's case (the full case view)?"""
    return case_queryset_for_user(user).filter(pk=conference.case_id).exists()


def get_conference_for_user(user: Any, pk: Any) -> Conference:
    try:
        return (
            conference_queryset_for_user(user)
            .select_related(
                "case",
                "case__person",
                "case__organisation",
                "initiator",
                "agreed_by",
                "moderator",
                "indication",
            )
            .get(pk=pk)
        )
    except (Conference.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def conferences_of_case(case: Case) -> list[Conference]:
    return list(
        Conference.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("initiator", "agreed_by")
        .order_by("-created_at", "-id")
    )


def indication_checks_of(case: Case) -> list[IndicationCheck]:
    return list(
        IndicationCheck.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("checked_by")
        .prefetch_related("municipalities", "authorities", "topics")
        .order_by("-checked_at", "-id")
    )


def conference_queue_for_user(user: Any, *, state: str = "") -> QuerySet[Conference]:
    """The Servicestelle's list: every conference of the Träger, the next dates first."""
    if not can_organise_conferences(user):
        return Conference.objects.none()
    rows = Conference.objects.filter(traeger_id=user.traeger_id)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("case", "initiator").order_by("state", "starts_at", "id")


def steps_of(conference: Conference) -> list[ConferenceStep]:
    return list(
        ConferenceStep.objects.filter(traeger_id=conference.traeger_id, conference=conference)
        .select_related("organisation", "by")
        .order_by("at", "id")
    )


def participants_of(conference: Conference) -> list[Participant]:
    return list(
        Participant.objects.filter(traeger_id=conference.traeger_id, conference=conference)
        .select_related("organisation", "user")
        .order_by("id")
    )


def involved_organisation_ids(conference: Conference) -> set[int]:
    """The organisations involved in the case: the moderator must come from none of them."""
    ids = {conference.case.organisation_id}
    ids |= {pk for pk in (conference.initiator_id, conference.agreed_by_id) if pk}
    ids |= set(conference.indication.authorities.values_list("pk", flat=True))
    ids |= set(
        Participant.objects.filter(
            traeger_id=conference.traeger_id, conference=conference
        ).values_list("organisation_id", flat=True)
    )
    return ids


def moderator_choices(conference: Conference) -> QuerySet[User]:
    """Active staff of the Servicestelle not from an organisation involved in the case."""
    return (
        User.objects.filter(
            traeger_id=conference.traeger_id,
            is_active=True,
            role_assignments__role=Role.COORDINATION,
        )
        .exclude(organisation_id__in=involved_organisation_ids(conference))
        .distinct()
        .order_by("last_name", "first_name")
    )


def participation_for_user(user: Any, conference: Conference) -> Participant | None:
    """The invitation of the user's organisation (partner page)."""
    if not can_view_shared(user):
        return None
    return (
        Participant.objects.filter(
            traeger_id=conference.traeger_id,
            conference=conference,
            organisation_id=user.organisation_id,
        )
        .filter(Q(user__isnull=True) | Q(user=user))
        .order_by("-user_id", "id")
        .first()
    )


def agreements_of(conference: Conference) -> list[BindingAgreement]:
    return list(
        BindingAgreement.objects.filter(traeger_id=conference.traeger_id, conference=conference)
        .select_related("task", "task__owner_user", "task__owner_organisation")
        .order_by("id")
    )


def open_agreements_carried(conference: Conference) -> list[BindingAgreement]:
    """Open agreements of earlier conferences of the same case, carried onto this one."""
    return list(
        BindingAgreement.objects.filter(
            traeger_id=conference.traeger_id,
            conference__case_id=conference.case_id,
            conference__created_at__lt=conference.created_at,
            task__status__in=OPEN_TASK_STATES,
        )
        .select_related("task", "task__owner_user", "task__owner_organisation", "conference")
        .order_by("task__due_on", "id")
    )


def optimisation_queue_for_user(
    user: Any, *, status: str = "", body_id: int | None = None
) -> QuerySet[OptimisationNeed]:
    if not can_organise_conferences(user):
        return OptimisationNeed.objects.none()
    rows = OptimisationNeed.objects.filter(traeger_id=user.traeger_id)
    if status:
        rows = rows.filter(status=status)
    if body_id is not None:
        rows = rows.filter(body_id=body_id)
    return rows.select_related("field_of_action", "conference__case", "body").prefetch_related(
        "organisations", "papers"
    )


def optimisation_needs_of(conference: Conference) -> QuerySet[OptimisationNeed]:
    """The needs named in this conference (shown to the Servicestelle on its page)."""
    return (
        OptimisationNeed.objects.filter(traeger_id=conference.traeger_id, conference=conference)
        .select_related("field_of_action")
        .order_by("created_at", "id")
    )


# -- evaluation sheets --------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRow:
    """Averages of the sheets of one conference or one quarter (None: nobody answered)."""

    label: str
    conference_id: int | None
    sheets: int
    means: list[float | None]


def _means(answer_lists: list[dict[str, int]]) -> list[float | None]:
    from lotse.conferences.evaluation import QUESTION_KEYS

    means: list[float | None] = []
    for key in QUESTION_KEYS:
        values = [a[key] for a in answer_lists if isinstance(a.get(key), int)]
        means.append(round(sum(values) / len(values), 1) if values else None)
    return means


def evaluation_summary(user: Any) -> tuple[list[EvaluationRow], list[EvaluationRow]]:
    """The sheets of the user's Träger, aggregated per conference and per quarter.

    Only averages and counts leave this function, never a single sheet's answers next to
    anything that identifies a participant.
    """
    if not can_organise_conferences(user):
        return [], []
    from lotse.conferences.models import EvaluationSheet

    sheets = list(
        EvaluationSheet.objects.filter(traeger_id=user.traeger_id)
        .select_related("conference__case")
        .only(
            "answers",
            "submitted_on",
            "conference_id",
            "conference__starts_at",
            "conference__case__reference",
        )
        .order_by("submitted_on", "conference_id", "id")
    )
    by_conference: dict[int, list[Any]] = {}
    by_quarter: dict[str, list[dict[str, int]]] = {}
    for sheet in sheets:
        by_conference.setdefault(sheet.conference_id, []).append(sheet)
        day = sheet.submitted_on
        quarter = f"{day.year} Q{(day.month - 1) // 3 + 1}"
        by_quarter.setdefault(quarter, []).append(sheet.answers)
    per_conference = []
    for conference_id, rows in by_conference.items():
        conference = rows[0].conference
        when = conference.starts_at and timezone.localtime(conference.starts_at)
        label = f"{conference.case.reference}" + (f", {when:%d.%m.%Y}" if when else "")
        per_conference.append(
            EvaluationRow(label, conference_id, len(rows), _means([r.answers for r in rows]))
        )
    per_quarter = [
        EvaluationRow(quarter, None, len(rows), _means(rows))
        for quarter, rows in by_quarter.items()
    ]
    return per_conference, per_quarter


def evaluation_pending(conference: Conference) -> QuerySet[Participant]:
    """Who attended and has not handed in a sheet yet."""
    return Participant.objects.filter(
        traeger_id=conference.traeger_id,
        conference=conference,
        attended=True,
        evaluation_submitted=False,
    ).order_by("id")


def get_optimisation_need_for_user(user: Any, pk: int) -> OptimisationNeed:
    """One need of the user's Träger (the Servicestelle's queue), else 404."""
    need = (
        optimisation_queue_for_user(user)
        .select_related("assigned_to", "merged_into", "conference__case")
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise not_found()
    return need
