"""Writing case conferences: one transaction per step, the audit entry inside it.

The steps follow seed 002, 4.2.1: the case manager checks the indication after the assessment;
an entitled body calls the conference (or another body requests it and an entitled one agrees;
on disagreement the Servicestelle mediates); the Servicestelle organises it 2–4 weeks ahead with
a neutral moderator; each participant organisation sees case data only where the gate
(``consent.gate``) finds a basis with the purpose "Fallkonferenz".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.conferences.models import (
    AgendaItem,
    BindingAgreement,
    Conference,
    ConferenceState,
    ConferenceStep,
    EvaluationSheet,
    IndicationCheck,
    OptimisationNeed,
    Participant,
    Scope,
)
from lotse.conferences.selectors import (
    involved_organisation_ids,
    may_call,
    settings_for,
)
from lotse.consent.gate import check_transfer, pass_transfer
from lotse.consent.models import Category, Flow
from lotse.core.access import Action, can, can_organise_conferences
from lotse.core.locking import save_versioned
from lotse.directory.models import FieldOfAction, Municipality, Organisation
from lotse.people.names import normalise_name

#: The purpose every conference transfer names (configured per Träger, ``consent.Purpose``).
CONFERENCE_PURPOSE = "fallkonferenz"

#: Which step leads from which states to which.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ConferenceStep.Kind.REQUESTED: ((ConferenceState.INDICATED,), ConferenceState.REQUESTED),
    ConferenceStep.Kind.AGREED: ((ConferenceState.REQUESTED,), ConferenceState.AGREED),
    ConferenceStep.Kind.DISAGREED: ((ConferenceState.REQUESTED,), ConferenceState.MEDIATION),
    ConferenceStep.Kind.SCHEDULED: ((ConferenceState.AGREED,), ConferenceState.SCHEDULED),
    ConferenceStep.Kind.RESCHEDULED: ((ConferenceState.SCHEDULED,), ConferenceState.SCHEDULED),
    ConferenceStep.Kind.HELD: ((ConferenceState.SCHEDULED,), ConferenceState.HELD),
    ConferenceStep.Kind.FOLLOWED_UP: ((ConferenceState.HELD,), ConferenceState.FOLLOWED_UP),
}


def _audit(actor: Any, conference: Conference, action: str, detail: str, request: Any) -> None:
    audit_log(
        user=actor,
        action=action,
        object_type="conference",
        object_id=conference.pk,
        person_id=conference.case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


def _step(
    *,
    actor: Any,
    conference: Conference,
    kind: str,
    to_state: str,
    organisation: Organisation | None = None,
    note: str = "",
) -> ConferenceStep:
    step = ConferenceStep.objects.create(
        traeger_id=conference.traeger_id,
        conference=conference,
        kind=kind,
        from_state=conference.state,
        to_state=to_state,
        organisation=organisation,
        note=note.strip(),
        by=actor,
    )
    conference.state = to_state
    return step


def _advance(
    *,
    actor: Any,
    conference: Conference,
    kind: str,
    expected_version: int,
    organisation: Organisation | None = None,
    note: str = "",
    fields: Iterable[str] = (),
    to_state: str | None = None,
) -> None:
    allowed_from, target = TRANSITIONS.get(kind, ((), ""))
    if conference.state not in allowed_from and to_state is None:
        raise ValidationError(
            _("This step is not possible in the state “%(state)s”.")
            % {"state": conference.get_state_display()}
        )
    _step(
        actor=actor,
        conference=conference,
        kind=kind,
        to_state=to_state or target,
        organisation=organisation,
        note=note,
    )
    save_versioned(conference, expected_version=expected_version, fields=["state", *fields])


def _own_organisation(organisation: Organisation | None, traeger_id: int, field: str) -> None:
    if organisation is not None and organisation.traeger_id != traeger_id:
        raise ValidationError({field: _("This entry does not belong to your Träger.")})


def _require_case_team(actor: Any, case: Case) -> None:
    from lotse.cases.selectors import case_queryset_for_user

    if not case_queryset_for_user(actor, Action.CHANGE).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.phase == Phase.CLOSED:
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _require_servicestelle(actor: Any, conference: Conference) -> None:
    if not can_organise_conferences(actor) or actor.traeger_id != conference.traeger_id:
        raise PermissionDenied


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The person's names that occur in ``text`` (case- and accent-insensitive, whole words)."""
    words = set(normalise_name(text, "").split())
    found = []
    for name in names:
        parts = [p for p in normalise_name(name, "").split() if len(p) > 1]
        if parts and all(p in words for p in parts):
            found.append(name)
    return found


