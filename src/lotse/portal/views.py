"""The portal "Zusammenarbeit": home, contacts (with vCard), working aids, process chains.

Readers are every active user of the Träger (``access.can_use_portal``), partners included;
working aids and process chains are edited by the Servicestelle (``access.can_work_in_bodies``).
Every lookup is filtered by the user's Träger (404 outside it). No client data anywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.core.access import (
    can_open_administration,
    can_use_portal,
    can_work_in_bodies,
    traeger_id_of,
)
from lotse.core.http import AuthenticatedRequest
from lotse.core.pagination import keyset_page
from lotse.core.viewutils import form_page, requires_permission
from lotse.directory.models import ContactPerson, InterviewGuide, Organisation
from lotse.portal import services, vcard
from lotse.portal.diagrams import flow_svg
from lotse.portal.forms import (
    ContactSearchForm,
    ProcessChainForm,
    ProcessStepForm,
    WorkingAidForm,
    WorkingAidVersionForm,
    branches_as_text,
)
from lotse.portal.models import ProcessChain, ProcessStep, WorkingAid, WorkingAidVersion
from lotse.portal.selectors import matching_organisation_ids

reader = requires_permission(can_use_portal)
editor = requires_permission(can_work_in_bodies)

CONTACTS_PAGE_SIZE = 25


def _path(name: str, fallback: str) -> str:
    """A page built elsewhere in this issue: its URL name once merged, its path until then."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


@reader
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "decisions_url": _path("portal:decisions", "/zusammenarbeit/beschluesse/"),
            "goals_url": _path("portal:goals", "/zusammenarbeit/ziele/"),
            "can_edit": can_work_in_bodies(request.user),
        },
    )


# -- contacts ---------------------------------------------------------------------------------


def _contact_search(request: AuthenticatedRequest) -> tuple[ContactSearchForm, Any]:
    traeger_id = traeger_id_of(request.user)
    form = ContactSearchForm(request.GET or None)
    query, kind = "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"] or "", form.cleaned_data["kind"] or ""
    organisations = Organisation.objects.filter(traeger_id=traeger_id)
    if query or kind:
        organisations = organisations.filter(
            pk__in=matching_organisation_ids(traeger_id=traeger_id, query=query, kind=kind)
        )
    organisations = organisations.select_related("municipality").prefetch_related(
        Prefetch("contacts", queryset=ContactPerson.objects.order_by("sort_order", "name", "pk"))
    )
    return form, organisations


@reader
@require_GET
def contacts(request: AuthenticatedRequest) -> HttpResponse:
    form, organisations = _contact_search(request)
    try:
        page = keyset_page(
            organisations,
            order=["name", "id"],
            cursor=request.GET.get("nach"),
            size=CONTACTS_PAGE_SIZE,
        )
    except ValueError as exc:
        raise Http404 from exc
    return render(
        request,
        "portal/contacts.html",
        {"form": form, "page": page, "query_string": request.GET.urlencode()},
    )


