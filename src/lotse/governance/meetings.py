"""Services of the bodies' working level: members, meetings, agenda, minutes, action items.

Every function checks ``can_work_in_bodies`` and the actor's Träger, runs in one transaction and
writes an audit entry. Members added in the app get keys prefixed ``app-`` (:data:`APP_KEY`):
the configuration loader never prunes or overwrites them (see ``directory.config.loader``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core.access import can_work_in_bodies
from lotse.directory.models import (
    APP_KEY_PREFIX,
    Body,
    BodyMembership,
    ContactPerson,
    FieldOfAction,
    Organisation,
)
from lotse.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    Document,
    Meeting,
    MeetingState,
)

#: Key prefix of members the Servicestelle added in the app (never pruned by a config reload).
APP_KEY = APP_KEY_PREFIX
#: Upload limit for meeting documents.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
#: Meetings in these states can still change their agenda.
EDITABLE = (MeetingState.PLANNED, MeetingState.INVITED)


def _check(actor: Any, *objects: Any) -> int:
    if not can_work_in_bodies(actor):
        raise PermissionDenied
    traeger_id = int(actor.traeger_id)
    for obj in objects:
        if obj is not None and obj.traeger_id != traeger_id:
            raise PermissionDenied
    return traeger_id


def _audit(actor: Any, action: str, kind: str, pk: Any, request: Any, detail: str = "") -> None:
    audit_log(
        user=actor,
        action=action,
        object_type=kind,
        object_id=pk,
        request=request,
        detail=detail,
    )


# -- members ------------------------------------------------------------------------------------


def _member_values(
    traeger_id: int,
    organisation: Organisation | None,
    contact: ContactPerson | None,
    deputy: ContactPerson | None,
) -> None:
    errors: dict[str, str] = {}
    for name, value in (("organisation", organisation), ("contact", contact), ("deputy", deputy)):
        if value is not None and value.traeger_id != traeger_id:
            errors[name] = _("This entry does not belong to your Träger.")
    if contact is not None and deputy is not None and contact.pk == deputy.pk:
        errors["deputy"] = _("The deputy must be another person.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_add(
    *,
    actor: Any,
    body: Body,
    organisation: Organisation | None,
    label: str,
    contact: ContactPerson | None = None,
    hierarchy_level: str = "",
    deputy: ContactPerson | None = None,
    role: str = "",
    request: Any = None,
) -> BodyMembership:
    traeger_id = _check(actor, body)
    _member_values(traeger_id, organisation, contact, deputy)
    label = label.strip() or str(organisation or contact or "")
    if not label:
        raise ValidationError({"label": _("Please name the member.")})
    position = body.memberships.aggregate(m=Max("sort_order"))["m"]
    member = BodyMembership.objects.create(
        traeger_id=traeger_id,
        key=f"{APP_KEY}{uuid.uuid4().hex[:20]}",
        body=body,
        organisation=organisation,
        label=label,
        role=role.strip(),
        contact=contact,
        hierarchy_level=hierarchy_level.strip(),
        deputy=deputy,
        sort_order=(position or 0) + 1,
    )
    _audit(actor, "create", "body_membership", member.pk, request)
    return member


@transaction.atomic
def member_change(
    *,
    actor: Any,
    member: BodyMembership,
    organisation: Organisation | None,
    label: str,
    contact: ContactPerson | None,
    hierarchy_level: str,
    deputy: ContactPerson | None,
    role: str = "",
    request: Any = None,
) -> BodyMembership:
    traeger_id = _check(actor, member)
    _member_values(traeger_id, organisation, contact, deputy)
    member.organisation = organisation
    member.label = label.strip() or member.label
    member.contact = contact
    member.hierarchy_level = hierarchy_level.strip()
    member.deputy = deputy
    member.role = role.strip()
    member.save()
    _audit(actor, "change", "body_membership", member.pk, request)
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: BodyMembership, request: Any = None) -> None:
    _check(actor, member)
    if not member.key.startswith(APP_KEY):
        raise ValidationError(
            _(
                "This member comes from the configuration file; remove it there, otherwise the "
                "next reload adds it again."
            )
        )
    pk = member.pk
    member.delete()
    _audit(actor, "delete", "body_membership", pk, request)


@transaction.atomic
def body_mandate_change(
    *,
    actor: Any,
    body: Body,
    mandated_by: Body | None,
    task: str,
    ends_on: dt.date | None,
    request: Any = None,
) -> Body:
    _check(actor, body, mandated_by)
    if mandated_by is not None and mandated_by.pk == body.pk:
        raise ValidationError({"mandated_by": _("A body cannot mandate itself.")})
    body.mandated_by = mandated_by
    body.task = task.strip()
    body.ends_on = ends_on
    body.save(update_fields=["mandated_by", "task", "ends_on"])
    _audit(actor, "change", "body", body.pk, request)
    return body


# -- meetings -----------------------------------------------------------------------------------


def default_title(body: Body, starts_at: dt.datetime) -> str:
    day = date_format(timezone.localtime(starts_at).date(), "d.m.Y")
    return _("%(body)s – meeting on %(date)s") % {"body": body.name, "date": day}


def _validate_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the beginning.")})


def _next_position(meeting: Meeting) -> int:
    position = meeting.items.aggregate(m=Max("position"))["m"]
    return (position or 0) + 1


def renumber(meeting: Meeting) -> None:
    for index, item in enumerate(meeting.items.order_by("position", "id"), start=1):
        if item.position != index or item.number != str(index):
            item.position = index
            item.number = str(index)
            item.save(update_fields=["position", "number", "updated_at"])


def open_action_items(body: Body, *, before: Meeting | None = None) -> Any:
    rows = ActionItem.objects.filter(
        traeger_id=body.traeger_id, meeting__body=body, status=ActionItem.Status.OPEN
    )
    if before is not None:
        rows = rows.exclude(meeting=before).filter(meeting__starts_at__lt=before.starts_at)
    return rows.select_related("meeting", "responsible_organisation").order_by("due_on", "id")


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    body: Body,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    title: str = "",
    location: str = "",
    video_link: str = "",
    public: bool = False,
    request: Any = None,
) -> Meeting:
    """A new meeting: attendance from the members, open action items carried onto the agenda."""
    traeger_id = _check(actor, body)
    _validate_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        traeger_id=traeger_id,
        body=body,
        title=title.strip() or default_title(body, starts_at),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        video_link=video_link,
        public=public,
        ical_uid=f"sitzung-{uuid.uuid4()}@lotse",
        created_by=actor,
    )
    members = body.memberships.select_related("contact", "organisation").order_by(
        "sort_order", "id"
    )
    Attendance.objects.bulk_create(
        Attendance(
            traeger_id=traeger_id,
            meeting=meeting,
            membership=member,
            organisation=member.organisation,
            name=member.contact.name if member.contact else "",
            email=(member.contact.email if member.contact else "")
            or (member.organisation.email if member.organisation and not member.contact else ""),
        )
        for member in members
    )
    carry_over(meeting)
    _audit(actor, "create", "meeting", meeting.pk, request)
    return meeting


def carry_over(meeting: Meeting) -> AgendaItem | None:
    """Every open action item of the body's earlier meetings onto one item of this agenda."""
    rows = list(open_action_items(meeting.body, before=meeting))
    if not rows:
        return None
    item = meeting.items.filter(kind=AgendaItem.Kind.ACTION_ITEMS).first()
    if item is None:
        item = AgendaItem.objects.create(
            traeger_id=meeting.traeger_id,
            meeting=meeting,
            position=0,
            title=_("Open action items of earlier meetings"),
            kind=AgendaItem.Kind.ACTION_ITEMS,
        )
        renumber(meeting)
    for row in rows:
        row.carried_into.add(item)
    return item


