"""HTML views of case conferences: parse, authorise, call one service, render.

Who sees what is decided in ``conferences.selectors``: the case team sees the case, the
Servicestelle the organisation of the conference (case number and anonymised summary), an
invited partner the participant page with case data only where the gate allowed it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lotse.audit.services import audit_log
from lotse.cases.selectors import get_case_for_user
from lotse.conferences import selectors, services
from lotse.conferences.forms import (
    AgreementForm,
    AgreementTaskForm,
    CancelForm,
    EvaluationForm,
    FollowUpForm,
    IndicationForm,
    MediationForm,
    NeedStatusForm,
    OptimisationNeedForm,
    ParticipantForm,
    RequestForm,
    RunForm,
    ScheduleForm,
)
from lotse.conferences.models import (
    OPEN_CONFERENCE_STATES,
    Conference,
    ConferenceState,
    OptimisationNeed,
    Participant,
)
from lotse.consent.models import category_labels
from lotse.core.access import (
    Action,
    can,
    can_organise_conferences,
    can_use_conferences,
    can_view_shared,
    traeger_id_of,
)
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import form_page, requires, requires_permission
from lotse.directory.models import Body

DETAIL = "conferences/conference_detail.html"


def _audit_view(request: AuthenticatedRequest, conference: Conference, detail: str = "") -> None:
    audit_log(
        user=request.user,
        action="view",
        object_type="conference",
        object_id=conference.pk,
        person_id=conference.case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def case_conferences(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The case's checks and conferences; the indication check (prefilled from the case)."""
    user = request.user
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    case = get_case_for_user(user, pk, action)
    criteria = selectors.indication_prefill(case)
    form = IndicationForm(
        request.POST if request.method == "POST" else None,
        traeger_id=case.traeger_id,
        initial={
            "municipalities": criteria.municipality_ids,
            "authorities": criteria.authority_ids,
            "topics": criteria.topic_ids,
        },
    )

    def context() -> dict[str, Any]:
        audit_log(
            user=user,
            action="view",
            object_type="case_conferences",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
            request=request,
        )
        return {
            "case": case,
            "checks": selectors.indication_checks_of(case),
            "conferences": selectors.conferences_of_case(case),
            "may_change": can(user, Action.CHANGE) and not case.is_closed,
        }

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        check, conference = services.indication_record(
            actor=user,
            case=case,
            municipalities=data["municipalities"],
            authorities=data["authorities"],
            topics=data["topics"],
            indicated=data["indicated"],
            reason=data["reason"],
            request=request,
        )
        if conference is not None:
            messages.success(
                request, _("The case conference is indicated. Now name the calling organisation.")
            )
            return redirect("conferences:detail", conference.pk)
        if check.indicated:
            messages.info(
                request,
                _(
                    "Only one municipality involved: this is an internal cooperation, not a case "
                    "conference under the cooperation agreement."
                ),
            )
        else:
            messages.success(request, _("The check has been saved."))
        return redirect("conferences:case", case.pk)

    return form_page(
        request, "conferences/case_conferences.html", context, form=form, on_valid=on_valid
    )


def _detail_context(
    request: AuthenticatedRequest, conference: Conference, **overrides: forms.Form
) -> dict[str, Any]:
    user = request.user
    case_team = selectors.sees_case_file(user, conference)
    organiser = can_organise_conferences(user)
    state = conference.state
    traeger_id = conference.traeger_id
    version = {"version": conference.version}
    context: dict[str, Any] = {
        "conference": conference,
        "case_team": case_team,
        "organiser": organiser,
        "steps": selectors.steps_of(conference),
        "participants": selectors.participants_of(conference),
        "shared_labels": category_labels(conference.shared_categories),
        "may_call": (
            selectors.may_call(selectors.settings_for(traeger_id), conference.initiator)
            if conference.initiator is not None
            else None
        ),
    }
    if case_team and state == ConferenceState.INDICATED:
        context["request_form"] = RequestForm(initial=version, traeger_id=traeger_id)
    if case_team and state == ConferenceState.REQUESTED:
        context["agreement_form"] = AgreementForm(initial=version, traeger_id=traeger_id)
    if organiser and state == ConferenceState.MEDIATION:
        context["mediation_form"] = MediationForm(initial=version)
    if organiser and state in (ConferenceState.AGREED, ConferenceState.SCHEDULED):
        initial = {
            **version,
            "starts_at": conference.starts_at and timezone.localtime(conference.starts_at),
            "duration_minutes": conference.duration_minutes,
            "location": conference.location,
            "video_link": conference.video_link,
            "moderator": conference.moderator_id,
            "override_reason": conference.date_override_reason,
        }
        context["schedule_form"] = ScheduleForm(initial=initial, conference=conference)
        context["participant_form"] = ParticipantForm(traeger_id=traeger_id)
    context["agreements"] = selectors.agreements_of(conference)
    if organiser:
        context["needs"] = selectors.optimisation_needs_of(conference)
    context["carried"] = selectors.open_agreements_carried(conference)
    if organiser and state in (ConferenceState.SCHEDULED, ConferenceState.HELD):
        context["task_form"] = AgreementTaskForm(conference=conference)
    if organiser and state in (ConferenceState.HELD, ConferenceState.FOLLOWED_UP):
        context["evaluations"] = conference.evaluations.count()
        if selectors.evaluation_pending(conference).exists():
            context["evaluation_form"] = EvaluationForm(conference=conference)
    if case_team and state == ConferenceState.HELD:
        context["follow_up_form"] = FollowUpForm(
            initial={
                **version,
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            }
        )
    if state in (ConferenceState.HELD, ConferenceState.FOLLOWED_UP) and (case_team or organiser):
        context["agenda"] = list(conference.agenda.order_by("position"))
    if (organiser or case_team) and state in OPEN_CONFERENCE_STATES:
        context["cancel_form"] = CancelForm(initial=version)
    context.update(overrides)
    return context