def person_names(case: Case) -> list[str]:
    person = case.person
    names = [person.first_name, person.last_name]
    return [n for n in names if n and n.strip()]


# -- indication and calling ---------------------------------------------------------------------


@transaction.atomic
def indication_record(
    *,
    actor: Any,
    case: Case,
    municipalities: Iterable[Municipality],
    authorities: Iterable[Organisation],
    topics: Iterable[FieldOfAction],
    indicated: bool,
    reason: str,
    request: Any = None,
) -> tuple[IndicationCheck, Conference | None]:
    """Record the indication check; an indicated check across municipalities opens a conference.

    Never the "fire brigade": only after the assessment (the case has left the Klärung phase).
    Cooperation inside one municipality is internal (seed 002, 4.2.1): recorded as such, without
    a conference.
    """
    _require_case_team(actor, case)
    municipalities = list(municipalities)
    authorities = list(authorities)
    topics = list(topics)
    for item in [*municipalities, *authorities, *topics]:
        if item.traeger_id != case.traeger_id:
            raise ValidationError(_("This entry does not belong to your Träger."))
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Please give the reason for the decision.")
    if indicated and case.phase == Phase.INTAKE:
        errors["indicated"] = _(
            "A case conference requires a thorough assessment first: only after the first "
            "interview and the assessment (not in the phase Klärung)."
        )
    if errors:
        raise ValidationError(errors)
    scope = Scope.CROSS_MUNICIPAL if len(municipalities) > 1 else Scope.INTERNAL
    check = IndicationCheck.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        scope=scope,
        indicated=indicated,
        reason=reason.strip(),
        checked_by=actor,
    )
    check.municipalities.set(municipalities)
    check.authorities.set(authorities)
    check.topics.set(topics)
    conference = None
    if indicated and scope == Scope.CROSS_MUNICIPAL:
        conference = Conference.objects.create(
            traeger_id=case.traeger_id,
            case=case,
            indication=check,
            state=ConferenceState.INDICATED,
            shared_categories=[Category.IDENTITY],
            ical_uid=f"{uuid.uuid4()}@lotse",
            created_by=actor,
        )
        ConferenceStep.objects.create(
            traeger_id=case.traeger_id,
            conference=conference,
            kind=ConferenceStep.Kind.INDICATED,
            to_state=ConferenceState.INDICATED,
            by=actor,
        )
    audit_log(
        user=actor,
        action="create",
        object_type="indication_check",
        object_id=check.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=f"indicated:{indicated} scope:{scope}",
    )
    return check, conference


@transaction.atomic
def conference_request(
    *,
    actor: Any,
    conference: Conference,
    expected_version: int,
    initiator: Organisation,
    summary: str,
    shared_categories: Iterable[str],
    note: str = "",
    request: Any = None,
) -> Conference:
    """The initiating body calls (entitled) or requests (others) the conference.

    An entitled body (configuration ``conferences``) calls it at once; any other body
    (course providers, the Servicestelle, volunteers) needs the agreement of an entitled one.
    The anonymised summary is what participants without a basis receive: no names.
    """
    _require_case_team(actor, conference.case)
    _own_organisation(initiator, conference.traeger_id, "initiator")
    errors: dict[str, str] = {}
    categories = [c for c in Category.values if c in set(shared_categories)]
    if not categories or not set(shared_categories) <= set(Category.values):
        errors["shared_categories"] = _("Choose which data categories the conference discusses.")
    if not summary.strip():
        errors["summary"] = _("Please write an anonymised case summary.")
    else:
        found = names_in(summary, person_names(conference.case))
        if found:
            errors["summary"] = _(
                "The summary contains the person's name (%(names)s). It goes to participants "
                "without consent: please anonymise it."
            ) % {"names": ", ".join(found)}
    settings = settings_for(conference.traeger_id)
    if settings is None:
        errors["initiator"] = _("Your Träger has not configured who may call a case conference.")
    if errors:
        raise ValidationError(errors)
    conference.initiator = initiator
    conference.summary = summary.strip()
    conference.shared_categories = categories
    fields = ["initiator", "summary", "shared_categories"]
    if may_call(settings, initiator):
        _step(
            actor=actor,
            conference=conference,
            kind=ConferenceStep.Kind.REQUESTED,
            to_state=ConferenceState.REQUESTED,
            organisation=initiator,
            note=note,
        )
        conference.agreed_by = initiator
        fields.append("agreed_by")
        _advance(
            actor=actor,
            conference=conference,
            kind=ConferenceStep.Kind.AGREED,
            expected_version=expected_version,
            organisation=initiator,
            fields=fields,
        )
    else:
        _advance(
            actor=actor,
            conference=conference,
            kind=ConferenceStep.Kind.REQUESTED,
            expected_version=expected_version,
            organisation=initiator,
            note=note,
            fields=fields,
        )
    _audit(actor, conference, "update", f"requested:{initiator.pk}", request)
    return conference