@transaction.atomic
def meeting_change(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    location: str,
    video_link: str,
    public: bool,
    request: Any = None,
) -> Meeting:
    _check(actor, meeting)
    if meeting.state not in EDITABLE:
        raise ValidationError(_("Only a planned meeting can be changed."))
    _validate_times(starts_at, ends_at)
    meeting.title = title.strip() or default_title(meeting.body, starts_at)
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.location = location.strip()
    meeting.video_link = video_link
    meeting.public = public
    meeting.save()
    _audit(actor, "change", "meeting", meeting.pk, request)
    return meeting


def _editable(meeting: Meeting) -> None:
    if meeting.state not in EDITABLE:
        raise ValidationError(_("The agenda of a meeting held or cancelled cannot be changed."))


@transaction.atomic
def item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    presenter: str = "",
    public: bool = False,
    request: Any = None,
) -> AgendaItem:
    _check(actor, meeting)
    _editable(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Please enter a title.")})
    item = AgendaItem.objects.create(
        traeger_id=meeting.traeger_id,
        meeting=meeting,
        position=_next_position(meeting),
        title=title.strip(),
        presenter=presenter.strip(),
        public=public,
    )
    renumber(meeting)
    _audit(actor, "create", "agenda_item", item.pk, request)
    return item


@transaction.atomic
def item_change(
    *,
    actor: Any,
    item: AgendaItem,
    title: str,
    presenter: str,
    public: bool,
    request: Any = None,
) -> AgendaItem:
    _check(actor, item)
    if item.meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("The meeting has been cancelled."))
    if not title.strip():
        raise ValidationError({"title": _("Please enter a title.")})
    item.title = title.strip()
    item.presenter = presenter.strip()
    item.public = public
    item.save()
    _audit(actor, "change", "agenda_item", item.pk, request)
    return item