def _conference(request: AuthenticatedRequest, pk: int) -> Conference:
    return selectors.get_conference_for_user(request.user, pk)


@requires_permission(can_use_conferences)
def conference_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    user = request.user
    if not selectors.sees_case_file(user, conference) and not can_organise_conferences(user):
        return _participant_page(request, conference)
    _audit_view(request, conference)
    return render(request, DETAIL, _detail_context(request, conference))


def _participant_page(request: AuthenticatedRequest, conference: Conference) -> HttpResponse:
    participant = selectors.participation_for_user(request.user, conference)
    if participant is None:
        raise PermissionDenied
    _audit_view(
        request, conference, f"participant:{participant.pk} data:{participant.sees_case_data}"
    )
    return render(
        request,
        "conferences/participant.html",
        {
            "conference": conference,
            "participant": participant,
            "shared_labels": category_labels(conference.shared_categories),
        },
    )


@requires_permission(can_view_shared)
@require_POST
def participant_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    participant = selectors.participation_for_user(request.user, conference)
    if participant is None:
        raise PermissionDenied
    services.participant_confirm(actor=request.user, participant=participant, request=request)
    messages.success(request, _("Your participation is confirmed."))
    return redirect("conferences:detail", conference.pk)


def _step_view(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    form_name: str,
    form_kwargs: dict[str, Any] | None = None,
    call: Any,
    done: str,
) -> HttpResponseBase:
    conference = _conference(request, pk)
    kwargs = dict(form_kwargs or {})
    if "traeger_id" in form_class.__init__.__code__.co_varnames:
        kwargs["traeger_id"] = conference.traeger_id
    if "conference" in form_class.__init__.__code__.co_varnames:
        kwargs["conference"] = conference
    form = form_class(request.POST, **kwargs)

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        call(conference, data)
        messages.success(request, done)
        return redirect("conferences:detail", conference.pk)

    return form_page(
        request,
        DETAIL,
        lambda: _detail_context(request, conference, **{form_name: form}),
        form=form,
        on_valid=on_valid,
        form_name=form_name,
    )