@transaction.atomic
def conference_agree(
    *,
    actor: Any,
    conference: Conference,
    expected_version: int,
    organisation: Organisation,
    agreed: bool,
    note: str = "",
    request: Any = None,
) -> Conference:
    """An entitled body's answer to a request; a disagreement goes to the Servicestelle."""
    _require_case_team(actor, conference.case)
    _own_organisation(organisation, conference.traeger_id, "organisation")
    if not may_call(settings_for(conference.traeger_id), organisation):
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s may not call a case conference and so cannot agree."
                )
                % {"organisation": organisation}
            }
        )
    if not agreed and not note.strip():
        raise ValidationError({"note": _("Please give the reason why the body does not agree.")})
    fields: list[str] = []
    if agreed:
        conference.agreed_by = organisation
        fields.append("agreed_by")
    _advance(
        actor=actor,
        conference=conference,
        kind=ConferenceStep.Kind.AGREED if agreed else ConferenceStep.Kind.DISAGREED,
        expected_version=expected_version,
        organisation=organisation,
        note=note,
        fields=fields,
    )
    _audit(actor, conference, "update", f"agreed:{agreed} by:{organisation.pk}", request)
    return conference


@transaction.atomic
def conference_mediate(
    *,
    actor: Any,
    conference: Conference,
    expected_version: int,
    held: bool,
    outcome: str,
    request: Any = None,
) -> Conference:
    """The Servicestelle mediates a disagreement; its outcome is recorded with the step."""
    _require_servicestelle(actor, conference)
    if conference.state != ConferenceState.MEDIATION:
        raise ValidationError(
            _("This step is not possible in the state “%(state)s”.")
            % {"state": conference.get_state_display()}
        )
    if not outcome.strip():
        raise ValidationError({"outcome": _("Please record the outcome of the mediation.")})
    _advance(
        actor=actor,
        conference=conference,
        kind=ConferenceStep.Kind.MEDIATED,
        expected_version=expected_version,
        organisation=actor.organisation,
        note=outcome,
        to_state=ConferenceState.AGREED if held else ConferenceState.CANCELLED,
    )
    _audit(actor, conference, "update", f"mediated:{held}", request)
    return conference


# -- preparation --------------------------------------------------------------------------------


def lead_time_warning(conference: Conference, starts_at: dt.datetime) -> str | None:
    """The seed's 2 to 4 weeks ahead (configured); outside that a warning, or None."""
    settings = settings_for(conference.traeger_id)
    low, high = (settings.lead_days_min, settings.lead_days_max) if settings else (14, 28)
    days = (timezone.localtime(starts_at).date() - timezone.localdate()).days
    if low <= days <= high:
        return None
    return _(
        "The date is %(days)s days ahead; %(low)s to %(high)s days (2 to 4 weeks) are intended "
        "so that everyone involved can take part. Give a reason if it is to stay."
    ) % {"days": days, "low": low, "high": high}