@transaction.atomic
def item_move(*, actor: Any, item: AgendaItem, up: bool, request: Any = None) -> None:
    _check(actor, item)
    _editable(item.meeting)
    renumber(item.meeting)
    items = list(item.meeting.items.order_by("position", "id"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            row.number = str(position)
            row.save(update_fields=["position", "number", "updated_at"])
    _audit(actor, "change", "agenda_item", item.pk, request, "move")


@transaction.atomic
def item_remove(*, actor: Any, item: AgendaItem, request: Any = None) -> None:
    _check(actor, item)
    meeting = item.meeting
    if meeting.state != MeetingState.PLANNED:
        raise ValidationError(_("Items can only be removed while the meeting is planned."))
    if item.decisions.exists() or item.consultations.exists():
        raise ValidationError(_("This item carries a Beschlussvorlage and cannot be removed."))
    pk = item.pk
    item.delete()
    renumber(meeting)
    _audit(actor, "delete", "agenda_item", pk, request)


@transaction.atomic
def item_minutes(*, actor: Any, item: AgendaItem, minutes: str, request: Any = None) -> None:
    _check(actor, item)
    if item.meeting.state in (MeetingState.CANCELLED, MeetingState.MINUTES_APPROVED):
        raise ValidationError(_("The minutes of this meeting can no longer be changed."))
    item.minutes = minutes.strip()
    item.save(update_fields=["minutes", "updated_at"])
    _audit(actor, "change", "agenda_item", item.pk, request, "minutes")


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    meeting: Meeting,
    rows: dict[int, tuple[str, str]],
    request: Any = None,
) -> None:
    """``rows``: attendance pk → (status, deputy name)."""
    _check(actor, meeting)
    if meeting.state in (MeetingState.CANCELLED, MeetingState.MINUTES_APPROVED):
        raise ValidationError(_("The attendance of this meeting can no longer be changed."))
    for row in meeting.attendance.all():
        if row.pk not in rows:
            continue
        status, deputy = rows[row.pk]
        if status not in Attendance.Status.values:
            raise ValidationError(_("Unknown attendance status."))
        if status == Attendance.Status.DEPUTY and not deputy.strip():
            deputy = row.membership.deputy.name if row.membership and row.membership.deputy else ""
        row.status = status
        row.deputy_name = deputy.strip() if status == Attendance.Status.DEPUTY else ""
        row.save(update_fields=["status", "deputy_name"])
    _audit(actor, "change", "meeting", meeting.pk, request, "attendance")


@transaction.atomic
def attendance_add(
    *,
    actor: Any,
    meeting: Meeting,
    organisation: Organisation | None,
    name: str,
    email: str = "",
    request: Any = None,
) -> Attendance:
    traeger_id = _check(actor, meeting, organisation)
    if not name.strip() and organisation is None:
        raise ValidationError({"name": _("Please name the person or the organisation.")})
    row = Attendance.objects.create(
        traeger_id=traeger_id,
        meeting=meeting,
        organisation=organisation,
        name=name.strip(),
        email=email.strip(),
    )
    _audit(actor, "create", "attendance", row.pk, request)
    return row


# -- action items -------------------------------------------------------------------------------


@transaction.atomic
def action_item_add(
    *,
    actor: Any,
    item: AgendaItem,
    text: str,
    responsible_organisation: Organisation | None = None,
    responsible_name: str = "",
    due_on: dt.date | None = None,
    request: Any = None,
) -> ActionItem:
    traeger_id = _check(actor, item, responsible_organisation)
    if item.meeting.state in (MeetingState.CANCELLED, MeetingState.MINUTES_APPROVED):
        raise ValidationError(_("The minutes of this meeting can no longer be changed."))
    if not text.strip():
        raise ValidationError({"text": _("Please describe the action item.")})
    row = ActionItem.objects.create(
        traeger_id=traeger_id,
        meeting=item.meeting,
        item=item,
        text=text.strip(),
        responsible_organisation=responsible_organisation,
        responsible_name=responsible_name.strip(),
        due_on=due_on,
    )
    _audit(actor, "create", "action_item", row.pk, request)
    return row


@transaction.atomic
def action_item_set_status(
    *, actor: Any, action_item: ActionItem, status: str, note: str = "", request: Any = None
) -> ActionItem:
    _check(actor, action_item)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    action_item.status = status
    action_item.done_on = timezone.localdate() if status != ActionItem.Status.OPEN else None
    action_item.status_note = note.strip()
    action_item.save(update_fields=["status", "done_on", "status_note", "updated_at"])
    _audit(actor, "change", "action_item", action_item.pk, request, status)
    return action_item


# -- documents ----------------------------------------------------------------------------------


@transaction.atomic
def document_add(
    *,
    actor: Any,
    meeting: Meeting,
    upload: Any,
    title: str = "",
    item: AgendaItem | None = None,
    public: bool = False,
    request: Any = None,
) -> Document:
    traeger_id = _check(actor, meeting, item)
    if item is not None and item.meeting_id != meeting.pk:
        raise PermissionDenied
    name = str(upload.name).rsplit("/", 1)[-1]
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": _("Please upload a PDF, an Office document or an image (PNG, JPEG).")}
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    content = upload.read()
    document = Document(
        traeger_id=traeger_id,
        meeting=meeting,
        item=item,
        title=title.strip() or name,
        file_name=name,
        mime_type=ALLOWED_TYPES[suffix],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        public=public,
        uploaded_by=actor,
    )
    document.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content), save=False)
    document.save()
    _audit(actor, "create", "governance_document", document.pk, request)
    return document


