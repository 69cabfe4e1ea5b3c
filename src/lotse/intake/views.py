"""Pages of a case: Erstgespräch, Assessment, Profil, Sprachmittlung.

Parse → authorise (the case through ``get_case_for_user``) → call one service → render.
Every page that shows personal data writes an audit entry (never the values).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lotse.audit.services import audit_log
from lotse.cases.models import Case
from lotse.cases.selectors import get_case_for_user, household_member_of_case, household_of_case
from lotse.core.access import Action, can, not_found
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.reference import language_name
from lotse.core.viewutils import add_service_errors, form_page, render_invalid, requires
from lotse.deadlines.engine import age_on
from lotse.directory.models import FieldOfAction
from lotse.intake import selectors, services
from lotse.intake.forms import AssessmentForm, InterpreterForm, InterviewForm, ProfileForm
from lotse.intake.guide import display_value
from lotse.intake.models import ASSESSMENT_FIELDS, Assessment
from lotse.intake.questions import AssessmentQuestion, display_answer, parse_questions
from lotse.people.models import Person

#: The intake pages (URL name, label) in the order of the sub-navigation.
PAGES = (
    ("intake:interview", gettext_lazy("Initial interview")),  # de: Erstgespräch
    ("intake:assessment", gettext_lazy("Assessment")),  # de: Assessment
    ("intake:profile", gettext_lazy("Profile")),  # de: Profil
    ("intake:interpreters", gettext_lazy("Interpreting")),  # de: Sprachmittlung
)


def _load_case(request: AuthenticatedRequest, pk: int) -> Case:
    """The case for reading (GET) or changing (POST); a POST also needs the change role."""
    if request.method == "POST":
        if not can(request.user, Action.CHANGE):
            raise PermissionDenied
        return get_case_for_user(request.user, pk, Action.CHANGE)
    return get_case_for_user(request.user, pk)


def _audit_view(
    request: AuthenticatedRequest, case: Case, page: str, categories: list[str] | None = None
) -> None:
    audit_log(
        user=request.user,
        action="view",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=categories or ["case"],
        request=request,
        detail=f"intake:{page}",
    )


def _context(case: Case, current: str, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "intake_pages": PAGES,
        "current_page": current,
        "interpreter_warnings": selectors.discouraged_interpreter_uses(case),
        **extra,
    }


def _conflict(
    request: AuthenticatedRequest,
    template: str,
    context: dict[str, Any],
    form: Any,
    conflict: EditConflict,
) -> HttpResponse:
    form.add_error(None, str(conflict))
    return render(request, template, {**context, "form": form, "conflict": True}, status=409)


# -- Erstgespräch -----------------------------------------------------------------------------


def _answer_rows(interview: Any) -> list[tuple[Any, list[tuple[str, str]]]]:
    sections = selectors.interview_sections(interview, None)
    rows = []
    for section in sections:
        stored = interview.answers.get(section.key, {})
        rows.append(
            (
                section,
                [(q.text, display_value(q, stored.get(q.key))) for q in section.questions],
            )
        )
    return rows


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def interview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _load_case(request, pk)
    current = selectors.interview_of(case)
    guide = None if current is not None else selectors.current_guide(case.traeger_id)
    sections = selectors.interview_sections(current, guide)
    template = "intake/interview.html"
    read_only = case.is_closed or (current is not None and current.is_completed)
    use = getattr(current, "interpreter_use", None) if current is not None else None
    context = _context(
        case,
        "intake:interview",
        interview=current,
        guide=guide,
        read_only=read_only,
        interpreter=use,
        interpreter_language=language_name(use.language) if use else "",
    )
    if request.method == "POST":
        form = InterviewForm(
            request.POST, sections=sections, traeger_id=case.traeger_id, interview=current
        )
        context["form"] = form
        if form.is_valid():
            complete = request.POST.get("action") == "complete"
            try:
                services.interview_save(
                    actor=user,
                    case=case,
                    expected_version=form.cleaned_data.get("version") or 0,
                    held_at=form.cleaned_data["held_at"],
                    location=form.cleaned_data.get("location") or "",
                    participants=form.cleaned_data.get("participants") or "",
                    answers=form.answers(),
                    complete=complete,
                    interpreter=form.interpreter_input(InterviewForm.INTERPRETER_PREFIX),
                    request=request,
                )
            except EditConflict as conflict:
                return _conflict(request, template, context, form, conflict)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if complete:
                    # de: Erstgespräch abgeschlossen und im Verlauf eingetragen.
                    messages.success(
                        request, _("Initial interview completed and added to the timeline.")
                    )
                else:
                    messages.success(request, _("Draft saved."))  # de: Entwurf gespeichert.
                return redirect("intake:interview", pk=case.pk)
        return render_invalid(request, template, context)
    _audit_view(request, case, "interview")
    if read_only:
        if current is not None:
            context["answer_rows"] = _answer_rows(current)
    elif sections:
        initial = {"version": 0, "held_at": timezone.localtime().replace(second=0, microsecond=0)}
        context["form"] = InterviewForm(
            sections=sections, traeger_id=case.traeger_id, interview=current, initial=initial
        )
    return render(request, template, context)


# -- Assessment -------------------------------------------------------------------------------


def _assessed_person(request: AuthenticatedRequest, case: Case) -> Person:
    """The household member named by ``?person=`` (default the case's person); 404 otherwise."""
    raw = request.GET.get("person") or request.POST.get("person")
    if not raw:
        return case.person
    person = household_member_of_case(case, raw)
    if person is None:
        raise not_found()
    return person


def _age_today(person: Person) -> int | None:
    return age_on(person.date_of_birth, timezone.localdate()) if person.date_of_birth else None


def _assessment_answer_rows(
    field: FieldOfAction, assessment: Assessment | None
) -> list[tuple[str, str]]:
    """The stored answers to the field's questions as (label, text), in the configured order."""
    if assessment is None or not assessment.answers:
        return []
    return [
        (question.label, display_answer(question, assessment.answers[question.key]))
        for question in parse_questions(field.assessment_questions)
        if question.key in assessment.answers
    ]


@requires(Action.VIEW)
def assessment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    household = household_of_case(case)
    by_key = {(a.person_id, a.field_of_action_id): a for a in selectors.assessments_of(case)}
    fields = selectors.fields_of_action(case.traeger_id)
    people = [
        (
            person,
            [
                (
                    field,
                    by_key.get((person.pk, field.pk)),
                    _assessment_answer_rows(field, by_key.get((person.pk, field.pk))),
                )
                for field in fields
            ],
        )
        for person in household
    ]
    rows = [(field, shown) for _person, person_rows in people for field, shown, _a in person_rows]
    _audit_view(request, case, "assessment", selectors.disclosed_categories(rows))
    return render(
        request,
        "intake/assessment.html",
        _context(case, "intake:assessment", people=people, household_size=len(household)),
    )


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def assessment_edit(request: AuthenticatedRequest, pk: int, field_pk: int) -> HttpResponseBase:
    user = request.user
    case = _load_case(request, pk)
    field = selectors.get_field_of_action(case, field_pk)
    person = _assessed_person(request, case)
    current = selectors.assessment_for(case, field, person)
    template = "intake/assessment_form.html"
    age = _age_today(person)
    context = _context(case, "intake:assessment", field=field, assessment=current, person=person)
    if case.is_closed and request.method == "GET":
        return redirect("intake:assessment", pk=case.pk)
    form_kwargs: dict[str, Any] = {
        "traeger_id": case.traeger_id,
        "questions": services.assessment_questions(field, person),
        "age": age,
    }
    if request.method == "POST":
        form = AssessmentForm(request.POST, **form_kwargs)
    else:
        _audit_view(
            request,
            case,
            f"assessment:{field.key}",
            selectors.disclosed_categories([(field, current)]),
        )
        form = AssessmentForm(initial=AssessmentForm.initial_from(current), **form_kwargs)

    def save(data: dict[str, Any]) -> HttpResponseBase:
        services.assessment_save(
            actor=user,
            case=case,
            field_of_action=field,
            person=person,
            expected_version=data.get("version") or 0,
            values=form.values(),
            answers=form.answers(),
            authorities=form.authorities(),
            request=request,
        )
        messages.success(request, _("Changes saved."))  # de: Änderungen gespeichert.
        return redirect("intake:assessment", pk=case.pk)

    return form_page(request, template, context, form=form, on_valid=save)


def _model_field(name: str) -> models.Field:
    return cast(models.Field, Assessment._meta.get_field(name))


def _revision_rows(
    revisions: list[Any], questions: list[AssessmentQuestion] | None = None
) -> list[tuple[Any, list[tuple[Any, str, bool]]]]:
    """Each revision with (label, value, changed against the revision before it): the typed
    entries, then the answers to the field's configured questions."""
    names = [*ASSESSMENT_FIELDS, "authorities"]
    rows = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1].data if index + 1 < len(revisions) else None
        values = []
        for name in names:
            raw = revision.data.get(name)
            field = _model_field(name)
            if name == "authorities":
                text = ", ".join(item.get("name", "") for item in raw or [])
            elif field.choices and raw:
                text = str(dict(field.choices).get(raw, raw))
            elif name == "german_test_date" and raw:
                text = dt.date.fromisoformat(raw).strftime("%d.%m.%Y")
            else:
                text = str(raw or "")
            changed = older is not None and older.get(name) != raw
            values.append((field.verbose_name, text or "—", changed))
        answers = revision.data.get("answers") or {}
        older_answers = (older or {}).get("answers") or {}
        for question in questions or []:
            if question.key not in answers and question.key not in older_answers:
                continue
            text = display_answer(question, answers.get(question.key))
            changed = older is not None and older_answers.get(question.key) != answers.get(
                question.key
            )
            values.append((question.label, text or "—", changed))
        rows.append((revision, values))
    return rows