@requires(Action.CHANGE)
@require_POST
def conference_request(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.conference_request(
            actor=request.user,
            conference=conference,
            expected_version=data["version"],
            initiator=data["initiator"],
            summary=data["summary"],
            shared_categories=data["shared_categories"],
            note=data["note"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=RequestForm,
        form_name="request_form",
        call=call,
        done=_("The call has been saved."),
    )


@requires(Action.CHANGE)
@require_POST
def conference_agree(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.conference_agree(
            actor=request.user,
            conference=conference,
            expected_version=data["version"],
            organisation=data["organisation"],
            agreed=data["agreed"],
            note=data["note"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=AgreementForm,
        form_name="agreement_form",
        call=call,
        done=_("The decision has been saved."),
    )


@requires_permission(can_organise_conferences)
@require_POST
def conference_mediate(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.conference_mediate(
            actor=request.user,
            conference=conference,
            expected_version=data["version"],
            held=data["held"],
            outcome=data["outcome"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=MediationForm,
        form_name="mediation_form",
        call=call,
        done=_("The outcome of the mediation has been saved."),
    )


@requires_permission(can_organise_conferences)
@require_POST
def conference_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.conference_schedule(
            actor=request.user,
            conference=conference,
            expected_version=data["version"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            location=data["location"],
            video_link=data["video_link"],
            moderator=data["moderator"],
            override_reason=data["override_reason"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=ScheduleForm,
        form_name="schedule_form",
        call=call,
        done=_("The date has been saved."),
    )


@requires_permission(can_organise_conferences)
@require_POST
def participant_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.participant_add(
            actor=request.user,
            conference=conference,
            organisation=data["organisation"],
            name=data["name"],
            email=data["email"],
            role_in_case=data["role_in_case"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=ParticipantForm,
        form_name="participant_form",
        call=call,
        done=_("The participant has been added."),
    )


@requires_permission(can_organise_conferences)
@require_POST
def participant_remove(request: AuthenticatedRequest, pk: int, participant_pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    participant = Participant.objects.filter(
        traeger_id=conference.traeger_id, conference=conference, pk=participant_pk
    ).first()
    if participant is None:
        from lotse.core.access import not_found

        raise not_found()
    services.participant_remove(actor=request.user, participant=participant, request=request)
    messages.success(request, _("The participant has been removed."))
    return redirect("conferences:detail", conference.pk)


@requires_permission(can_organise_conferences)
@require_POST
def conference_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    try:
        count = services.conference_invite(
            actor=request.user, conference=conference, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d invitation is being sent.",
                "%(count)d invitations are being sent.",
                count,
            )
            % {"count": count},
        )
    return redirect("conferences:detail", conference.pk)


def _may_cancel(user: Any) -> bool:
    return can(user, Action.CHANGE) or can_organise_conferences(user)


@requires_permission(_may_cancel)
@require_POST
def conference_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.conference_cancel(
            actor=request.user,
            conference=conference,
            expected_version=data["version"],
            reason=data["reason"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=CancelForm,
        form_name="cancel_form",
        call=call,
        done=_("The conference has been cancelled."),
    )


@requires_permission(can_organise_conferences)
@require_POST
def agreement_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.agreement_record(
            actor=request.user,
            conference=conference,
            title=data["title"],
            due_on=data["due_on"],
            owner_user=data["owner_user"],
            owner_organisation=data["owner_organisation"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=AgreementTaskForm,
        form_name="task_form",
        call=call,
        done=_("The agreement is on the responsible worklist as a task."),
    )


@requires_permission(can_organise_conferences)
@require_POST
def evaluation_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """Enter one collected Evaluationsbogen (stored without the person)."""
    from lotse.conferences.evaluation import QUESTION_KEYS

    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.evaluation_submit(
            actor=request.user,
            participant=data["participant"],
            answers={key: data.get(f"q_{key}") for key in QUESTION_KEYS},
            comment=data["comment"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=EvaluationForm,
        form_name="evaluation_form",
        call=call,
        done=_("The evaluation sheet has been recorded without the person's name."),
    )


@requires_permission(can_organise_conferences)
def evaluations(request: AuthenticatedRequest) -> HttpResponse:
    """The Evaluationsbögen of all conferences, averaged per conference and per quarter."""
    from lotse.conferences.evaluation import QUESTIONS

    per_conference, per_quarter = selectors.evaluation_summary(request.user)
    return render(
        request,
        "conferences/evaluations.html",
        {
            "questions": [label for _key, label in QUESTIONS],
            "per_conference": per_conference,
            "per_quarter": per_quarter,
        },
    )


@requires(Action.CHANGE)
@require_POST
def conference_follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    def call(conference: Conference, data: dict[str, Any]) -> None:
        services.conference_follow_up(
            actor=request.user,
            conference=conference,
            expected_version=data["version"],
            occurred_at=data["occurred_at"],
            channel=data["channel"],
            text=data["text"],
            request=request,
        )

    return _step_view(
        request,
        pk,
        form_class=FollowUpForm,
        form_name="follow_up_form",
        call=call,
        done=_("The follow-up conversation is recorded on the case."),
    )


@requires_permission(can_organise_conferences)
@require_http_methods(["GET", "POST"])
def conference_run(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The moderator's page during the conference: agenda with times, minutes, attendance."""
    conference = _conference(request, pk)
    form = RunForm(request.POST if request.method == "POST" else None, conference=conference)

    def context() -> dict[str, Any]:
        _audit_view(request, conference, "run")
        total = sum(int(form[f"planned_{item.pk}"].value() or 0) for item in form.items)
        return {
            "conference": conference,
            "total": total,
            "warning": services.agenda_warning(conference, total),
        }

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        services.conference_record(
            actor=request.user,
            conference=conference,
            minutes={i.pk: data[f"minutes_{i.pk}"] for i in form.items},
            planned={i.pk: data[f"planned_{i.pk}"] for i in form.items},
            attended={p.pk for p in form.people if data[f"attended_{p.pk}"]},
            confidentiality={p.pk for p in form.people if data[f"confidentiality_{p.pk}"]},
            request=request,
        )
        if request.POST.get("abschliessen"):
            services.conference_conclude(
                actor=request.user,
                conference=conference,
                expected_version=conference.version,
                request=request,
            )
            messages.success(request, _("The conference is recorded as held."))
            return redirect("conferences:detail", conference.pk)
        messages.success(request, _("The minutes have been saved."))
        return redirect("conferences:run", conference.pk)

    return form_page(request, "conferences/run.html", context, form=form, on_valid=on_valid)


@requires_permission(can_organise_conferences)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """The Servicestelle's list of conferences (no names: case numbers only)."""
    state = request.GET.get("stand", "")
    if state not in ConferenceState.values:
        state = ""
    rows = list(selectors.conference_queue_for_user(request.user, state=state)[:200])
    audit_log(
        user=request.user,
        action="list",
        object_type="conference",
        request=request,
        detail=f"conferences:{len(rows)}",
    )
    return render(
        request,
        "conferences/queue.html",
        {"rows": rows, "state": state, "states": ConferenceState.choices},
    )


@requires_permission(can_organise_conferences)
@require_http_methods(["GET", "POST"])
def optimisation_needs(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    traeger_id = traeger_id_of(user)
    settings = selectors.settings_for(traeger_id)
    categories = settings.barrier_categories if settings else []
    form = OptimisationNeedForm(
        request.POST if request.method == "POST" else None,
        traeger_id=traeger_id,
        categories=categories,
    )
    status = request.GET.get("status", "")
    if status not in OptimisationNeed.Status.values:
        status = ""
    bodies = list(Body.objects.filter(traeger_id=traeger_id).order_by("sort_order", "name"))
    body_param = request.GET.get("gremium", "")
    body_id = int(body_param) if body_param.isdigit() else None
    if body_id not in {b.pk for b in bodies}:
        body_id = None
    # Named from a conference (its page links here): the need is recorded for that conference.
    conference_pk = request.GET.get("fallkonferenz", "")
    conference = _conference(request, int(conference_pk)) if conference_pk.isdigit() else None

    def context() -> dict[str, Any]:
        return {
            "needs": list(
                selectors.optimisation_queue_for_user(user, status=status, body_id=body_id)[:200]
            ),
            "bodies": bodies,
            "body_id": body_id,
            "category_names": {c["key"]: c["name"] for c in categories},
            "status": status,
            "statuses": OptimisationNeed.Status.choices,
            "conference": conference,
        }

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        services.optimisation_need_add(
            actor=user,
            field_of_action=data["field_of_action"],
            category=data["category"],
            description=data["description"],
            organisations=data["organisations"],
            conference=conference,
            request=request,
        )
        messages.success(request, _("The optimisation need has been saved."))
        if conference is not None:
            return redirect("conferences:detail", conference.pk)
        return redirect("conferences:optimisation_needs")

    return form_page(
        request, "conferences/optimisation_needs.html", context, form=form, on_valid=on_valid
    )


@requires_permission(can_organise_conferences)
@require_http_methods(["GET", "POST"])
def optimisation_need_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """One optimisation need with its next step in the triage."""
    need = selectors.get_optimisation_need_for_user(request.user, pk)
    form = NeedStatusForm(request.POST if request.method == "POST" else None, need=need)
    settings = selectors.settings_for(need.traeger_id)
    names = {c["key"]: c["name"] for c in (settings.barrier_categories if settings else [])}

    def context() -> dict[str, Any]:
        return {
            "need": need,
            "category": names.get(need.category, need.category),
            "merged": list(need.merged.order_by("id")),
        }

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        services.optimisation_need_set_status(
            actor=request.user,
            need=need,
            status=data["status"],
            assigned_to=data["assigned_to"],
            merged_into=data["merged_into"],
            note=data["note"],
            body=data["body"],
            request=request,
        )
        messages.success(request, _("The status of the optimisation need has been changed."))
        return redirect("conferences:optimisation_need", need.pk)

    return form_page(
        request, "conferences/optimisation_need.html", context, form=form, on_valid=on_valid
    )