# -- invitations and states ---------------------------------------------------------------------


def _recipients(meeting: Meeting) -> list[Attendance]:
    return [row for row in meeting.attendance.all() if row.email]


def meeting_invite(*, actor: Any, meeting: Meeting, request: Any = None) -> int:
    """Send (or send again after a change) the METHOD:REQUEST invitation to every member."""
    from lotse.governance.ics import send_meeting_mails

    _check(actor, meeting)
    if meeting.state not in EDITABLE:
        raise ValidationError(_("Invitations can only be sent for a planned meeting."))
    recipients = _recipients(meeting)
    if not recipients:
        raise ValidationError(_("No member has an e-mail address."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.invitations_sent_at is not None:
            meeting.ical_sequence += 1
        meeting.state = MeetingState.INVITED
        meeting.invitations_sent_at = timezone.now()
        meeting.save()
        _audit(actor, "change", "meeting", meeting.pk, request, "invite")
        transaction.on_commit(lambda: send_meeting_mails(meeting, recipients, method="REQUEST"))
    return len(recipients)


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str, request: Any = None) -> Meeting:
    from lotse.governance.ics import send_meeting_mails

    _check(actor, meeting)
    if meeting.state not in EDITABLE:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    was_invited = meeting.invitations_sent_at is not None
    meeting.state = MeetingState.CANCELLED
    meeting.cancelled_reason = reason.strip()
    if was_invited:
        meeting.ical_sequence += 1
    meeting.save()
    # Carried action items return to the pool for the next meeting.
    for item in meeting.items.filter(kind=AgendaItem.Kind.ACTION_ITEMS):
        item.carried_action_items.clear()
    _audit(actor, "change", "meeting", meeting.pk, request, "cancel")
    if was_invited:
        recipients = _recipients(meeting)
        transaction.on_commit(lambda: send_meeting_mails(meeting, recipients, method="CANCEL"))
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting: Meeting, request: Any = None) -> Meeting:
    _check(actor, meeting)
    if meeting.state not in EDITABLE:
        raise ValidationError(_("Only a planned meeting can be recorded as held."))
    meeting.state = MeetingState.HELD
    meeting.save()
    _audit(actor, "change", "meeting", meeting.pk, request, "held")
    return meeting


def minutes_html(meeting: Meeting) -> str:
    items = list(
        meeting.items.prefetch_related("action_items__responsible_organisation").order_by(
            "position", "id"
        )
    )
    attendance = list(meeting.attendance.select_related("organisation").order_by("id"))
    present = [
        row
        for row in attendance
        if row.status in (Attendance.Status.PRESENT, Attendance.Status.DEPUTY)
    ]
    return render_to_string(
        "governance/meeting_minutes_pdf.html",
        {
            "meeting": meeting,
            "items": items,
            "present": present,
            "excused": [row for row in attendance if row.status == Attendance.Status.EXCUSED],
        },
    )