def _vcard_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{vcard.filename(name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _revised(request: AuthenticatedRequest) -> Any:
    return getattr(request.user.traeger, "config_loaded_at", None)


@reader
@require_GET
def contact_vcard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = (
        ContactPerson.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("organisation")
        .first()
    )
    if person is None:
        raise Http404
    return _vcard_response(vcard.person_card(person, revised=_revised(request)), person.name)


@reader
@require_GET
def organisation_vcard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    org = Organisation.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk).first()
    if org is None:
        raise Http404
    return _vcard_response(vcard.organisation_card(org, revised=_revised(request)), org.name)


@reader
@require_GET
def contacts_vcard(request: AuthenticatedRequest) -> HttpResponse:
    """All organisations and contact persons that the current search finds, as one file."""
    _form, organisations = _contact_search(request)
    text = vcard.directory_cards(organisations.order_by("name", "pk"), revised=_revised(request))
    return _vcard_response(text, "kontakte")


# -- working aids -----------------------------------------------------------------------------


def _aid(request: AuthenticatedRequest, pk: int) -> WorkingAid:
    aid = (
        WorkingAid.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("current_version", "field_of_action")
        .first()
    )
    if aid is None:
        raise Http404
    return aid


@reader
@require_GET
def aids(request: AuthenticatedRequest) -> HttpResponse:
    traeger_id = traeger_id_of(request.user)
    return render(
        request,
        "portal/aids.html",
        {
            "aids": WorkingAid.objects.filter(traeger_id=traeger_id)
            .select_related("current_version", "field_of_action")
            .order_by("title", "pk"),
            "guides": InterviewGuide.objects.filter(traeger_id=traeger_id).order_by(
                "sort_order", "name"
            ),
            "can_edit": can_work_in_bodies(request.user),
            "can_open_admin": can_open_administration(request.user),
        },
    )


@reader
@require_GET
def aid_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    aid = _aid(request, pk)
    return render(
        request,
        "portal/aid_detail.html",
        {
            "aid": aid,
            "versions": aid.versions.select_related("uploaded_by").order_by("-number"),
            "can_edit": can_work_in_bodies(request.user),
        },
    )


@editor
@require_http_methods(["GET", "POST"])
def aid_create(request: AuthenticatedRequest) -> HttpResponseBase:
    form = WorkingAidForm(
        request.POST or None, request.FILES or None, traeger_id=traeger_id_of(request.user)
    )

    def save(data: dict[str, Any]) -> HttpResponseBase:
        aid = services.create_aid(user=request.user, data=data)
        messages.success(request, _("The working aid was saved."))
        return redirect("portal:aid_detail", pk=aid.pk)

    return form_page(request, "portal/aid_form.html", {}, form=form, on_valid=save)


@editor
@require_http_methods(["GET", "POST"])
def aid_version_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    aid = _aid(request, pk)
    form = WorkingAidVersionForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> HttpResponseBase:
        version = services.add_version(user=request.user, aid=aid, data=data)
        messages.success(request, _("Version {number} was saved.").format(number=version.number))
        return redirect("portal:aid_detail", pk=aid.pk)

    return form_page(
        request, "portal/aid_version_form.html", {"aid": aid}, form=form, on_valid=save
    )


@reader
@require_GET
def aid_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    version = (
        WorkingAidVersion.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("aid")
        .first()
    )
    if version is None:
        raise Http404
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file_name,
        # Only the types an upload may have; anything else is served as plain bytes.
        content_type=version.mime_type
        if version.mime_type in {t.mime for t in services.ALLOWED_TYPES.values()}
        else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- process chains ---------------------------------------------------------------------------


def _chain(request: AuthenticatedRequest, pk: int) -> ProcessChain:
    chain = (
        ProcessChain.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("field_of_action")
        .first()
    )
    if chain is None:
        raise Http404
    return chain


def _steps(chain: ProcessChain) -> list[ProcessStep]:
    return list(chain.steps.select_related("responsible_organisation").order_by("order", "pk"))


@reader
@require_GET
def chains(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "portal/chains.html",
        {
            "chains": ProcessChain.objects.filter(traeger_id=traeger_id_of(request.user))
            .select_related("field_of_action")
            .prefetch_related("steps")
            .order_by("sort_order", "title"),
            "can_edit": can_work_in_bodies(request.user),
        },
    )


@reader
@require_GET
def chain_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    chain = _chain(request, pk)
    steps = _steps(chain)
    titles = {step.key: (number, step.title) for number, step in enumerate(steps, start=1)}
    rows = [
        {
            "step": step,
            "branches": [
                {
                    "number": titles[b["step"]][0],
                    "title": titles[b["step"]][1],
                    "condition": b.get("condition", ""),
                }
                for b in step.next_steps
                if b.get("step") in titles
            ],
        }
        for step in steps
    ]
    description = _("Flow diagram of the process chain with {count} steps.").format(
        count=len(steps)
    )
    return render(
        request,
        "portal/chain_detail.html",
        {
            "chain": chain,
            "rows": rows,
            "svg": flow_svg(steps, title=chain.title, description=description),
            "can_edit": can_work_in_bodies(request.user),
        },
    )


@editor
@require_http_methods(["GET", "POST"])
def chain_edit(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    chain = _chain(request, pk)
    initial = {
        "title": chain.title,
        "target_group": chain.target_group,
        "description": chain.description,
        "field_of_action": chain.field_of_action_id,
    }
    form = ProcessChainForm(
        request.POST or None, initial=initial, traeger_id=traeger_id_of(request.user)
    )

    def save(data: dict[str, Any]) -> HttpResponseBase:
        services.save_chain(chain=chain, data=data)
        messages.success(request, _("The process chain was saved."))
        return redirect("portal:chain_detail", pk=chain.pk)

    return form_page(
        request,
        "portal/chain_form.html",
        {"chain": chain, "steps": _steps(chain)},
        form=form,
        on_valid=save,
    )


def _step_page(
    request: AuthenticatedRequest, chain: ProcessChain, step: ProcessStep | None
) -> HttpResponseBase:
    steps = _steps(chain)
    initial: dict[str, Any] = {}
    if step is not None:
        initial = {
            "title": step.title,
            "responsible_organisation": step.responsible_organisation_id,
            "responsible_text": step.responsible_text,
            "deadline": step.deadline,
            "description": step.description,
            "next_steps": branches_as_text(step, steps),
        }
    form = ProcessStepForm(
        request.POST or None,
        initial=initial,
        traeger_id=traeger_id_of(request.user),
        steps=[s for s in steps if step is None or s.pk != step.pk],
    )

    def save(data: dict[str, Any]) -> HttpResponseBase:
        services.save_step(chain=chain, step=step, data=data)
        messages.success(request, _("The step was saved."))
        return redirect("portal:chain_edit", pk=chain.pk)

    return form_page(
        request,
        "portal/step_form.html",
        {"chain": chain, "step": step},
        form=form,
        on_valid=save,
    )


@editor
@require_http_methods(["GET", "POST"])
def step_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _step_page(request, _chain(request, pk), None)


def _step(request: AuthenticatedRequest, pk: int) -> ProcessStep:
    step = (
        ProcessStep.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("chain")
        .first()
    )
    if step is None:
        raise Http404
    return step


@editor
@require_http_methods(["GET", "POST"])
def step_edit(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    step = _step(request, pk)
    return _step_page(request, step.chain, step)


@editor
@require_POST
def step_move(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    step = _step(request, pk)
    services.move_step(
        step=step, direction="up" if request.POST.get("direction") == "up" else "down"
    )
    return redirect("portal:chain_edit", pk=step.chain_id)


@editor
@require_POST
def step_delete(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    step = _step(request, pk)
    chain_id = step.chain_id
    services.delete_step(step=step)
    messages.success(request, _("The step was removed."))
    return redirect("portal:chain_edit", pk=chain_id)
