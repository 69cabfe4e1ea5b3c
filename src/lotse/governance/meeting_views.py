"""HTML views of the bodies' working level (Servicestelle only): parse, authorise, call, render.

Every object is loaded inside the user's Träger (404 otherwise); the role check is
``can_work_in_bodies`` (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.conferences.selectors import settings_for
from lotse.core.access import can_work_in_bodies, not_found, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.pagination import KeysetPage, keyset_page
from lotse.core.viewutils import add_service_errors, render_invalid, requires_permission
from lotse.directory.models import Body, BodyMembership
from lotse.governance import meetings as services
from lotse.governance.ics import ics_for_meeting
from lotse.governance.meeting_forms import (
    ActionItemForm,
    ActionStatusForm,
    CancelMeetingForm,
    DocumentForm,
    ItemForm,
    MandateForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    QualityNeedForm,
)
from lotse.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    MeetingState,
)

needs_bodies = requires_permission(can_work_in_bodies)

#: The overview's groups, in the seed's order (5.1).
KIND_ORDER = [
    Body.Kind.STEERING,
    Body.Kind.WORKING_CIRCLE,
    Body.Kind.WORKING_GROUP,
    Body.Kind.QUALITY_CIRCLE,
    Body.Kind.OTHER,
]


def _get(model: type[Any], request: AuthenticatedRequest, pk: int, **related: Any) -> Any:
    row = (
        model.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related(*related.get("select", ()))
        .first()
    )
    if row is None:
        raise not_found()
    return row


def _post(
    request: AuthenticatedRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    success: HttpResponseBase,
    page: Callable[[], tuple[str, dict[str, Any]]],
    form_name: str,
) -> HttpResponseBase:
    """Validate, call the service, redirect; errors come back on the page with 422."""
    if form.is_valid():
        try:
            call(dict(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return success
    template, context = page()
    context[form_name] = form
    return render_invalid(request, template, context)


def _page(queryset: Any, order: list[str], cursor: str | None, size: int = 25) -> KeysetPage:
    try:
        return keyset_page(queryset, order=order, cursor=cursor, size=size)
    except ValueError:  # a tampered cursor: start at the first page
        return keyset_page(queryset, order=order, cursor=None, size=size)


def _simple(request: AuthenticatedRequest, call: Callable[[], Any], done: str) -> None:
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


# -- overview and bodies ------------------------------------------------------------------------


@needs_bodies
def overview(request: AuthenticatedRequest) -> HttpResponse:
    traeger_id = traeger_id_of(request.user)
    bodies = list(
        Body.objects.filter(traeger_id=traeger_id).select_related("field_of_action", "mandated_by")
    )
    labels = dict(Body.Kind.choices)
    # Working circles one per field of action, in the fields' order.
    bodies.sort(
        key=lambda b: (
            b.field_of_action.sort_order if b.field_of_action else 10**6,
            b.sort_order,
            b.name,
        )
    )
    groups = [
        {"kind": kind, "label": labels[kind], "bodies": [b for b in bodies if b.kind == kind]}
        for kind in KIND_ORDER
    ]
    return render(
        request,
        "governance/overview.html",
        {
            "groups": [g for g in groups if g["bodies"]],
            "upcoming": list(services.upcoming_meetings(traeger_id)[:20]),
            "open_items": _page(
                ActionItem.objects.filter(
                    traeger_id=traeger_id, status=ActionItem.Status.OPEN
                ).select_related("meeting__body", "responsible_organisation"),
                ["due_on", "id"],
                request.GET.get("cursor"),
            ),
        },
    )


def _body_context(request: AuthenticatedRequest, body: Body, **forms_: Any) -> dict[str, Any]:
    traeger_id = body.traeger_id
    members = list(
        body.memberships.select_related(
            "organisation", "contact__organisation", "deputy__organisation"
        ).order_by("sort_order", "id")
    )
    return {
        "body": body,
        "members": [
            {
                "member": m,
                "app": m.key.startswith(services.APP_KEY),
                "form": forms_["changed"][1]
                if forms_.get("changed") and forms_["changed"][0] == m.pk
                else MemberForm(
                    traeger_id=traeger_id,
                    prefix=f"m{m.pk}",
                    initial={
                        "organisation": m.organisation_id,
                        "label": m.label,
                        "contact": m.contact_id,
                        "hierarchy_level": m.hierarchy_level,
                        "deputy": m.deputy_id,
                    },
                ),
            }
            for m in members
        ],
        "member_form": forms_.get("member_form") or MemberForm(traeger_id=traeger_id),
        "mandate_form": forms_.get("mandate_form")
        or MandateForm(
            body=body,
            initial={
                "mandated_by": body.mandated_by_id,
                "task": body.task,
                "ends_on": body.ends_on,
            },
        ),
        "meetings": _page(
            body.meetings.filter(traeger_id=traeger_id),
            ["-starts_at", "-id"],
            request.GET.get("nach"),
        ),
        "is_group": body.kind == Body.Kind.WORKING_GROUP,
    }


@needs_bodies
def body_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    body = _get(Body, request, pk, select=("field_of_action", "mandated_by"))
    return render(request, "governance/body.html", _body_context(request, body))


@needs_bodies
@require_POST
def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    body = _get(Body, request, pk)
    form = MemberForm(request.POST, traeger_id=body.traeger_id)
    return _post(
        request,
        form,
        lambda d: services.member_add(actor=request.user, body=body, request=request, **d),
        done=_("The member has been added."),
        success=redirect("governance:body", body.pk),
        page=lambda: ("governance/body.html", _body_context(request, body)),
        form_name="member_form",
    )


@needs_bodies
@require_POST
def member_change(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponseBase:
    body = _get(Body, request, pk)
    member = body.memberships.filter(pk=member_pk).first()
    if member is None:
        raise not_found()
    form = MemberForm(request.POST, traeger_id=body.traeger_id, prefix=f"m{member.pk}")
    return _post(
        request,
        form,
        lambda d: services.member_change(
            actor=request.user, member=member, request=request, role=member.role, **d
        ),
        done=_("The member has been changed."),
        success=redirect("governance:body", body.pk),
        # The errors stay at the member's own form (not the "add a member" form).
        page=lambda: (
            "governance/body.html",
            _body_context(request, body, changed=(member.pk, form)),
        ),
        form_name="changed_member_form",
    )


@needs_bodies
@require_POST
def member_remove(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    body = _get(Body, request, pk)
    member = BodyMembership.objects.filter(body=body, pk=member_pk).first()
    if member is None:
        raise not_found()
    _simple(
        request,
        lambda: services.member_remove(actor=request.user, member=member, request=request),
        _("The member has been removed."),
    )
    return redirect("governance:body", body.pk)


@needs_bodies
@require_POST
def body_mandate(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    body = _get(Body, request, pk)
    form = MandateForm(request.POST, body=body)
    return _post(
        request,
        form,
        lambda d: services.body_mandate_change(actor=request.user, body=body, request=request, **d),
        done=_("The mandate has been saved."),
        success=redirect("governance:body", body.pk),
        page=lambda: ("governance/body.html", _body_context(request, body)),
        form_name="mandate_form",
    )


@needs_bodies
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    body = _get(Body, request, pk)
    if request.method != "POST":
        form = MeetingForm()
        return render(request, "governance/meeting_form.html", {"body": body, "form": form})
    form = MeetingForm(request.POST)
    created: list[Meeting] = []

    def call(data: dict[str, Any]) -> None:
        created.append(
            services.meeting_create(actor=request.user, body=body, request=request, **data)
        )

    if form.is_valid():
        try:
            call(dict(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been created."))
            return redirect("governance:meeting", created[0].pk)
    return render_invalid(request, "governance/meeting_form.html", {"body": body, "form": form})


# -- a meeting ----------------------------------------------------------------------------------


def _meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    meeting: Meeting = _get(Meeting, request, pk, select=("body", "minutes_approved_by"))
    return meeting


def _meeting_context(meeting: Meeting, **forms_: Any) -> dict[str, Any]:
    items = list(
        meeting.items.order_by("position", "id").prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("id"))
        )
    )
    return {
        "meeting": meeting,
        "items": items,
        "attendance": list(
            meeting.attendance.select_related("organisation", "membership__deputy").order_by("id")
        ),
        "statuses": Attendance.Status.choices,
        "documents": list(meeting.documents.filter(item__isnull=True).order_by("id")),
        "editable": meeting.state in services.EDITABLE,
        "planned": meeting.state == MeetingState.PLANNED,
        "recording": meeting.state
        in (MeetingState.PLANNED, MeetingState.INVITED, MeetingState.HELD),
        "held": meeting.state == MeetingState.HELD,
        "meeting_form": forms_.get("meeting_form")
        or MeetingForm(
            initial={
                "title": meeting.title,
                "starts_at": timezone.localtime(meeting.starts_at),
                "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
                "location": meeting.location,
                "video_link": meeting.video_link,
                "public": meeting.public,
            }
        ),
        "item_form": forms_.get("item_form") or ItemForm(),
        "document_form": forms_.get("document_form") or DocumentForm(),
        "cancel_form": forms_.get("cancel_form") or CancelMeetingForm(),
    }


@needs_bodies
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "governance/meeting.html", _meeting_context(meeting))


def _meeting_post(
    request: AuthenticatedRequest,
    meeting: Meeting,
    form: forms.Form,
    form_name: str,
    call: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponseBase:
    return _post(
        request,
        form,
        call,
        done=done,
        success=redirect("governance:meeting", meeting.pk),
        page=lambda: ("governance/meeting.html", _meeting_context(meeting)),
        form_name=form_name,
    )


@needs_bodies
@require_POST
def meeting_change(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    return _meeting_post(
        request,
        meeting,
        MeetingForm(request.POST),
        "meeting_form",
        lambda d: services.meeting_change(
            actor=request.user, meeting=meeting, request=request, **d
        ),
        _("The meeting has been changed. Send the invitations again to update the calendars."),
    )


@needs_bodies
@require_POST
def item_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    return _meeting_post(
        request,
        meeting,
        ItemForm(request.POST),
        "item_form",
        lambda d: services.item_add(actor=request.user, meeting=meeting, request=request, **d),
        _("The item has been added."),
    )


@needs_bodies
@require_POST
def document_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    item = None
    item_pk = request.POST.get("item", "")
    if item_pk.isdigit():
        item = meeting.items.filter(pk=int(item_pk)).first()
        if item is None:
            raise not_found()
    form = DocumentForm(request.POST, request.FILES)

    def call(data: dict[str, Any]) -> None:
        services.document_add(
            actor=request.user,
            meeting=meeting,
            item=item,
            upload=data["file"],
            title=data["title"],
            public=data["public"],
            request=request,
        )

    if item is not None:
        return _post(
            request,
            form,
            call,
            done=_("The document has been uploaded."),
            success=redirect("governance:item", item.pk),
            page=lambda: ("governance/meeting_item.html", _item_context(item)),
            form_name="document_form",
        )
    return _meeting_post(
        request, meeting, form, "document_form", call, _("The document has been uploaded.")
    )


@needs_bodies
@require_POST
def attendance_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    rows = {
        row.pk: (
            request.POST.get(f"status_{row.pk}", row.status),
            request.POST.get(f"deputy_{row.pk}", "")[:200],
        )
        for row in meeting.attendance.all()
    }
    _simple(
        request,
        lambda: services.attendance_record(
            actor=request.user, meeting=meeting, rows=rows, request=request
        ),
        _("The attendance has been saved."),
    )
    return redirect("governance:meeting", meeting.pk)


@needs_bodies
@require_POST
def meeting_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        count = services.meeting_invite(actor=request.user, meeting=meeting, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Invitations sent: %(count)d.") % {"count": count})
    return redirect("governance:meeting", meeting.pk)


@needs_bodies
@require_POST
def meeting_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    meeting = _meeting(request, pk)
    return _meeting_post(
        request,
        meeting,
        CancelMeetingForm(request.POST),
        "cancel_form",
        lambda d: services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=d["reason"], request=request
        ),
        _("The meeting has been cancelled."),
    )


@needs_bodies
@require_POST
def meeting_held(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _simple(
        request,
        lambda: services.meeting_mark_held(actor=request.user, meeting=meeting, request=request),
        _("The meeting is recorded as held."),
    )
    return redirect("governance:meeting", meeting.pk)


@needs_bodies
@require_POST
def meeting_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _simple(
        request,
        lambda: services.meeting_approve_minutes(
            actor=request.user, meeting=meeting, request=request
        ),
        _("The minutes have been approved; the meeting's decisions are published."),
    )
    return redirect("governance:meeting", meeting.pk)


@needs_bodies
def meeting_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    method = "CANCEL" if meeting.state == MeetingState.CANCELLED else "REQUEST"
    rows = [row for row in meeting.attendance.all() if row.email]
    response = HttpResponse(
        ics_for_meeting(meeting, rows, method=method),
        content_type=f"text/calendar; charset=utf-8; method={method}",
    )
    response["Content-Disposition"] = f'attachment; filename="sitzung-{meeting.pk}.ics"'
    return response


@needs_bodies
def document_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    document: Document = _get(Document, request, pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name,
        content_type=document.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- an agenda item -----------------------------------------------------------------------------


def _item(request: AuthenticatedRequest, pk: int) -> AgendaItem:
    item: AgendaItem = _get(AgendaItem, request, pk, select=("meeting__body",))
    return item


def _carried(item: AgendaItem) -> QuerySet[ActionItem]:
    return item.carried_action_items.select_related("meeting", "responsible_organisation").order_by(
        "due_on", "id"
    )


def _item_context(item: AgendaItem, **forms_: Any) -> dict[str, Any]:
    meeting = item.meeting
    traeger_id = item.traeger_id
    quality = meeting.body.kind == Body.Kind.QUALITY_CIRCLE
    return {
        "item": item,
        "meeting": meeting,
        "editable": meeting.state in services.EDITABLE,
        "planned": meeting.state == MeetingState.PLANNED,
        "recording": meeting.state
        in (MeetingState.PLANNED, MeetingState.INVITED, MeetingState.HELD),
        "carried": list(_carried(item)) if item.kind == AgendaItem.Kind.ACTION_ITEMS else [],
        "action_items": list(
            item.action_items.select_related("responsible_organisation").order_by("id")
        ),
        "documents": list(item.documents.order_by("id")),
        "status_choices": ActionItem.Status.choices,
        "item_form": forms_.get("item_form")
        or ItemForm(
            initial={"title": item.title, "presenter": item.presenter, "public": item.public}
        ),
        "minutes_form": forms_.get("minutes_form")
        or MinutesForm(initial={"minutes": item.minutes}),
        "action_form": forms_.get("action_form") or ActionItemForm(traeger_id=traeger_id),
        "document_form": forms_.get("document_form") or DocumentForm(),
        "quality": quality,
        "need_form": (forms_.get("need_form") or _need_form(None, item)) if quality else None,
    }


def _need_form(data: Any, item: AgendaItem) -> QualityNeedForm:
    settings = settings_for(item.traeger_id)
    return QualityNeedForm(
        data,
        traeger_id=item.traeger_id,
        categories=settings.barrier_categories if settings else [],
    )


def _item_post(
    request: AuthenticatedRequest,
    item: AgendaItem,
    form: forms.Form,
    form_name: str,
    call: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponseBase:
    return _post(
        request,
        form,
        call,
        done=done,
        success=redirect("governance:item", item.pk),
        page=lambda: ("governance/meeting_item.html", _item_context(item)),
        form_name=form_name,
    )


@needs_bodies
def item_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return render(request, "governance/meeting_item.html", _item_context(item))


@needs_bodies
@require_POST
def item_change(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item = _item(request, pk)
    return _item_post(
        request,
        item,
        ItemForm(request.POST),
        "item_form",
        lambda d: services.item_change(actor=request.user, item=item, request=request, **d),
        _("The item has been changed."),
    )


@needs_bodies
@require_POST
def item_minutes(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item = _item(request, pk)
    return _item_post(
        request,
        item,
        MinutesForm(request.POST),
        "minutes_form",
        lambda d: services.item_minutes(
            actor=request.user, item=item, minutes=d["minutes"], request=request
        ),
        _("The minutes have been saved."),
    )


@needs_bodies
@require_POST
def item_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    up = request.POST.get("direction") != "down"
    _simple(
        request,
        lambda: services.item_move(actor=request.user, item=item, up=up, request=request),
        _("The agenda has been reordered."),
    )
    return redirect("governance:meeting", item.meeting_id)


@needs_bodies
@require_POST
def item_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    meeting_pk = item.meeting_id
    _simple(
        request,
        lambda: services.item_remove(actor=request.user, item=item, request=request),
        _("The item has been removed."),
    )
    return redirect("governance:meeting", meeting_pk)


@needs_bodies
@require_POST
def action_item_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item = _item(request, pk)
    return _item_post(
        request,
        item,
        ActionItemForm(request.POST, traeger_id=item.traeger_id),
        "action_form",
        lambda d: services.action_item_add(actor=request.user, item=item, request=request, **d),
        _("The action item has been recorded."),
    )


@needs_bodies
@require_POST
def action_item_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row: ActionItem = _get(ActionItem, request, pk)
    form = ActionStatusForm(request.POST)
    back = request.POST.get("item", "")
    if form.is_valid():
        _simple(
            request,
            lambda: services.action_item_set_status(
                actor=request.user,
                action_item=row,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                request=request,
            ),
            _("The status of the action item has been changed."),
        )
    else:
        messages.error(request, _("Please choose a status."))
    if (
        back.isdigit()
        and AgendaItem.objects.filter(traeger_id=row.traeger_id, pk=int(back)).exists()
    ):
        return redirect("governance:item", int(back))
    return redirect("governance:overview")


@needs_bodies
@require_POST
def quality_need_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item = _item(request, pk)
    if item.meeting.body.kind != Body.Kind.QUALITY_CIRCLE:
        raise not_found()
    return _item_post(
        request,
        item,
        _need_form(request.POST, item),
        "need_form",
        lambda d: services.quality_need_add(actor=request.user, item=item, request=request, **d),
        _("The optimisation need has been saved."),
    )
