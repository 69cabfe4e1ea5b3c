from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.audit.services import audit_log, list_detail
from lotse.cases import phases, selectors, services
from lotse.cases.evaluation import evaluation_basis
from lotse.cases.forms import (
    CaseForm,
    EvaluationForm,
    FieldProcessForm,
    PhaseForm,
    ReopenForm,
    TimelineEntryForm,
    evaluation_initial,
)
from lotse.cases.models import Phase
from lotse.cases.sections import case_section_links
from lotse.core.access import Action, can, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.viewutils import add_service_errors, form_page, render_invalid, requires
from lotse.directory.models import Municipality, Programme
from lotse.people.selectors import get_person_for_user
from lotse.teams.selectors import works_for_post


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@requires(Action.VIEW)
def my_cases(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    parsed = selectors.CASE_FILTERS.parse(request.GET)
    filters = parsed.values
    page = selectors.case_page_for_user(user, filters=filters, cursor=request.GET.get("nach"))
    audit_log(
        user=user,
        action="list",
        object_type="case",
        request=request,
        detail=list_detail("cases", len(page.items), searched=bool(filters.search)),
    )
    context = {
        "page": page,
        "filters": filters,
        "filter_errors": parsed.errors,
        "phases": Phase.choices,
        "programmes": Programme.objects.filter(traeger=user.traeger),
        "municipalities": Municipality.objects.filter(traeger=user.traeger).order_by("name"),
    }
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


def _person_choices(household: list[Any]) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.first_name} {p.last_name}") for p in household]


def _detail_context(request: AuthenticatedRequest, case: Any, **extra: Any) -> dict[str, Any]:
    household = selectors.household_of_case(case)
    return {
        "case": case,
        "timeline": selectors.timeline_page(case, cursor=None),
        "phase_form": extra.pop("phase_form", None)
        or (
            PhaseForm(initial={"version": case.version}, current_phase=case.phase)
            if not case.is_closed
            else None
        ),
        "phase_history": selectors.phase_history(case),
        "field_processes": selectors.field_processes(case),
        "household": household,
        "field_form": extra.pop("field_form", None)
        or FieldProcessForm(traeger_id=case.traeger_id, persons=_person_choices(household)),
        "next_phase": phases.next_phase(case.phase),
        "phase_order": [(value, Phase(value).label) for value in phases.ORDER],
        "sections": case_section_links(case.pk),
        "evaluation": selectors.evaluation_of(case),
        "interim_evaluations": selectors.interim_evaluations_of(case),
        "closing_summary": selectors.closing_summary(case) if case.is_closed else None,
        "can_reopen": can(request.user, Action.REOPEN),
        **extra,
    }