@transaction.atomic
def conference_schedule(
    *,
    actor: Any,
    conference: Conference,
    expected_version: int,
    starts_at: dt.datetime,
    duration_minutes: int,
    location: str,
    video_link: str,
    moderator: User,
    override_reason: str = "",
    request: Any = None,
) -> Conference:
    """Date, room or video link and the neutral moderator; a change counts up SEQUENCE."""
    _require_servicestelle(actor, conference)
    errors: dict[str, str] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = _("The date lies in the past.")
    else:
        warning = lead_time_warning(conference, starts_at)
        if warning and not override_reason.strip():
            errors["override_reason"] = warning
    settings = settings_for(conference.traeger_id)
    max_minutes = settings.max_minutes if settings else 90
    if not 15 <= duration_minutes <= max_minutes:
        errors["duration_minutes"] = _("A case conference lasts at most %(max)s minutes.") % {
            "max": max_minutes
        }
    if not location.strip() and not video_link.strip():
        errors["location"] = _("Please give a room or a video link.")
    if moderator.traeger_id != conference.traeger_id or not can_organise_conferences(moderator):
        errors["moderator"] = _("The moderation is done by a person of the Servicestelle.")
    elif moderator.organisation_id in involved_organisation_ids(conference):
        errors["moderator"] = _(
            "The moderation must be neutral: %(name)s belongs to %(organisation)s, an "
            "organisation involved in the case."
        ) % {"name": moderator.display_name(), "organisation": moderator.organisation}
    if errors:
        raise ValidationError(errors)
    rescheduled = conference.state == ConferenceState.SCHEDULED
    conference.starts_at = starts_at
    conference.duration_minutes = duration_minutes
    conference.location = location.strip()
    conference.video_link = video_link.strip()
    conference.moderator = moderator
    conference.organiser = actor
    conference.date_override_reason = override_reason.strip()
    fields = [
        "starts_at",
        "duration_minutes",
        "location",
        "video_link",
        "moderator",
        "organiser",
        "date_override_reason",
    ]
    if rescheduled:
        conference.ical_sequence += 1
        fields.append("ical_sequence")
    _advance(
        actor=actor,
        conference=conference,
        kind=ConferenceStep.Kind.RESCHEDULED if rescheduled else ConferenceStep.Kind.SCHEDULED,
        expected_version=expected_version,
        note=override_reason,
        fields=fields,
    )
    _agenda_from_template(conference)
    _audit(actor, conference, "update", "rescheduled" if rescheduled else "scheduled", request)
    return conference


def _agenda_from_template(conference: Conference) -> None:
    """The configured agenda (seed 002, 4.2.1) with each item's shortest time planned."""
    if AgendaItem.objects.filter(conference=conference).exists():
        return
    settings = settings_for(conference.traeger_id)
    for position, item in enumerate(settings.agenda if settings else []):
        AgendaItem.objects.create(
            traeger_id=conference.traeger_id,
            conference=conference,
            position=position,
            key=item["key"],
            title=item["title"],
            min_minutes=item["min_minutes"],
            max_minutes=item["max_minutes"],
            planned_minutes=item["min_minutes"],
        )


def agenda_warning(conference: Conference, planned_total: int) -> str | None:
    """Above the configured maximum (seed: 90 minutes) a warning; the moderator decides."""
    settings = settings_for(conference.traeger_id)
    limit = settings.max_minutes if settings else 90
    if planned_total <= limit:
        return None
    return _(
        "The agenda plans %(total)s minutes; a case conference should last at most %(max)s."
    ) % {
        "total": planned_total,
        "max": limit,
    }


def _require_moderation(actor: Any, conference: Conference) -> None:
    """The moderator runs the conference; the Servicestelle stands in."""
    _require_servicestelle(actor, conference)
    if conference.state != ConferenceState.SCHEDULED:
        raise ValidationError(
            _("This step is not possible in the state “%(state)s”.")
            % {"state": conference.get_state_display()}
        )


@transaction.atomic
def conference_record(
    *,
    actor: Any,
    conference: Conference,
    minutes: dict[int, str],
    planned: dict[int, int],
    attended: set[int],
    confidentiality: set[int],
    request: Any = None,
) -> None:
    """Save the run: minutes per agenda item (encrypted), planned times, attendance."""
    _require_moderation(actor, conference)
    errors: dict[str, str] = {}
    for item in AgendaItem.objects.filter(conference=conference):
        if item.pk in planned and not 1 <= planned[item.pk] <= 240:
            errors[f"planned_{item.pk}"] = _("Enter between 1 and 240 minutes.")
            continue
        item.minutes = minutes.get(item.pk, item.minutes).strip()
        item.planned_minutes = planned.get(item.pk, item.planned_minutes)
        item.save(update_fields=["minutes", "planned_minutes"])
    for participant in Participant.objects.filter(conference=conference):
        is_there = participant.pk in attended
        confirmed = participant.pk in confidentiality
        if confirmed and not is_there:
            errors[f"confidentiality_{participant.pk}"] = _(
                "Only a participant who attends confirms the duty of confidentiality."
            )
            continue
        participant.attended = is_there
        participant.confidentiality_confirmed = confirmed
        participant.save(update_fields=["attended", "confidentiality_confirmed"])
    if errors:
        raise ValidationError(errors)
    _audit(actor, conference, "update", "minutes", request)