@requires(Action.VIEW)
def assessment_history(request: AuthenticatedRequest, pk: int, field_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    field = selectors.get_field_of_action(case, field_pk)
    person = _assessed_person(request, case)
    current = selectors.assessment_for(case, field, person)
    revisions = selectors.assessment_history(current) if current is not None else []
    rows = _revision_rows(revisions, parse_questions(field.assessment_questions))
    _audit_view(
        request,
        case,
        f"assessment_history:{field.key}",
        selectors.disclosed_categories([(field, revisions)]),
    )
    return render(
        request,
        "intake/assessment_history.html",
        _context(case, "intake:assessment", field=field, rows=rows, person=person),
    )


# -- Profile ----------------------------------------------------------------------------------


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _load_case(request, pk)
    current = selectors.profile_of(case)
    category = selectors.arrival_category(case.person.registered_on)
    template = "intake/profile.html"
    context = _context(
        case,
        "intake:profile",
        profile=current,
        arrival_category=category,
        arrival_label=selectors.ArrivalCategory.LABELS.get(category or "", ""),
        share=selectors.team_track_share(user),
        interview=selectors.interview_of(case),
    )
    if request.method == "POST":
        form = ProfileForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                services.profile_set(
                    actor=user,
                    case=case,
                    track=form.cleaned_data["track"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data.get("version") or 0,
                    request=request,
                )
            except EditConflict as conflict:
                return _conflict(request, template, context, form, conflict)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))  # de: Änderungen gespeichert.
                return redirect("intake:profile", pk=case.pk)
        return render_invalid(request, template, context)
    _audit_view(request, case, "profile")
    if not case.is_closed:
        initial: dict[str, Any] = {"version": 0}
        if current is not None:
            initial = {"version": current.version, "track": current.track, "reason": current.reason}
        context["form"] = ProfileForm(initial=initial)
    return render(request, template, context)


# -- Interpreter use --------------------------------------------------------------------------


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def interpreters(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _load_case(request, pk)
    conversations = selectors.conversations_of(case)
    uses = selectors.interpreter_uses_of(case)
    template = "intake/interpreters.html"
    context = _context(
        case,
        "intake:interpreters",
        uses=[(use, language_name(use.language)) for use in uses],
        conversations=conversations,
    )
    if request.method == "POST":
        form = InterpreterForm(
            request.POST, traeger_id=case.traeger_id, conversations=conversations
        )
        context["form"] = form
        if form.is_valid():
            try:
                services.interpreter_use_set(
                    actor=user,
                    case=case,
                    timeline_entry=selectors.get_conversation(
                        case, form.cleaned_data["timeline_entry"]
                    ),
                    data=form.interpreter(),
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))  # de: Änderungen gespeichert.
                return redirect("intake:interpreters", pk=case.pk)
        return render_invalid(request, template, context)
    _audit_view(request, case, "interpreters")
    if not case.is_closed and conversations:
        context["form"] = InterpreterForm(traeger_id=case.traeger_id, conversations=conversations)
    return render(request, template, context)
