from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lotse.audit.services import audit_log, list_detail
from lotse.cases.sections import person_section_links
from lotse.cases.selectors import cases_of_person_for_user
from lotse.core.access import Action, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.reference import country_name, language_name
from lotse.core.viewutils import add_service_errors, render_invalid, requires
from lotse.people import merge, selectors, services
from lotse.people.disclosure import person_page_categories
from lotse.people.duplicates import ELSEWHERE_HINT, LikelyDuplicate, likely_duplicates
from lotse.people.forms import (
    FamilyMemberForm,
    MergeForm,
    NameVariantForm,
    PersonForm,
    ResidenceStatusForm,
)


@requires(Action.VIEW)
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.PERSON_FILTERS.parse(request.GET).values
    search = filters.search
    page = selectors.person_page_for_user(
        request.user, filters=filters, cursor=request.GET.get("nach")
    )
    audit_log(
        user=request.user,
        action="list",
        object_type="person",
        request=request,
        detail=list_detail("persons", len(page.items), searched=bool(search)),
    )
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    return render(request, template, {"page": page, "search": search})


@requires(Action.VIEW)
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    merged_into = selectors.merged_person_id_for_user(request.user, pk)
    if merged_into is not None:
        return redirect("people:detail", pk=merged_into)
    person = selectors.get_person_for_user(request.user, pk)
    audit_log(
        user=request.user,
        action="view",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        # The page shows the health notes (Art. 9 GDPR) to the case team.
        categories=person_page_categories(person),
        request=request,
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "current_status": selectors.person_current_status(person),
            "household": selectors.household_members_for_user(request.user, person),
            "cases": cases_of_person_for_user(request.user, person),
            "sections": person_section_links(person.pk),
            "nationality_names": [country_name(c) for c in person.nationalities],
            "language_names": [language_name(c) for c in person.languages],
            "interpreter_language_name": language_name(person.interpreter_language)
            if person.interpreter_language
            else "",
        },
    )


def _offer_duplicates(
    request: AuthenticatedRequest,
    form_class: type[PersonForm],
    duplicate: LikelyDuplicate,
    template: str,
    context: dict[str, Any],
    **form_kwargs: Any,
) -> HttpResponse:
    """The form again (409) with the likely duplicates and the field for "different person"."""
    form = form_class(
        request.POST, traeger_id=traeger_id_of(request.user), offer_distinct=True, **form_kwargs
    )
    form.is_valid()
    audit_log(
        user=request.user,
        action="list",
        object_type="person",
        request=request,
        detail=list_detail("persons", len(duplicate.check.visible), searched=True),
    )
    return render(
        request,
        template,
        {**context, "form": form, "duplicates": duplicate.check, "elsewhere_hint": ELSEWHERE_HINT},
        status=409,
    )