@transaction.atomic
def conference_conclude(
    *, actor: Any, conference: Conference, expected_version: int, request: Any = None
) -> Conference:
    """The conference was held: everyone present confirmed the duty of confidentiality."""
    _require_moderation(actor, conference)
    present = Participant.objects.filter(conference=conference, attended=True)
    if not present.exists():
        raise ValidationError(_("Record who attended first."))
    unconfirmed = [p.name for p in present if not p.confidentiality_confirmed]
    if unconfirmed:
        raise ValidationError(
            _("The duty of confidentiality is not confirmed for: %(names)s.")
            % {"names": ", ".join(unconfirmed)}
        )
    _advance(
        actor=actor,
        conference=conference,
        kind=ConferenceStep.Kind.HELD,
        expected_version=expected_version,
    )
    _audit(actor, conference, "update", "held", request)
    return conference


@transaction.atomic
def agreement_record(
    *,
    actor: Any,
    conference: Conference,
    title: str,
    due_on: dt.date,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    request: Any = None,
) -> BindingAgreement:
    """A binding agreement becomes a task of the named organisation or person.

    A task for an organisation outside the case team passes the gate (flow ``task``, purpose
    "Fallkonferenz", the conference's categories): without a consent the agreement is refused
    with the reason and can go to the case team instead.
    """
    from lotse.assignments.services import task_create_for_agreement

    _require_servicestelle(actor, conference)
    if conference.state not in (ConferenceState.SCHEDULED, ConferenceState.HELD):
        raise ValidationError(
            _("This step is not possible in the state “%(state)s”.")
            % {"state": conference.get_state_display()}
        )
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The date lies in the past.")})
    from lotse.consent.gate import purpose_for

    task = task_create_for_agreement(
        actor=actor,
        case=conference.case,
        title=title,
        due_on=due_on,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        shared_categories=list(conference.shared_categories),
        purpose=purpose_for(conference.traeger_id, CONFERENCE_PURPOSE),
        request=request,
    )
    agreement = BindingAgreement.objects.create(
        traeger_id=conference.traeger_id, conference=conference, task=task
    )
    _audit(actor, conference, "update", f"agreement:{agreement.pk} task:{task.pk}", request)
    return agreement


@transaction.atomic
def conference_follow_up(
    *,
    actor: Any,
    conference: Conference,
    expected_version: int,
    occurred_at: dt.datetime,
    channel: str,
    text: str,
    request: Any = None,
) -> Conference:
    """The results explained to the client (who usually does not attend), on the case."""
    from lotse.cases.models import TimelineEntry
    from lotse.cases.services import timeline_entry_add

    _require_case_team(actor, conference.case)
    if not text.strip():
        raise ValidationError({"text": _("Please note what was discussed with the client.")})
    _advance(
        actor=actor,
        conference=conference,
        kind=ConferenceStep.Kind.FOLLOWED_UP,
        expected_version=expected_version,
    )
    timeline_entry_add(
        actor=actor,
        case=conference.case,
        kind=TimelineEntry.Kind.CONTACT,
        title=_("Follow-up conversation on the case conference of %(date)s")
        % {
            "date": timezone.localtime(conference.starts_at).strftime("%d.%m.%Y")
            if conference.starts_at
            else ""
        },
        occurred_at=occurred_at,
        text=text,
        channel=channel,
        request=request,
    )
    _audit(actor, conference, "update", "followed_up", request)
    return conference


def gate_decision_for(actor: Any, conference: Conference, organisation: Organisation) -> Any:
    """The one gate's answer for this participant organisation (read only)."""
    return check_transfer(
        actor=actor,
        person=conference.case.person,
        recipient=organisation,
        categories=conference.shared_categories,
        purpose=CONFERENCE_PURPOSE,
    )


def _is_case_team_organisation(conference: Conference, organisation: Organisation) -> bool:
    return organisation.pk in (
        conference.case.organisation_id,
        conference.case.person.organisation_id,
    )