def minutes_pdf(meeting: Meeting) -> bytes:
    from lotse.agreements.pdf import html_to_pdf

    return html_to_pdf(minutes_html(meeting))


@transaction.atomic
def meeting_approve_minutes(*, actor: Any, meeting: Meeting, request: Any = None) -> Meeting:
    """Protokoll genehmigen: the minutes PDF is stored, the meeting's decisions are published."""
    _check(actor, meeting)
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be approved."))
    now = timezone.now()
    meeting.state = MeetingState.MINUTES_APPROVED
    meeting.minutes_approved_at = now
    meeting.minutes_approved_by = actor
    meeting.save()
    _publish_decisions(meeting, now)
    pdf = minutes_pdf(meeting)
    document = Document(
        traeger_id=meeting.traeger_id,
        meeting=meeting,
        kind=Document.Kind.MINUTES,
        title=_("Minutes: %(title)s") % {"title": meeting.title},
        file_name=f"protokoll-{meeting.pk}.pdf",
        mime_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        public=meeting.public,
        uploaded_by=actor,
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    document.save()
    _audit(actor, "change", "meeting", meeting.pk, request, "minutes_approved")
    return meeting


def _publish_decisions(meeting: Meeting, now: Any) -> None:
    """The meeting's decisions go to every actor of the region (``published_at``); those taken
    on a public item of a public meeting are public (OParl) with their paper and its
    consultations on public items. Saving the rows moves their ``modified`` for mirrors."""
    decisions = Decision.objects.filter(
        traeger_id=meeting.traeger_id, item__meeting=meeting, published_at__isnull=True
    ).select_related("item", "paper")
    for decision in decisions:
        decision.published_at = now
        decision.public = bool(meeting.public and decision.item.public)
        decision.save(update_fields=["published_at", "public", "updated_at"])
        decision.item.save(update_fields=["updated_at"])
        if not decision.public:
            continue
        paper = decision.paper
        if not paper.public:
            paper.public = True
            paper.save(update_fields=["public", "updated_at"])
        for consultation in Consultation.objects.filter(
            traeger_id=meeting.traeger_id,
            paper=paper,
            public=False,
            item__public=True,
            item__meeting__public=True,
        ):
            consultation.public = True
            consultation.save(update_fields=["public", "updated_at"])


# -- Qualitätszirkel ----------------------------------------------------------------------------


@transaction.atomic
def quality_need_add(
    *,
    actor: Any,
    item: AgendaItem,
    field_of_action: FieldOfAction,
    category: str,
    description: str,
    organisations: Iterable[Organisation] = (),
    request: Any = None,
) -> Any:
    """An optimisation need found in a Qualitätszirkel: into the Servicestelle's queue."""
    from lotse.conferences.models import OptimisationNeed
    from lotse.conferences.selectors import settings_for

    traeger_id = _check(actor, item, field_of_action)
    body = item.meeting.body
    if body.kind != Body.Kind.QUALITY_CIRCLE:
        raise ValidationError(_("Optimisation needs are recorded here only by a quality circle."))
    organisations = list(organisations)
    if any(o.traeger_id != traeger_id for o in organisations):
        raise PermissionDenied
    settings = settings_for(traeger_id)
    keys = {c["key"] for c in (settings.barrier_categories if settings else [])}
    errors: dict[str, str] = {}
    if category not in keys:
        errors["category"] = _("Please choose a barrier category.")
    if not description.strip():
        errors["description"] = _("Please describe the need.")
    if errors:
        raise ValidationError(errors)
    need = OptimisationNeed.objects.create(
        traeger_id=traeger_id,
        field_of_action=field_of_action,
        category=category,
        description=description.strip(),
        source_body=body,
        created_by=actor,
    )
    need.organisations.set(organisations)
    _audit(actor, "create", "optimisation_need", need.pk, request, f"meeting:{item.meeting_id}")
    return need


def upcoming_meetings(traeger_id: int) -> Any:
    return (
        Meeting.objects.filter(
            traeger_id=traeger_id,
            starts_at__gte=timezone.now() - dt.timedelta(hours=12),
        )
        .filter(Q(state=MeetingState.PLANNED) | Q(state=MeetingState.INVITED))
        .select_related("body")
        .order_by("starts_at", "id")
    )
