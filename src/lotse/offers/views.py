"""HTML views of the offers catalogue and of referrals (parse → authorise → one service → render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts.reauth import requires_recent_auth, when_posted
from lotse.audit.services import audit_log
from lotse.cases.selectors import get_case_for_user, household_of_case
from lotse.core.access import Action, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.viewutils import add_service_errors, form_page, render_invalid, requires
from lotse.directory.models import FieldOfAction, Municipality
from lotse.offers import selectors, services
from lotse.offers.access import can_edit_catalogue, can_read_catalogue, requires_permission
from lotse.offers.eligibility import age_on
from lotse.offers.forms import (
    AccessPathForm,
    FollowUpForm,
    OfferForm,
    ReferralForm,
    TransitionForm,
    person_label,
)
from lotse.offers.models import OfferKind, Referral


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# -- catalogue ----------------------------------------------------------------------------------


@requires_permission(can_read_catalogue)
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    kind = request.GET.get("art", "")
    filters = selectors.OfferFilter(
        search=request.GET.get("q", "").strip(),
        kind=kind if kind in OfferKind.values else "",
        field_of_action_id=_int_or_none(request.GET.get("handlungsfeld")),
        municipality_id=_int_or_none(request.GET.get("kommune")),
        include_inactive=request.GET.get("inaktive") == "1",
    )
    page = selectors.offer_page_for_user(user, filters=filters, cursor=request.GET.get("nach"))
    context = {
        "page": page,
        "filters": filters,
        "kinds": OfferKind.choices,
        "fields_of_action": FieldOfAction.objects.filter(traeger_id=traeger_id_of(user)),
        "municipalities": Municipality.objects.filter(traeger_id=traeger_id_of(user)).order_by(
            "name"
        ),
        "can_edit": can_edit_catalogue(user),
    }
    template = "offers/offer_list.html#results" if request.htmx else "offers/offer_list.html"
    return render(request, template, context)


@requires_permission(can_read_catalogue)
def offer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    offer = selectors.get_offer_for_user(user, pk)
    own_waiting = [
        referral
        for referral in selectors.referral_queryset_for_user(user)
        .filter(offer=offer, state="waiting")
        .select_related("case", "person")
        .order_by("waiting_since", "id")
    ]
    if own_waiting:
        audit_log(
            user=user,
            action="list",
            object_type="referral",
            request=request,
            detail=f"waiting:{offer.pk}:{len(own_waiting)}",
        )
    positions = {r.pk: index for index, r in enumerate(selectors.waiting_list(offer), start=1)}
    context = {
        "offer": offer,
        "paths": list(offer.access_paths.all()),
        "own_waiting": [(positions.get(r.pk), r) for r in own_waiting],
        "free_places": (
            max(offer.capacity - offer.occupied, 0)  # type: ignore[attr-defined]
            if offer.capacity is not None
            else None
        ),
        "can_edit": can_edit_catalogue(user),
        "path_form": AccessPathForm(traeger_id=offer.traeger_id)
        if can_edit_catalogue(user)
        else None,
    }
    return render(request, "offers/offer_detail.html", context)


@requires_permission(can_edit_catalogue)
@require_http_methods(["GET", "POST"])
def offer_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = OfferForm(request.POST or None, traeger_id=traeger_id_of(user), initial={"active": True})
    if request.method == "POST":
        if form.is_valid():
            data = form.service_fields()
            try:
                offer = services.offer_create(actor=user, request=request, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Offer saved."))  # de: Angebot gespeichert.
                return redirect("offers:detail", pk=offer.pk)
        return render_invalid(request, "offers/offer_form.html", {"form": form})
    return render(request, "offers/offer_form.html", {"form": form})


@requires_permission(can_edit_catalogue)
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    offer = selectors.get_offer_for_user(user, pk, edit=True)
    if request.method == "POST":
        form = OfferForm(request.POST, traeger_id=traeger_id_of(user))
        if form.is_valid():
            try:
                services.offer_update(
                    actor=user,
                    offer=offer,
                    expected_version=form.cleaned_data.get("version") or 0,
                    request=request,
                    **form.service_fields(),
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                return render(
                    request, "offers/offer_form.html", {"form": form, "offer": offer}, status=409
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Offer saved."))
                return redirect("offers:detail", pk=offer.pk)
        return render_invalid(request, "offers/offer_form.html", {"form": form, "offer": offer})
    form = OfferForm(traeger_id=traeger_id_of(user), initial=OfferForm.initial_for(offer))
    return render(request, "offers/offer_form.html", {"form": form, "offer": offer})


@requires_permission(can_edit_catalogue)
@require_POST
def access_path_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    offer = selectors.get_offer_for_user(user, pk, edit=True)
    form = AccessPathForm(request.POST, traeger_id=offer.traeger_id)
    if form.is_valid():
        try:
            services.access_path_add(actor=user, offer=offer, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Zugangsweg gespeichert.
            messages.success(request, _("Access path saved."))
            return redirect("offers:detail", pk=offer.pk)
    offer = selectors.get_offer_for_user(user, pk)
    return render_invalid(
        request,
        "offers/offer_detail.html",
        {
            "offer": offer,
            "paths": list(offer.access_paths.all()),
            "own_waiting": [],
            "can_edit": True,
            "path_form": form,
        },
    )


@requires_permission(can_edit_catalogue)
@require_POST
def access_path_delete(request: AuthenticatedRequest, pk: int, path_pk: int) -> HttpResponse:
    user = request.user
    offer = selectors.get_offer_for_user(user, pk, edit=True)
    path = selectors.get_access_path(offer, path_pk)
    services.access_path_delete(actor=user, path=path, request=request)
    messages.success(request, _("Access path removed."))  # de: Zugangsweg entfernt.
    return redirect("offers:detail", pk=offer.pk)


# -- referrals of a case ------------------------------------------------------------------------


def _audit_case_read(request: AuthenticatedRequest, case: Any, detail: str) -> None:
    audit_log(
        user=request.user,
        action="list",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=detail,
    )


@requires(Action.VIEW)
def case_referrals(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    referrals = selectors.referrals_of_case(case)
    _audit_case_read(request, case, f"referrals:{len(referrals)}")
    today = timezone.localdate()
    return render(
        request,
        "offers/case_referrals.html",
        {
            "case": case,
            "referrals": referrals,
            "today": today,
        },
    )


@requires(Action.CHANGE)
@requires_recent_auth(when=when_posted("override_reason"))
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    case = get_case_for_user(user, pk, Action.CHANGE)
    offers = selectors.active_offers_for_referral(user)
    offer_id = _int_or_none(request.GET.get("angebot")) or _int_or_none(request.POST.get("offer"))
    today = timezone.localdate()
    household = household_of_case(case)
    person_id = _int_or_none(request.GET.get("person")) or _int_or_none(request.POST.get("person"))
    person = next((p for p in household if p.pk == person_id), case.person)
    form = ReferralForm(
        request.POST or None,
        offers=offers,
        persons=[(p.pk, person_label(p, age_on(p.date_of_birth, today))) for p in household],
        initial={"offer": offer_id, "person": person.pk},
    )
    offer = (
        selectors.with_conditions(offers.select_related("provider")).filter(pk=offer_id).first()
        if offer_id
        else None
    )
    result = (
        services.check_eligibility(case=case, offer=offer, person=person)
        if offer is not None
        else None
    )
    context = {
        "case": case,
        "offer": offer,
        "result": result,
        "person": person,
        "household": household,
    }
    if case.is_closed:
        form.add_error(None, _("The case is closed and can no longer be changed."))
        return render_invalid(request, "offers/referral_form.html", {**context, "form": form})

    def create(data: dict[str, Any]) -> HttpResponseBase:
        data["person"] = next((p for p in household if p.pk == data["person"]), case.person)
        referral = services.referral_create(actor=user, case=case, request=request, **data)
        # de: Zusteuerung angelegt.
        messages.success(request, _("Referral recorded."))
        return redirect("offers:referral", pk=referral.pk)

    return form_page(request, "offers/referral_form.html", context, form=form, on_valid=create)


# -- one referral -------------------------------------------------------------------------------


def _referral_context(referral: Referral, **extra: Any) -> dict[str, Any]:
    closed = referral.case.is_closed
    return {
        "referral": referral,
        "case": referral.case,
        "events": selectors.referral_events(referral),
        "position": selectors.waiting_position(referral),
        "transition_form": extra.pop("transition_form", None)
        or (
            TransitionForm(initial={"version": referral.version}, current_state=referral.state)
            if not closed and referral.is_open
            else None
        ),
        "follow_up_form": extra.pop("follow_up_form", None)
        or (
            FollowUpForm(
                initial={
                    "version": referral.version,
                    "follow_up_on": referral.follow_up_on,
                    "feedback": referral.feedback,
                }
            )
            if not closed
            else None
        ),
        **extra,
    }


@requires(Action.VIEW)
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_user(request.user, pk)
    audit_log(
        user=request.user,
        action="view",
        object_type="referral",
        object_id=referral.pk,
        person_id=referral.case.person_id,
        categories=["case"],
        request=request,
    )
    return render(request, "offers/referral_detail.html", _referral_context(referral))


@requires(Action.CHANGE)
@require_POST
def referral_transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.get_referral_for_user(user, pk, Action.CHANGE)
    form = TransitionForm(request.POST, current_state=referral.state)
    if form.is_valid():
        wanted = form.cleaned_data["to_state"]
        try:
            services.referral_transition(
                actor=user,
                referral=referral,
                to_state=wanted,
                expected_version=form.cleaned_data["version"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return render(
                request,
                "offers/referral_detail.html",
                _referral_context(referral, transition_form=form),
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if referral.state != wanted:
                messages.warning(
                    request,
                    # de: Alle Plätze sind belegt: Die Zusteuerung steht auf der Warteliste.
                    _("All places are taken: the referral is on the waiting list."),
                )
            else:
                messages.success(request, _("Status saved."))  # de: Status gespeichert.
            return redirect("offers:referral", pk=referral.pk)
    return render_invalid(
        request, "offers/referral_detail.html", _referral_context(referral, transition_form=form)
    )


@requires(Action.CHANGE)
@require_POST
def referral_follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.get_referral_for_user(user, pk, Action.CHANGE)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.referral_update(
                actor=user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                feedback=form.cleaned_data["feedback"],
                request=request,
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return render(
                request,
                "offers/referral_detail.html",
                _referral_context(referral, follow_up_form=form),
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("offers:referral", pk=referral.pk)
    return render_invalid(
        request, "offers/referral_detail.html", _referral_context(referral, follow_up_form=form)
    )


@requires(Action.VIEW)
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    filters = selectors.ReferralFilter(
        mine=request.GET.get("alle") != "1",
        overdue=request.GET.get("ueberfaellig") == "1",
    )
    today = timezone.localdate()
    page = selectors.referral_worklist_page(
        user, filters=filters, cursor=request.GET.get("nach"), today=today
    )
    audit_log(
        user=user,
        action="list",
        object_type="referral",
        request=request,
        detail=f"referrals:{len(page.items)}",
    )
    context = {"page": page, "filters": filters, "today": today}
    template = "offers/worklist.html#results" if request.htmx else "offers/worklist.html"
    return render(request, template, context)