@transaction.atomic
def participant_add(
    *,
    actor: Any,
    conference: Conference,
    organisation: Organisation,
    name: str,
    email: str,
    role_in_case: str,
    user: User | None = None,
    request: Any = None,
) -> Participant:
    """Invite an organisation's person; the gate decides whether it sees case data.

    Without a basis (a consent naming the organisation, the categories and the purpose
    "Fallkonferenz", signed) the participant is invited with the anonymised summary only, and
    the reasons are kept for the coordinator to see.
    """
    _require_servicestelle(actor, conference)
    _own_organisation(organisation, conference.traeger_id, "organisation")
    if conference.state not in (ConferenceState.AGREED, ConferenceState.SCHEDULED):
        raise ValidationError(_("Participants are invited once the conference is agreed."))
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Please enter the name.")
    if not role_in_case.strip():
        errors["role_in_case"] = _("Please enter the role in the case.")
    if user is not None and (
        user.traeger_id != conference.traeger_id or user.organisation_id != organisation.pk
    ):
        errors["user"] = _("This user account does not belong to the organisation.")
    if conference.moderator_id and conference.moderator.organisation_id == organisation.pk:  # type: ignore[union-attr]
        errors["organisation"] = _(
            "The moderator comes from this organisation and would no longer be neutral."
        )
    if Participant.objects.filter(conference=conference, email__iexact=email.strip()).exists():
        errors["email"] = _("This person has already been invited.")
    if errors:
        raise ValidationError(errors)
    if _is_case_team_organisation(conference, organisation):
        sees, reasons = True, []
    else:
        decision = gate_decision_for(actor, conference, organisation)
        sees, reasons = decision.allowed, list(decision.reasons)
    participant = Participant.objects.create(
        traeger_id=conference.traeger_id,
        conference=conference,
        organisation=organisation,
        user=user,
        name=name.strip(),
        email=email.strip(),
        role_in_case=role_in_case.strip(),
        sees_case_data=sees,
        gate_reasons=reasons,
    )
    _audit(actor, conference, "update", f"participant:{participant.pk} sees:{sees}", request)
    return participant


@transaction.atomic
def participant_remove(*, actor: Any, participant: Participant, request: Any = None) -> None:
    conference = participant.conference
    _require_servicestelle(actor, conference)
    if participant.transfer_id:
        raise ValidationError(_("This person has been invited already."))
    _audit(actor, conference, "update", f"participant_removed:{participant.pk}", request)
    participant.delete()


def share_with_participant(*, actor: Any, participant: Participant, request: Any = None) -> None:
    """Journal the transfer of the case data to a participant with a basis (at invitation).

    The gate is asked again at this moment: a consent withdrawn since the participant was added
    turns the invitation into one without case data, with the reason.
    """
    conference = participant.conference
    if not participant.sees_case_data or participant.transfer_id:
        return
    if _is_case_team_organisation(conference, participant.organisation):
        return
    decision = gate_decision_for(actor, conference, participant.organisation)
    if not decision.allowed:
        participant.sees_case_data = False
        participant.gate_reasons = list(decision.reasons)
        participant.save(update_fields=["sees_case_data", "gate_reasons"])
        return
    participant.transfer = pass_transfer(
        actor=actor,
        person=conference.case.person,
        recipient=participant.organisation,
        categories=conference.shared_categories,
        purpose=CONFERENCE_PURPOSE,
        flow=Flow.CONFERENCE,
        subject=conference,
        description=_("Case conference %(reference)s") % {"reference": conference.case.reference},
        request=request,
    )
    participant.save(update_fields=["transfer"])


@transaction.atomic
def participant_confirm(*, actor: Any, participant: Participant, request: Any = None) -> None:
    """The invited partner confirms taking part (from the link in the invitation)."""
    if actor.organisation_id != participant.organisation_id or (
        participant.user_id and participant.user_id != actor.pk
    ):
        raise PermissionDenied
    if participant.conference.state != ConferenceState.SCHEDULED:
        raise ValidationError(_("The conference is no longer scheduled."))
    participant.confirmed_at = timezone.now()
    participant.save(update_fields=["confirmed_at"])
    audit_log(
        user=actor,
        action="update",
        object_type="conference_participant",
        object_id=participant.pk,
        request=request,
        detail="confirmed",
    )


@transaction.atomic
def conference_invite(*, actor: Any, conference: Conference, request: Any = None) -> int:
    """Send the invitations (and updates after a change) to every participant, on commit.

    Each participant with a basis gets the case data now: the gate is asked again and the
    transfer journaled in this transaction (``share_with_participant``). Returns the number of
    mails queued.
    """
    _require_servicestelle(actor, conference)
    if conference.state != ConferenceState.SCHEDULED:
        raise ValidationError(_("Invitations go out only once there is a date."))
    participants = list(
        Participant.objects.filter(conference=conference).select_related("organisation")
    )
    if not participants:
        raise ValidationError(_("There are no participants yet."))
    now = timezone.now()
    for participant in participants:
        share_with_participant(actor=actor, participant=participant, request=request)
        if participant.invited_at is None:
            participant.invited_at = now
            participant.save(update_fields=["invited_at"])
    _audit(actor, conference, "update", f"invited:{len(participants)}", request)
    _send_on_commit(conference, [p.pk for p in participants], "REQUEST")
    return len(participants)


