"""HTML pages of the Integrationsvereinbarung: overview, draft editor, agreeing, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.agreements import selectors, services
from lotse.agreements.forms import (
    AgreeForm,
    AgreementForm,
    GoalFormSet,
    VersionForm,
    goal_initial,
)
from lotse.agreements.models import Agreement
from lotse.agreements.texts import DOCUMENT_LANGUAGES, SOURCE, document_language
from lotse.audit.services import audit_log
from lotse.cases.models import Case
from lotse.cases.selectors import get_case_for_user, interim_evaluations_of
from lotse.core.access import Action
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.viewutils import add_service_errors, render_invalid, requires


def _audit_view(request: AuthenticatedRequest, case: Case, detail: str) -> None:
    audit_log(
        user=request.user,
        action="view",
        object_type="agreement",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


def pdf_links(case: Case, agreement: Agreement) -> list[dict[str, Any]]:
    """Download links: the agreement's own language first, then German only, then the rest."""
    base = reverse("api:case-agreement-pdf", args=[case.pk])
    codes = [agreement.language] if agreement.language in DOCUMENT_LANGUAGES else []
    codes += [SOURCE.code] + [c for c in DOCUMENT_LANGUAGES if c not in codes]
    links = []
    for code in codes:
        language = document_language(code)
        if language is None:
            continue
        links.append(
            {
                "code": code,
                "native_name": language.native_name,
                "name_html": format_html(
                    '<span lang="{}" dir="{}">{}</span>',
                    code,
                    language.direction,
                    language.native_name,
                ),
                "url": f"{base}?version={agreement.number}&language={code}",
                "approved": language.approved,
            }
        )
    return links


@requires(Action.VIEW)
def agreement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    agreed, draft, versions = selectors.agreement_overview(case)
    _audit_view(request, case, "overview")
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "case": case,
            "agreed": agreed,
            "draft": draft,
            "versions": versions,
            "pdf_links": pdf_links(case, agreed) if agreed else [],
            "agree_form": AgreeForm(
                initial={"version": draft.version, "agreed_on": timezone.localdate()}
            )
            if draft
            else None,
            "discard_form": VersionForm(initial={"version": draft.version}) if draft else None,
        },
    )


@requires(Action.CHANGE)
@require_POST
def agreement_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, Action.CHANGE)
    try:
        services.agreement_start(actor=request.user, case=case, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("agreements:detail", pk=case.pk)
    # de: Entwurf angelegt.
    messages.success(request, _("Draft created."))
    return redirect("agreements:edit", pk=case.pk)


def _edit_context(
    draft: Agreement, form: AgreementForm, formset: Any, **extra: Any
) -> dict[str, Any]:
    # The last interim evaluation of the goals in force prepares the review in the new draft.
    interims = interim_evaluations_of(draft.case)
    return {
        "case": draft.case,
        "draft": draft,
        "form": form,
        "formset": formset,
        "last_interim": interims[0] if interims else None,
        **extra,
    }


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    draft = selectors.get_draft_for_user(user, pk)
    traeger_id = draft.case.traeger_id
    if request.method == "GET":
        form = AgreementForm(
            initial={
                "version": draft.version,
                "language": draft.language or SOURCE.code,
                "next_review_on": draft.next_review_on,
                "notes": draft.notes,
            }
        )
        formset = GoalFormSet(
            initial=[goal_initial(goal) for goal in draft.goals.all()],
            prefix="goals",
            traeger_id=traeger_id,
        )
        _audit_view(request, draft.case, f"draft v{draft.number}")
        return render(
            request, "agreements/agreement_form.html", _edit_context(draft, form, formset)
        )
    form = AgreementForm(request.POST)
    formset = GoalFormSet(request.POST, prefix="goals", traeger_id=traeger_id)
    if form.is_valid() and formset.is_valid():
        try:
            services.agreement_update_draft(
                actor=user,
                agreement=draft,
                expected_version=form.cleaned_data["version"],
                goals=[goal_form.goal_input() for goal_form in formset.kept_forms()],
                language=form.cleaned_data["language"],
                next_review_on=form.cleaned_data["next_review_on"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return render(
                request,
                "agreements/agreement_form.html",
                _edit_context(draft, form, formset, conflict=True),
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            formset.add_service_errors(error)
            if "goals" in getattr(error, "error_dict", {}):
                form.add_error(None, error.error_dict["goals"])
        else:
            messages.success(request, _("Changes saved."))
            return redirect("agreements:detail", pk=draft.case_id)
    return render_invalid(
        request, "agreements/agreement_form.html", _edit_context(draft, form, formset)
    )


@requires(Action.CHANGE)
@require_POST
def agreement_agree(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    draft = selectors.get_draft_for_user(user, pk)
    form = AgreeForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_agree(
                actor=user,
                agreement=draft,
                expected_version=form.cleaned_data["version"],
                agreed_on=form.cleaned_data["agreed_on"],
                signed_by_client=form.cleaned_data["signed_by_client"],
                request=request,
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return _agree_page(request, draft, form, status=409)
        except ValidationError as error:
            _add_agree_errors(form, error)
        else:
            # de: Fassung %(n)s ist vereinbart.
            messages.success(request, _("Version %(n)s is agreed.") % {"n": draft.number})
            return redirect("agreements:detail", pk=draft.case_id)
    return _agree_page(request, draft, form, status=422)


def _add_agree_errors(form: AgreeForm, error: ValidationError) -> None:
    """Service errors onto the agree form; goal errors name the goal's number."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for key, errors in error.message_dict.items():
        for message in errors:
            if key in form.fields:
                form.add_error(key, message)
            elif key.startswith("goals."):
                # de: Ziel %(n)s: %(message)s
                number = int(key.split(".")[1]) + 1
                form.add_error(
                    None, _("Goal %(n)s: %(message)s") % {"n": number, "message": message}
                )
            else:
                form.add_error(None, message)


def _agree_page(
    request: AuthenticatedRequest, draft: Agreement, form: AgreeForm, *, status: int
) -> HttpResponse:
    agreed, _draft, versions = selectors.agreement_overview(draft.case)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "case": draft.case,
            "agreed": agreed,
            "draft": _draft,
            "versions": versions,
            "pdf_links": pdf_links(draft.case, agreed) if agreed else [],
            "agree_form": form,
            "discard_form": VersionForm(initial={"version": draft.version}),
        },
        status=status,
    )


@requires(Action.CHANGE)
@require_POST
def agreement_discard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = selectors.get_draft_for_user(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _agree_page(
            request, draft, AgreeForm(initial={"version": draft.version}), status=422
        )
    try:
        services.agreement_discard_draft(
            actor=request.user,
            agreement=draft,
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except EditConflict as conflict:
        agree_form = AgreeForm(initial={"version": draft.version})
        agree_form.add_error(None, str(conflict))
        return _agree_page(request, draft, agree_form, status=409)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        # de: Entwurf verworfen.
        messages.success(request, _("Draft discarded."))
    return redirect("agreements:detail", pk=draft.case_id)


@requires(Action.VIEW)
def agreement_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    versions = list(selectors.agreements_of_case(case))
    _audit_view(request, case, "history")
    return render(
        request, "agreements/agreement_history.html", {"case": case, "versions": versions}
    )


@requires(Action.VIEW)
def agreement_version(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    agreement = selectors.get_agreement_for_user(request.user, pk, number)
    case = agreement.case
    _audit_view(request, case, f"v{agreement.number}")
    return render(
        request,
        "agreements/agreement_version.html",
        {"case": case, "agreement": agreement, "pdf_links": pdf_links(case, agreement)},
    )
