"""Pages of erasure, restriction, legal hold and retention (parse → authorise → service → render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.audit.services import audit_log
from lotse.cases.selectors import case_queryset_for_user
from lotse.core.access import (
    Action,
    can_decide_retention,
    can_edit_retention_rules,
    can_see_erasure_overview,
    traeger_id_of,
)
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import add_service_errors, render_invalid, requires, requires_permission
from lotse.people.models import Person
from lotse.people.selectors import get_person_for_user, person_queryset_for_user
from lotse.retention import selectors, services
from lotse.retention.forms import (
    DecisionForm,
    ErasureRequestForm,
    LegalHoldForm,
    RestrictionForm,
    RetentionRulesForm,
)
from lotse.retention.jobs import effective_rules
from lotse.retention.models import RetentionRule


def _cases(request: AuthenticatedRequest, person: Person) -> Any:
    return case_queryset_for_user(request.user).filter(person=person).order_by("-opened_on", "-id")


def _person_page(
    request: AuthenticatedRequest, person: Person, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    user = request.user
    context = {
        "person": person,
        "restriction": selectors.active_restriction(person),
        "holds": selectors.holds_of(person),
        "requests": selectors.requests_of(person),
        "is_team_lead": can_decide_retention(user),
        "request_form": forms_.get("request_form") or ErasureRequestForm(prefix="erasure"),
        "restriction_form": forms_.get("restriction_form") or RestrictionForm(prefix="restriction"),
        "hold_form": forms_.get("hold_form")
        or LegalHoldForm(prefix="hold", cases=_cases(request, person)),
        "decision_form": forms_.get("decision_form") or DecisionForm(prefix="decision"),
        "decision_for": forms_.get("decision_for"),
        "action_error": forms_.get("action_error"),
    }
    return render(request, "retention/person.html", context, status=status)


@requires(Action.VIEW)
def person_section(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    audit_log(
        user=request.user,
        action="view",
        object_type="erasure",
        object_id=person.pk,
        person_id=person.pk,
        request=request,
    )
    return _person_page(request, person)


@requires(Action.VIEW)
@require_POST
def erasure_request_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    form = ErasureRequestForm(request.POST, prefix="erasure")
    if form.is_valid():
        try:
            services.erasure_request_create(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Löschantrag gestellt. Eine andere Teamleitung entscheidet darüber.
            messages.success(request, _("Erasure requested. Another team lead decides on it."))
            return redirect("retention:person", pk=person.pk)
    return _person_page(request, person, status=422, request_form=form)


def _require_team_lead(request: AuthenticatedRequest) -> None:
    """Team-lead actions: the role is checked before any lookup (403 for everyone else)."""
    if not can_decide_retention(request.user):
        raise PermissionDenied


def _request_of(request: AuthenticatedRequest, pk: int) -> Any:
    return selectors.get_erasure_request(request.user, pk, person_queryset_for_user(request.user))


@requires(Action.VIEW)
@require_POST
def erasure_request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_team_lead(request)
    erasure_request = _request_of(request, pk)
    person = erasure_request.person
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        try:
            services.erasure_request_decide(
                actor=request.user,
                erasure_request=erasure_request,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Entscheidung gespeichert.
            messages.success(request, _("Decision saved."))
            return redirect("retention:person", pk=person.pk)
    return _person_page(
        request, person, status=422, decision_form=form, decision_for=erasure_request.pk
    )


@requires(Action.VIEW)
@require_POST
def erasure_request_execute(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_team_lead(request)
    erasure_request = _request_of(request, pk)
    person = erasure_request.person
    try:
        result = services.erasure_request_execute(
            actor=request.user, erasure_request=erasure_request, request=request
        )
    except ValidationError as error:
        return _person_page(request, person, status=422, action_error=" ".join(error.messages))
    pseudonym = result.tombstone.pseudonym if result.tombstone else ""
    messages.success(
        request,
        # de: Die Person und alle zugehörigen Daten sind gelöscht. Löschvermerk: %(pseudonym)s
        _("The person and all their data have been erased. Tombstone: %(pseudonym)s")
        % {"pseudonym": pseudonym},
    )
    return redirect("retention:overview")


@requires(Action.VIEW)
@require_POST
def restriction_set(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    form = RestrictionForm(request.POST, prefix="restriction")
    if form.is_valid():
        try:
            services.restriction_set(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Die Verarbeitung ist eingeschränkt. Die Daten können nicht mehr geändert werden.
            messages.success(
                request, _("Processing is restricted. The data can no longer be changed.")
            )
            return redirect("retention:person", pk=person.pk)
    return _person_page(request, person, status=422, restriction_form=form)


@requires(Action.VIEW)
@require_POST
def restriction_lift(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_team_lead(request)
    restriction = selectors.get_restriction(
        request.user, pk, person_queryset_for_user(request.user)
    )
    person = get_person_for_user(request.user, restriction.person_id)
    try:
        services.restriction_lift(actor=request.user, restriction=restriction, request=request)
    except ValidationError as error:
        return _person_page(request, person, status=422, action_error=" ".join(error.messages))
    # de: Die Einschränkung ist aufgehoben.
    messages.success(request, _("The restriction has been lifted."))
    return redirect("retention:person", pk=person.pk)


@requires(Action.VIEW)
@require_POST
def legal_hold_set(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_team_lead(request)
    person = get_person_for_user(request.user, pk)
    form = LegalHoldForm(request.POST, prefix="hold", cases=_cases(request, person))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.legal_hold_set(
                actor=request.user,
                person=person,
                case=data["case"],
                reason=data["reason"],
                until=data["until"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Löschsperre gesetzt.
            messages.success(request, _("Legal hold set."))
            return redirect("retention:person", pk=person.pk)
    return _person_page(request, person, status=422, hold_form=form)


@requires(Action.VIEW)
@require_POST
def legal_hold_lift(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_team_lead(request)
    hold = selectors.get_hold(request.user, pk, person_queryset_for_user(request.user))
    person_id = hold.person_id or (hold.case.person_id if hold.case else None)
    person = get_person_for_user(request.user, person_id)
    try:
        services.legal_hold_lift(actor=request.user, hold=hold, request=request)
    except ValidationError as error:
        return _person_page(request, person, status=422, action_error=" ".join(error.messages))
    # de: Löschsperre aufgehoben.
    messages.success(request, _("Legal hold lifted."))
    return redirect("retention:person", pk=person.pk)


@requires_permission(can_see_erasure_overview)
def overview(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = {
        "open_requests": list(selectors.open_requests_for_user(user)),
        "holds": list(selectors.active_holds_for_user(user)),
        "tombstones": selectors.tombstones_for_user(user),
        "log": selectors.deletion_log_for_user(user),
        "rules": effective_rules(traeger_id_of(user)),
        "can_open_persons": can_decide_retention(user),
        "can_edit_rules": can_edit_retention_rules(user),
    }
    return render(request, "retention/overview.html", context)


@requires_permission(can_edit_retention_rules)
@require_http_methods(["GET", "POST"])
def rules(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    saved = {r.record_type: r for r in RetentionRule.objects.filter(traeger_id=traeger_id_of(user))}
    if request.method == "POST":
        form = RetentionRulesForm(request.POST, rules=saved)
        if form.is_valid():
            try:
                services.retention_rules_save(actor=user, periods=form.periods(), request=request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Aufbewahrungsfristen gespeichert.
                messages.success(request, _("Retention periods saved."))
                return redirect("retention:overview")
        return render_invalid(request, "retention/rules.html", {"form": form})
    return render(request, "retention/rules.html", {"form": RetentionRulesForm(rules=saved)})