def _send_on_commit(conference: Conference, participant_ids: list[int], method: str) -> None:
    from lotse.conferences.tasks import send_invitations

    conference_id = conference.pk
    transaction.on_commit(lambda: send_invitations.enqueue(conference_id, participant_ids, method))


@transaction.atomic
def conference_cancel(
    *, actor: Any, conference: Conference, expected_version: int, reason: str, request: Any = None
) -> Conference:
    """Cancel an open conference; invited participants get a CANCEL with the next SEQUENCE."""
    from lotse.conferences.models import OPEN_CONFERENCE_STATES
    from lotse.conferences.selectors import sees_case_file

    if not (
        (can_organise_conferences(actor) and actor.traeger_id == conference.traeger_id)
        or sees_case_file(actor, conference)
    ):
        raise PermissionDenied
    if conference.state not in OPEN_CONFERENCE_STATES:
        raise ValidationError(
            _("This step is not possible in the state “%(state)s”.")
            % {"state": conference.get_state_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for the cancellation.")})
    invited = list(
        Participant.objects.filter(conference=conference, invited_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    conference.ical_sequence += 1
    _advance(
        actor=actor,
        conference=conference,
        kind=ConferenceStep.Kind.CANCELLED,
        expected_version=expected_version,
        note=reason,
        fields=["ical_sequence"],
        to_state=ConferenceState.CANCELLED,
    )
    _audit(actor, conference, "update", "cancelled", request)
    if invited and conference.starts_at is not None:
        _send_on_commit(conference, invited, "CANCEL")
    return conference


# -- optimisation needs -------------------------------------------------------------------------


@transaction.atomic
def optimisation_need_add(
    *,
    actor: Any,
    field_of_action: FieldOfAction,
    category: str,
    description: str,
    organisations: Iterable[Organisation],
    conference: Conference | None = None,
    request: Any = None,
) -> OptimisationNeed:
    """Record an Optimierungsbedarf: structural, never about the person (no personal data)."""
    if not (can_organise_conferences(actor) or can(actor, Action.CHANGE)):
        raise PermissionDenied
    traeger_id = actor.traeger_id
    organisations = list(organisations)
    if field_of_action.traeger_id != traeger_id or any(
        o.traeger_id != traeger_id for o in organisations
    ):
        raise ValidationError(_("This entry does not belong to your Träger."))
    if conference is not None and conference.traeger_id != traeger_id:
        raise PermissionDenied
    settings = settings_for(traeger_id)
    errors: dict[str, str] = {}
    keys = {c["key"] for c in (settings.barrier_categories if settings else [])}
    if category not in keys:
        errors["category"] = _("Please choose a barrier category.")
    if not description.strip():
        errors["description"] = _("Please describe the need.")
    elif conference is not None:
        found = names_in(description, person_names(conference.case))
        if found:
            errors["description"] = _(
                "The description contains the person's name (%(names)s). Optimisation needs "
                "describe structures, not people: please leave out personal data."
            ) % {"names": ", ".join(found)}
    if errors:
        raise ValidationError(errors)
    need = OptimisationNeed.objects.create(
        traeger_id=traeger_id,
        field_of_action=field_of_action,
        category=category,
        description=description.strip(),
        conference=conference,
        created_by=actor,
    )
    need.organisations.set(organisations)
    audit_log(
        user=actor,
        action="create",
        object_type="optimisation_need",
        object_id=need.pk,
        request=request,
    )
    return need


# -- evaluation sheets --------------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *,
    actor: Any,
    participant: Participant,
    answers: Mapping[str, int | None],
    comment: str = "",
    request: Any = None,
) -> EvaluationSheet:
    """Record a participant's anonymous Evaluationsbogen, once per participant.

    The Servicestelle enters the sheets collected at the end of the conference. The sheet is
    stored without the participant, the user or the time of day; the participant only gets the
    flag that the sheet was handed in (so a second one is refused), and the audit entry names
    the conference, not the participant.
    """
    from lotse.conferences.evaluation import QUESTION_KEYS

    conference = participant.conference
    _require_servicestelle(actor, conference)
    if conference.state not in (ConferenceState.HELD, ConferenceState.FOLLOWED_UP):
        raise ValidationError(_("Evaluation sheets are collected once the conference was held."))
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if not locked.attended:
        raise ValidationError({"participant": _("This person did not attend the conference.")})
    if locked.evaluation_submitted:
        raise ValidationError(
            {"participant": _("The evaluation sheet of this person has already been recorded.")}
        )
    given = {k: v for k, v in answers.items() if v is not None}
    if set(given) - set(QUESTION_KEYS) or any(
        not isinstance(v, int) or not 1 <= v <= 5 for v in given.values()
    ):
        raise ValidationError(_("Each answer is a value from 1 to 5."))
    if not given and not comment.strip():
        raise ValidationError(_("The sheet is empty: answer at least one question."))
    sheet = EvaluationSheet.objects.create(
        traeger_id=conference.traeger_id,
        conference=conference,
        answers=given,
        comment=comment.strip(),
        submitted_on=timezone.localdate(),
    )
    locked.evaluation_submitted = True
    locked.save(update_fields=["evaluation_submitted"])
    _audit(actor, conference, "update", "evaluation_sheet", request)
    return sheet


#: The triage of the optimisation needs: from the queue to a body, or merged into a need that
#: names the same barrier (the queue the bodies' issue turns into Beschlussvorlagen).
NEED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OptimisationNeed.Status.OPEN: (
        OptimisationNeed.Status.TRIAGED,
        OptimisationNeed.Status.MERGED,
        OptimisationNeed.Status.REJECTED,
    ),
    OptimisationNeed.Status.TRIAGED: (
        OptimisationNeed.Status.ASSIGNED,
        OptimisationNeed.Status.MERGED,
        OptimisationNeed.Status.REJECTED,
    ),
    OptimisationNeed.Status.ASSIGNED: (OptimisationNeed.Status.DONE,),
    OptimisationNeed.Status.MERGED: (),
    OptimisationNeed.Status.DONE: (),
    OptimisationNeed.Status.REJECTED: (OptimisationNeed.Status.OPEN,),
}


@transaction.atomic
def optimisation_need_set_status(
    *,
    actor: Any,
    need: OptimisationNeed,
    status: str,
    assigned_to: Organisation | None = None,
    merged_into: OptimisationNeed | None = None,
    note: str = "",
    body: Any = None,
    request: Any = None,
) -> OptimisationNeed:
    """Move a need on in the triage (open → triaged → assigned/merged → …), audited.

    Assigning names the body that works the need into a Beschlussvorlage (normally the working
    circle of its field of action) and/or the organisation that takes it on.
    """
    if not can_organise_conferences(actor) or actor.traeger_id != need.traeger_id:
        raise PermissionDenied
    need = OptimisationNeed.objects.select_for_update().get(pk=need.pk)
    Status = OptimisationNeed.Status
    if status not in NEED_TRANSITIONS.get(need.status, ()):
        raise ValidationError(
            {
                "status": _("From “%(from)s” the need cannot go to “%(to)s”.")
                % {
                    "from": need.get_status_display(),
                    "to": dict(Status.choices).get(status, status),
                }
            }
        )
    errors: dict[str, str] = {}
    if status == Status.ASSIGNED:
        if assigned_to is None and body is None:
            errors["assigned_to"] = _("Please choose who takes the need on.")
            errors["body"] = _("Please choose who takes the need on.")
        if assigned_to is not None:
            _own_organisation(assigned_to, need.traeger_id, "assigned_to")
        if body is not None and body.traeger_id != need.traeger_id:
            errors["body"] = _("Choose a body of your Träger.")
    if status == Status.MERGED:
        if merged_into is None:
            errors["merged_into"] = _("Please choose the need it is merged into.")
        elif (
            merged_into.pk == need.pk
            or merged_into.traeger_id != need.traeger_id
            or merged_into.status == Status.MERGED
        ):
            errors["merged_into"] = _("Choose another open need of your Träger.")
    if status in (Status.REJECTED, Status.MERGED) and not note.strip():
        errors["note"] = _("Please give the reason.")
    if errors:
        raise ValidationError(errors)
    previous = need.status
    need.status = status
    need.assigned_to = assigned_to if status == Status.ASSIGNED else need.assigned_to
    need.body = body if status == Status.ASSIGNED else need.body
    need.merged_into = merged_into if status == Status.MERGED else None
    need.status_note = note.strip()
    need.save(
        update_fields=["status", "assigned_to", "body", "merged_into", "status_note", "updated_at"]
    )
    audit_log(
        user=actor,
        action="update",
        object_type="optimisation_need",
        object_id=need.pk,
        request=request,
        detail=f"status:{previous}->{status}"
        + (
            f" assigned_to:{need.assigned_to_id}"
            if need.assigned_to_id and status == Status.ASSIGNED
            else ""
        )
        + (f" body:{need.body_id}" if need.body_id and status == Status.ASSIGNED else "")
        + (f" merged_into:{need.merged_into_id}" if status == Status.MERGED else ""),
    )
    return need