@requires(Action.CREATE)
@require_http_methods(["GET", "POST"])
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = PersonForm(
        request.POST or None,
        traeger_id=traeger_id_of(user),
        offer_distinct="distinct_reason" in request.POST,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                person = services.person_create(
                    actor=user, request=request, **form.service_fields()
                )
            except LikelyDuplicate as duplicate:
                return _offer_duplicates(
                    request, PersonForm, duplicate, "people/person_form.html", {}
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("people:detail", pk=person.pk)
        return render_invalid(request, "people/person_form.html", {"form": form})
    return render(request, "people/person_form.html", {"form": form})


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.get_person_for_user(user, pk, Action.CHANGE)
    if request.method == "POST":
        form = PersonForm(request.POST, traeger_id=traeger_id_of(user))
        if form.is_valid():
            try:
                services.person_update(
                    actor=user,
                    person=person,
                    expected_version=form.cleaned_data.get("version") or 0,
                    request=request,
                    **form.service_fields(),
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                return render(
                    request,
                    "people/person_form.html",
                    {"form": form, "person": person, "conflict": True},
                    status=409,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("people:detail", pk=person.pk)
        return render_invalid(request, "people/person_form.html", {"form": form, "person": person})
    form = PersonForm(initial=PersonForm.initial_from(person), traeger_id=traeger_id_of(user))
    return render(request, "people/person_form.html", {"form": form, "person": person})


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def residence_status_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.get_person_for_user(user, pk, Action.CHANGE)
    form = ResidenceStatusForm(request.POST or None, traeger_id=traeger_id_of(user))
    context = {"form": form, "person": person, "heading": _("Record residence status")}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.residence_status_add(
                    actor=user, person=person, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("people:detail", pk=person.pk)
        return render_invalid(request, "people/person_subform.html", context)
    return render(request, "people/person_subform.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def name_variant_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.get_person_for_user(user, pk, Action.CHANGE)
    form = NameVariantForm(request.POST or None)
    context = {"form": form, "person": person, "heading": _("Add a name variant")}
    if request.method == "POST":
        if form.is_valid():
            services.name_variant_add(
                actor=user, person=person, request=request, **form.cleaned_data
            )
            return redirect("people:detail", pk=person.pk)
        return render_invalid(request, "people/person_subform.html", context)
    return render(request, "people/person_subform.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def family_member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.get_person_for_user(user, pk, Action.CHANGE)
    initial = {
        "last_name": person.last_name,
        "municipality": person.municipality_id,
        "registered_on": person.registered_on,
        "target_group": person.target_group_id,
        "nationalities": person.nationalities,
        "languages": person.languages,
        "member_role": "child",
    }
    form = FamilyMemberForm(
        request.POST or None,
        initial=initial,
        traeger_id=traeger_id_of(user),
        offer_distinct="distinct_reason" in request.POST,
    )
    context = {"form": form, "person": person, "heading": _("Add a family member")}
    if request.method == "POST":
        if form.is_valid():
            fields = form.service_fields()
            role = fields.pop("member_role")
            try:
                with transaction.atomic():
                    member = services.person_create(actor=user, request=request, **fields)
                    services.household_link(
                        actor=user, person=person, member=member, member_role=role, request=request
                    )
            except LikelyDuplicate as duplicate:
                return _offer_duplicates(
                    request,
                    FamilyMemberForm,
                    duplicate,
                    "people/person_subform.html",
                    context,
                    initial=initial,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("people:detail", pk=person.pk)
        return render_invalid(request, "people/person_subform.html", context)
    return render(request, "people/person_subform.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def person_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Merge a duplicate into this person: choose it, compare both side by side, confirm."""
    user = request.user
    person = selectors.get_person_for_user(user, pk, Action.CHANGE)
    form = MergeForm(request.POST or request.GET or None)
    context: dict[str, Any] = {"person": person, "form": form}
    if not form.is_bound or not form.is_valid():
        check = likely_duplicates(
            user,
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            exclude_pk=person.pk,
        )
        context["duplicates"] = check
        context["elsewhere_hint"] = ELSEWHERE_HINT
        status = 422 if form.is_bound else 200
        return render(request, "people/person_merge.html", context, status=status)
    duplicate = selectors.get_person_for_user(user, form.cleaned_data["duplicate"], Action.CHANGE)
    context["duplicate"] = duplicate
    if request.method == "POST" and form.cleaned_data.get("confirm"):
        try:
            merge.person_merge(actor=user, target=person, source=duplicate, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
            return render_invalid(request, "people/person_merge.html", context)
        messages.success(request, _("The records were merged."))
        return redirect("people:detail", pk=person.pk)
    audit_log(
        user=user,
        action="view",
        object_type="person",
        object_id=duplicate.pk,
        person_id=duplicate.pk,
        categories=["identity"],
        request=request,
        detail="merge_preview",
    )
    context["rows"] = merge_comparison(person, duplicate)
    return render(request, "people/person_merge.html", context)


def merge_comparison(person: Any, duplicate: Any) -> list[tuple[str, str, str]]:
    """The fields shown side by side before a merge: (label, this person, the duplicate)."""

    def shown(record: Any, name: str) -> str:
        value = getattr(record, name)
        if name == "date_of_birth" or name == "registered_on":
            return value.strftime("%d.%m.%Y") if value else "—"
        if name == "nationalities":
            return ", ".join(country_name(code) for code in value) or "—"
        return str(value) if value not in (None, "") else "—"

    names = [
        ("last_name", _("last name")),
        ("first_name", _("first name")),
        ("date_of_birth", _("date of birth")),
        ("nationalities", _("nationalities")),
        ("municipality", _("municipality of residence")),
        ("registered_on", _("date of registration (Anmeldung)")),
        ("external_key", _("external key")),
        ("pk", _("person no.")),
    ]
    return [(str(label), shown(person, name), shown(duplicate, name)) for name, label in names]
