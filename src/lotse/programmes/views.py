"""HTML views: parse → authorise → call one service or selector → render (422 on errors)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts.reauth import requires_recent_auth, when_posted
from lotse.audit.services import audit_log
from lotse.cases.models import Case
from lotse.cases.selectors import get_case_for_user
from lotse.core.access import Action, can, sees_coach_names, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.viewutils import add_service_errors, render_invalid, requires
from lotse.directory.models import ProgrammeModule
from lotse.people.selectors import get_person_for_user, person_current_status
from lotse.programmes import forms, legal, permissions, selectors, services
from lotse.programmes.eligibility import criterion_label
from lotse.programmes.models import AbhReferral, BudgetEntry
from lotse.programmes.modules import TraegerModules, modules_for_user


def requires_role(
    check: Callable[[Any], bool],
) -> Callable[[Callable[..., Any]], Callable[..., HttpResponseBase]]:
    """Login plus a role check of ``programmes.permissions`` (pages without a case file)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def requires_module(
    configured: Callable[[TraegerModules], bool],
) -> Callable[[Callable[..., Any]], Callable[..., HttpResponseBase]]:
    """404 for the users of a Träger whose configuration lacks the module: it does not exist
    there. Innermost, after the sign-in and role checks, so a role that may never use the
    module keeps its 403 whatever the Träger configures."""

    def decorator(view: Callable[..., Any]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not configured(modules_for_user(request.user)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


participation_module = requires_module(lambda modules: modules.participation)
abh_referral_module = requires_module(lambda modules: modules.abh_referral)


def _criteria_rows(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**c, "label": criterion_label(c["key"])} for c in criteria]


def _case_audit(
    request: AuthenticatedRequest, case: Case, object_type: str, detail: str = ""
) -> None:
    audit_log(
        user=request.user,
        action="view",
        object_type=object_type,
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


# --- Eligibility and opening a Teilhabe case -----------------------------------------------


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
@participation_module
def eligibility(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    user = request.user
    if request.method == "POST" and not can(user, Action.CREATE):
        raise PermissionDenied
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    person = get_person_for_user(user, person_pk, action)
    programmes = selectors.participation_programmes(traeger_id_of(user))
    data = request.POST if request.method == "POST" else (request.GET if request.GET else None)
    if data is None:
        first = programmes.first()
        form: forms.EligibilityForm = forms.OpenCaseForm(
            programmes=programmes,
            initial={"programme": first.pk if first else None, "intake_date": timezone.localdate()},
        )
    else:
        form = forms.OpenCaseForm(data, programmes=programmes)
    result = None
    if data is not None and form.is_valid():
        result = services.eligibility_check(
            actor=user,
            person=person,
            programme=form.cleaned_data["programme"],
            intake_date=form.cleaned_data["intake_date"],
            request=request,
        )
        if request.method == "POST":
            fields = dict(form.cleaned_data)
            try:
                participation = services.participation_open_case(
                    actor=user, person=person, request=request, **fields
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Teilhabe-Fall %(ref)s eröffnet.
                messages.success(
                    request,
                    _("Participation case %(ref)s opened.") % {"ref": participation.case.reference},
                )
                return redirect("programmes:participation", pk=participation.case_id)
    context = {
        "person": person,
        "form": form,
        "result": result,
        "criteria": _criteria_rows(result.criteria_data()) if result else [],
        "status": person_current_status(person),
        "has_programmes": programmes.exists(),
    }
    if request.method == "POST" or (data is not None and not form.is_valid()):
        return render_invalid(request, "programmes/eligibility.html", context)
    return render(request, "programmes/eligibility.html", context)


# --- Participation page --------------------------------------------------------------------


def _participation_context(case: Case, **extra: Any) -> dict[str, Any]:
    participation = selectors.participation_of(case)
    context: dict[str, Any] = {"case": case, "participation": participation, **extra}
    if participation is None:
        context.setdefault(
            "start_form",
            forms.StartParticipationForm(initial={"intake_date": case.opened_on}),
        )
        context["is_participation_programme"] = (
            case.programme.kind == case.programme.Kind.PARTICIPATION_MANAGEMENT
        )
        return context
    today = timezone.localdate()
    assignments = selectors.assignments_of(participation)
    ratio_loads = []
    if case.case_manager_id:
        for module in {a.module for a in assignments if a.module.participants_per_coach}:
            load = selectors.coach_load(module, case.case_manager_id, today)
            ratio_loads.append(
                {"module": module, "load": load, "ratio": module.participants_per_coach}
            )
    context.update(
        criteria=_criteria_rows(participation.eligibility_check.criteria),
        assignments=assignments,
        entries=selectors.budget_entries_of(participation),
        budgets=selectors.budget_statuses(
            case.traeger_id, programme=participation.programme, year=today.year
        ),
        ratio_loads=ratio_loads,
        year=today.year,
    )
    return context


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
@participation_module
def participation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        case = get_case_for_user(user, pk, Action.CHANGE)
        form = forms.StartParticipationForm(request.POST)
        if form.is_valid():
            try:
                services.participation_start(
                    actor=user,
                    case=case,
                    intake_date=form.cleaned_data["intake_date"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Teilnahme erfasst.
                messages.success(request, _("Participation recorded."))
                return redirect("programmes:participation", pk=case.pk)
        return render_invalid(
            request, "programmes/participation.html", _participation_context(case, start_form=form)
        )
    case = get_case_for_user(user, pk)
    _case_audit(request, case, "participation")
    return render(request, "programmes/participation.html", _participation_context(case))


def _ratio_message(request: HttpRequest, outcome: services.AssignmentOutcome) -> None:
    if outcome.over_ratio:
        # de: Achtung: %(coach)s betreut in %(module)s jetzt %(load)s Teilnehmende (Schlüssel 1:%(ratio)s).
        messages.warning(
            request,
            _(
                "Note: %(coach)s now coaches %(load)s participants in %(module)s (ratio 1:%(ratio)s)."
            )
            % {
                "coach": outcome.assignment.coach.display_name()
                if outcome.assignment.coach
                else "—",
                "load": outcome.coach_load,
                "module": outcome.assignment.module,
                "ratio": outcome.ratio,
            },
        )


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
@participation_module
def assignment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case, part = selectors.get_participation_for_user(user, pk, Action.CHANGE)
    modules = selectors.modules_of(part.programme)
    form = forms.AssignmentForm(
        request.POST or None, modules=modules, initial={"starts_on": timezone.localdate()}
    )
    context = {"case": case, "form": form, "title": _("Assign to a module")}
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.assignment_add(
                    actor=user, case=case, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _ratio_message(request, outcome)
                messages.success(request, _("Saved."))
                return redirect("programmes:participation", pk=case.pk)
        return render_invalid(request, "programmes/simple_form.html", context)
    return render(request, "programmes/simple_form.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
@participation_module
def assignment_edit(request: AuthenticatedRequest, pk: int, assignment_pk: int) -> HttpResponse:
    user = request.user
    case, part = selectors.get_participation_for_user(user, pk, Action.CHANGE)
    assignment = selectors.get_assignment(part, assignment_pk)
    assignment.participation = part
    initial = {
        "starts_on": assignment.starts_on,
        "ends_on": assignment.ends_on,
        "note": assignment.note,
    }
    form = forms.AssignmentForm(
        request.POST or None,
        modules=ProgrammeModule.objects.none(),
        fixed_module=True,
        initial=initial,
    )
    context = {"case": case, "form": form, "title": str(assignment.module)}
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.assignment_update(
                    actor=user,
                    case=case,
                    assignment=assignment,
                    request=request,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _ratio_message(request, outcome)
                messages.success(request, _("Saved."))
                return redirect("programmes:participation", pk=case.pk)
        return render_invalid(request, "programmes/simple_form.html", context)
    return render(request, "programmes/simple_form.html", context)


@requires(Action.CHANGE)
@requires_recent_auth(when=when_posted("override_reason"))
@require_http_methods(["GET", "POST"])
@participation_module
def budget_entry_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case, part = selectors.get_participation_for_user(user, pk, Action.CHANGE)
    modules = selectors.modules_of(part.programme)
    form = forms.BudgetEntryForm(
        request.POST or None,
        modules=modules,
        commitments=selectors.open_commitments_of(part),
        initial={"booked_on": timezone.localdate(), "kind": BudgetEntry.Kind.COMMITMENT},
    )
    year = timezone.localdate().year
    context = {
        "case": case,
        "form": form,
        "budgets": selectors.budget_statuses(case.traeger_id, programme=part.programme, year=year),
        "year": year,
        "may_override": permissions.can_override(user),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.budget_entry_add(
                    actor=user, case=case, request=request, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                status = outcome.status
                if status.warning:
                    # de: Budget %(budget)s: %(percent)s %% gebunden oder ausgezahlt, noch %(free)s frei.
                    messages.warning(
                        request,
                        _("Budget %(budget)s: %(percent)s %% committed or spent, %(free)s left.")
                        % {
                            "budget": status.budget,
                            "percent": status.percent,
                            "free": services.euros(status.available_cents),
                        },
                    )
                messages.success(request, _("Saved."))
                return redirect("programmes:participation", pk=case.pk)
        return render_invalid(request, "programmes/budget_entry_form.html", context)
    return render(request, "programmes/budget_entry_form.html", context)


# --- Referral to the Ausländerbehörde -------------------------------------------------------


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
@abh_referral_module
def referrals(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        case = get_case_for_user(user, pk, Action.CHANGE)
        form = forms.ReferralForm(request.POST)
        if form.is_valid():
            try:
                referral = services.referral_create(
                    actor=user, case=case, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("programmes:referral_detail", pk=case.pk, referral_pk=referral.pk)
        context = {"case": case, "referrals": selectors.referrals_of(case), "form": form}
        return render_invalid(request, "programmes/referrals.html", context)
    case = get_case_for_user(user, pk)
    _case_audit(request, case, "abh_referral", "list")
    context = {
        "case": case,
        "referrals": selectors.referrals_of(case),
        "form": forms.ReferralForm(),
    }
    return render(request, "programmes/referrals.html", context)


def _referral_context(referral: AbhReferral, **extra: Any) -> dict[str, Any]:
    items = list(referral.items.all())
    rows = []
    for item in items:
        definition = legal.item_label(referral.purpose, item.key)
        rows.append(
            {
                "item": item,
                "label": definition.label if definition else item.key,
                "source": definition.source if definition else "",
            }
        )
    context: dict[str, Any] = {
        "case": referral.case,
        "referral": referral,
        "rows": rows,
        "categories": dict(legal.CATEGORIES),
        **extra,
    }
    if (
        referral.state == AbhReferral.State.DRAFT
        and "precheck_form" not in context
        and not referral.case.is_closed
    ):
        context["precheck_form"] = forms.PrecheckForm(
            referral=referral,
            items=items,
            initial={"version": referral.version, "note": referral.note},
        )
    return context


def _conflict(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any, conflict: EditConflict
) -> HttpResponse:
    form.add_error(None, str(conflict))
    return render(request, template, context, status=409)


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
@abh_referral_module
def referral_detail(request: AuthenticatedRequest, pk: int, referral_pk: int) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        referral = selectors.get_referral_for_user(user, pk, referral_pk, Action.CHANGE)
        form = forms.PrecheckForm(request.POST, referral=referral, items=list(referral.items.all()))
        context = _referral_context(referral, precheck_form=form)
        if form.is_valid():
            try:
                services.referral_precheck_update(
                    actor=user,
                    referral=referral,
                    expected_version=form.cleaned_data["version"],
                    items=form.items(),
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except EditConflict as conflict:
                return _conflict(
                    request, "programmes/referral_detail.html", context, form, conflict
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("programmes:referral_detail", pk=pk, referral_pk=referral.pk)
        return render_invalid(request, "programmes/referral_detail.html", context)
    referral = selectors.get_referral_for_user(user, pk, referral_pk)
    audit_log(
        user=user,
        action="view",
        object_type="abh_referral",
        object_id=referral.pk,
        person_id=referral.case.person_id,
        categories=["case", "residence_status"],
        request=request,
    )
    return render(request, "programmes/referral_detail.html", _referral_context(referral))


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
@abh_referral_module
def referral_forward(request: AuthenticatedRequest, pk: int, referral_pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.get_referral_for_user(user, pk, referral_pk, Action.CHANGE)
    authorities = selectors.authorities(referral.traeger_id)
    consents = selectors.forwarding_consents(referral.case)
    form = forms.ForwardForm(
        request.POST or None,
        authorities=authorities,
        consents=consents,
        initial={"version": referral.version, "forwarded_on": timezone.localdate()},
    )
    context = {
        "case": referral.case,
        "referral": referral,
        "form": form,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_forward(
                    actor=user,
                    referral=referral,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                    **form.service_fields(),
                )
            except EditConflict as conflict:
                return _conflict(
                    request, "programmes/referral_forward.html", context, form, conflict
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: An %(authority)s weitergeleitet.
                messages.success(
                    request, _("Forwarded to %(authority)s.") % {"authority": referral.authority}
                )
                return redirect("programmes:referral_detail", pk=pk, referral_pk=referral.pk)
        return render_invalid(request, "programmes/referral_forward.html", context)
    return render(request, "programmes/referral_forward.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
@abh_referral_module
def referral_answer(request: AuthenticatedRequest, pk: int, referral_pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.get_referral_for_user(user, pk, referral_pk, Action.CHANGE)
    initial = {
        "version": referral.version,
        "answered_on": referral.answered_on or timezone.localdate(),
        "missing_documents": "\n".join(referral.missing_documents),
        "next_steps": referral.next_steps,
        "decision": referral.decision,
        "decision_on": referral.decision_on,
    }
    form = forms.AnswerForm(request.POST or None, initial=initial)
    context = {
        "case": referral.case,
        "referral": referral,
        "form": form,
        "title": _("Answer of the immigration authority"),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_answer(
                    actor=user,
                    referral=referral,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                    **form.service_fields(),
                )
            except EditConflict as conflict:
                return _conflict(request, "programmes/simple_form.html", context, form, conflict)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("programmes:referral_detail", pk=pk, referral_pk=referral.pk)
        return render_invalid(request, "programmes/simple_form.html", context)
    return render(request, "programmes/simple_form.html", context)


@requires(Action.CHANGE)
@require_POST
@abh_referral_module
def referral_close(request: AuthenticatedRequest, pk: int, referral_pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.get_referral_for_user(user, pk, referral_pk, Action.CHANGE)
    form = forms.VersionForm(request.POST)
    if form.is_valid():
        try:
            services.referral_close(
                actor=user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except EditConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("programmes:referral_detail", pk=pk, referral_pk=referral.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return render_invalid(
                request, "programmes/referral_detail.html", _referral_context(referral)
            )
        messages.success(request, _("Saved."))
    return redirect("programmes:referral_detail", pk=pk, referral_pk=referral.pk)


# --- Overview and budgets (team lead, coordination, administration) -------------------------


@requires_role(permissions.can_see_overview)
@participation_module
def overview(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    traeger_id = traeger_id_of(user)
    programmes = list(selectors.participation_programmes(traeger_id))
    chosen = (
        selectors.get_programme(traeger_id, request.GET.get("programm"))
        if request.GET.get("programm")
        else None
    )
    programme = chosen or (programmes[0] if programmes else None)
    data = (
        selectors.overview(traeger_id, programme=programme, day=timezone.localdate())
        if programme
        else None
    )
    show_names = sees_coach_names(user)
    coach_rows = []
    if data is not None:
        for index, row in enumerate(data.coaches, start=1):
            own = row.coach is not None and row.coach.organisation_id == user.organisation_id
            if show_names and own and row.coach is not None:
                label = row.coach.display_name()
            else:
                # de: Coach %(n)s (%(organisation)s)
                label = _("Coach %(n)s (%(organisation)s)") % {
                    "n": index,
                    "organisation": row.coach.organisation if row.coach else "—",
                }
            coach_rows.append({"row": row, "label": label})
    context = {
        "programmes": programmes,
        "programme": programme,
        "data": data,
        "coach_rows": coach_rows,
    }
    return render(request, "programmes/overview.html", context)


@requires_role(permissions.can_read_budgets)
@require_http_methods(["GET", "POST"])
@participation_module
def budgets(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    traeger_id = traeger_id_of(user)
    modules = (
        ProgrammeModule.objects.filter(
            traeger_id=traeger_id, programme__kind="participation_management"
        )
        .select_related("programme")
        .order_by("programme__sort_order", "number")
    )
    may_edit = permissions.can_write_budgets(user)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = forms.BudgetForm(
        request.POST or None,
        modules=modules,
        initial={"year": timezone.localdate().year, "warning_percent": 90},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.budget_set(actor=user, request=request, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("programmes:budgets")
    rows = selectors.budget_statuses_for_user(user)
    context = {"form": form if may_edit else None, "budgets": rows}
    if request.method == "POST":
        return render_invalid(request, "programmes/budgets.html", context)
    return render(request, "programmes/budgets.html", context)