@requires(Action.VIEW)
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, pk)
    if request.htmx and request.GET.get("nach"):
        page = selectors.timeline_page(case, cursor=request.GET.get("nach"))
        return render(
            request, "cases/case_detail.html#timeline-items", {"case": case, "timeline": page}
        )
    audit_log(
        user=request.user,
        action="view",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
    )
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@requires(Action.CREATE)
@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    user = request.user
    person = get_person_for_user(user, person_pk, Action.CHANGE)
    form = CaseForm(request.POST or None, user=user)
    suggestion = None
    programme_id = _int_or_none(request.GET.get("programm")) or _int_or_none(
        request.POST.get("programme")
    )
    programme = (
        Programme.objects.filter(traeger_id=traeger_id_of(user), pk=programme_id).first()
        if programme_id
        else None
    )
    if programme is None:
        programme = Programme.objects.filter(
            traeger_id=traeger_id_of(user), kind=Programme.Kind.CASE_MANAGEMENT
        ).first()
    if programme is not None:
        suggestion = selectors.suggest_assignment(
            programme=programme, municipality=person.municipality
        )
    if request.method == "GET":
        form = CaseForm(
            user=user,
            initial={
                "programme": programme.pk if programme else None,
                "opened_on": timezone.localdate(),
                "case_manager": suggestion.case_manager_id
                if suggestion and suggestion.organisation_id == user.organisation_id
                else user.pk,
            },
        )
    context = {"form": form, "person": person, "suggestion": suggestion}
    if request.method == "POST":
        if form.is_valid():
            data = form.service_fields()
            post = (
                suggestion.post
                if suggestion
                and suggestion.post
                and suggestion.post.programme_id == data["programme"].pk
                else None
            )
            if post is not None and not works_for_post(user, post):
                post = None  # the case stays with the user's own post; a handover moves it
            try:
                case = services.case_open(
                    actor=user, person=person, post=post, request=request, **data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if suggestion and suggestion.over_capacity and post is not None:
                    messages.warning(
                        request,
                        _("The post %(post)s already has %(load)s open cases (target %(target)s).")
                        % {
                            "post": post,
                            "load": suggestion.caseload,
                            "target": suggestion.target_caseload,
                        },
                    )
                messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
                return redirect("cases:detail", pk=case.pk)
        return render_invalid(request, "cases/case_form.html", context)
    return render(request, "cases/case_form.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.get_case_for_user(user, pk, Action.CHANGE)
    if request.method == "POST":
        form = CaseForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.case_update(
                    actor=user,
                    case=case,
                    expected_version=form.cleaned_data.get("version") or 0,
                    request=request,
                    organisation=case.organisation,
                    **form.service_fields(),
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                return render(
                    request,
                    "cases/case_form.html",
                    {"form": form, "case": case, "person": case.person, "conflict": True},
                    status=409,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("cases:detail", pk=case.pk)
        return render_invalid(
            request, "cases/case_form.html", {"form": form, "case": case, "person": case.person}
        )
    form = CaseForm(
        user=user,
        initial={
            "version": case.version,
            "programme": case.programme_id,
            "case_manager": case.case_manager_id,
            "opened_on": case.opened_on,
            "participation_offered_on": case.participation_offered_on,
            "participation_agreed_on": case.participation_agreed_on,
            "summary": case.summary,
        },
    )
    return render(
        request, "cases/case_form.html", {"form": form, "case": case, "person": case.person}
    )


@requires(Action.CHANGE)
@require_POST
def case_phase(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    case = selectors.get_case_for_user(user, pk, Action.CHANGE)
    form = PhaseForm(request.POST, current_phase=case.phase)

    def change(data: dict[str, Any]) -> HttpResponseBase:
        services.case_change_phase(
            actor=user,
            case=case,
            to_phase=data["to_phase"],
            expected_version=data["version"],
            reason=data["reason"],
            request=request,
        )
        messages.success(
            request,
            _("The case is now in phase %(phase)s.") % {"phase": case.get_phase_display()},
        )
        return redirect("cases:detail", pk=case.pk)

    return form_page(
        request,
        "cases/case_detail.html",
        lambda: _detail_context(request, case),
        form=form,
        on_valid=change,
        form_name="phase_form",
    )


@requires(Action.CHANGE)
@require_POST
def field_process(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    case = selectors.get_case_for_user(user, pk, Action.CHANGE)
    household = selectors.household_of_case(case)
    form = FieldProcessForm(
        request.POST, traeger_id=case.traeger_id, persons=_person_choices(household)
    )

    def save(data: dict[str, Any]) -> HttpResponseBase:
        data["person"] = next((p for p in household if p.pk == data["person"]), case.person)
        services.field_process_set(actor=user, case=case, request=request, **data)
        messages.success(request, _("Changes saved."))
        return redirect("cases:detail", pk=case.pk)

    return form_page(
        request,
        "cases/case_detail.html",
        lambda: _detail_context(request, case),
        form=form,
        on_valid=save,
        form_name="field_form",
    )


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def timeline_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.get_case_for_user(user, pk, Action.CHANGE)
    initial_kind = request.GET.get("art", "note")
    form = TimelineEntryForm(
        request.POST or None, request.FILES or None, initial={"kind": initial_kind}
    )
    context = {"form": form, "case": case}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.timeline_entry_add(
                    actor=user, case=case, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Entry saved."))
                return redirect("cases:detail", pk=case.pk)
        return render_invalid(request, "cases/timeline_form.html", context)
    return render(request, "cases/timeline_form.html", context)


@requires(Action.VIEW)
def attachment_download(request: AuthenticatedRequest, pk: int, entry_pk: int) -> FileResponse:
    case = selectors.get_case_for_user(request.user, pk)
    entry = selectors.get_timeline_entry(case, entry_pk)
    if not entry.attachment:
        from lotse.core.access import not_found

        raise not_found()
    audit_log(
        user=request.user,
        action="download",
        object_type="timeline_entry",
        object_id=entry.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
    )
    return FileResponse(
        entry.attachment.open("rb"), as_attachment=True, filename=entry.attachment_name or "datei"
    )


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def case_evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """Rate the SMART goals of the agreement in force, then the fields of action.

    In the phase Evaluation the final evaluation (precondition for closing); in an earlier
    open phase an interim evaluation (e.g. at the agreement's review date).
    """
    user = request.user
    case = selectors.get_case_for_user(user, pk, Action.CHANGE)
    basis = evaluation_basis(case)
    final = case.phase == Phase.EVALUATION
    interims = selectors.interim_evaluations_of(case)
    previous = (selectors.evaluation_of(case) if final else None) or next(iter(interims), None)
    form = EvaluationForm(
        request.POST or None, basis=basis, final=final, initial=evaluation_initial(previous)
    )
    if request.method != "POST":
        audit_log(
            user=user,
            action="view",
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
            request=request,
            detail="evaluation",
        )

    def on_valid(data: dict[str, Any]) -> HttpResponse:
        services.case_evaluate(
            actor=user,
            case=case,
            attainments=form.attainments(),
            ending_reason=data.get("ending_reason", ""),
            ending_note=data.get("ending_note", ""),
            effort_hours=data.get("effort_hours"),
            assessment=data.get("assessment", ""),
            request=request,
        )
        if final:
            messages.success(request, _("Evaluation saved. The case can now be closed."))
        else:
            messages.success(request, _("Interim evaluation saved."))
        return redirect("cases:detail", pk=case.pk)

    context = {
        "case": case,
        "basis": basis,
        "final": final,
        "can_record": not case.is_closed and (final or basis.agreement is not None),
    }
    return form_page(request, "cases/evaluation_form.html", context, form=form, on_valid=on_valid)


@requires(Action.REOPEN)
@require_http_methods(["GET", "POST"])
def case_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.get_case_for_user(user, pk, Action.CHANGE)
    form = ReopenForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_reopen(
                    actor=user,
                    case=case,
                    request=request,
                    expected_version=form.cleaned_data["version"],
                    to_phase=form.cleaned_data["to_phase"],
                    reason=form.cleaned_data["reason"],
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                return render(
                    request, "cases/reopen_form.html", {"case": case, "form": form}, status=409
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The case was reopened."))
                return redirect("cases:detail", pk=case.pk)
        return render_invalid(request, "cases/reopen_form.html", {"case": case, "form": form})
    return render(request, "cases/reopen_form.html", {"case": case, "form": form})
