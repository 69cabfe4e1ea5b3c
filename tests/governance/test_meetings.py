"""Services of the bodies' meetings: members, agenda, carry-over, invitations, minutes."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import vobject
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conferences.models import ConferenceSettings, OptimisationNeed
from lotse.directory.models import Body, BodyMembership, ContactPerson, Organisation
from lotse.governance import meetings as services
from lotse.governance.ics import ics_for_meeting
from lotse.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    Document,
    Meeting,
    MeetingState,
    Paper,
)
from tests.factories import FieldOfActionFactory, OrganisationFactory, UserFactory
from tests.pdftext import missing_phrases


@pytest.fixture
def coordinator(traeger):
    servicestelle = OrganisationFactory(traeger=traeger, key="sst-test", name="Servicestelle")
    return UserFactory(traeger=traeger, organisation=servicestelle, roles=[Role.COORDINATION])


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(traeger=traeger, key="jc", name="Jobcenter Lippe")


@pytest.fixture
def circle(traeger, jobcenter):
    body = Body.objects.create(
        traeger=traeger, key="ak-arbeit", name="AK Arbeit", kind=Body.Kind.WORKING_CIRCLE
    )
    anna = ContactPerson.objects.create(
        traeger=traeger,
        key="anna",
        organisation=jobcenter,
        name="Anna Arbeit",
        email="anna@jobcenter.example",
    )
    bert = ContactPerson.objects.create(
        traeger=traeger,
        key="bert",
        organisation=jobcenter,
        name="Bert Vertreter",
        email="bert@jobcenter.example",
    )
    BodyMembership.objects.create(
        traeger=traeger,
        key="ak-arbeit-jc",
        body=body,
        organisation=jobcenter,
        label="Jobcenter",
        contact=anna,
        deputy=bert,
        hierarchy_level="Bereichsleitung",
    )
    return body


def _at(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_create_prefills_attendance_and_default_title(coordinator, circle):
    meeting = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(14))
    assert meeting.title.startswith("AK Arbeit – ")
    row = meeting.attendance.get()
    assert (row.name, row.email, row.status) == (
        "Anna Arbeit",
        "anna@jobcenter.example",
        Attendance.Status.INVITED,
    )
    assert not meeting.items.exists()


def test_end_before_beginning_is_refused(coordinator, circle):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=coordinator, body=circle, starts_at=_at(14), ends_at=_at(14, 9)
        )
    assert "ends_at" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_other_roles_and_traeger_are_refused(coordinator, circle, case_manager):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=case_manager, body=circle, starts_at=_at(3))
    other = UserFactory(roles=[Role.COORDINATION])
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=other, body=circle, starts_at=_at(3))


def test_open_action_items_are_carried_onto_the_next_agenda(coordinator, circle, jobcenter):
    first = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(-30))
    item = services.item_add(actor=coordinator, meeting=first, title="Sprachkurse")
    open_one = services.action_item_add(
        actor=coordinator,
        item=item,
        text="Bedarf erheben",
        responsible_organisation=jobcenter,
        due_on=timezone.localdate(),
    )
    done = services.action_item_add(actor=coordinator, item=item, text="Erledigt")
    services.action_item_set_status(actor=coordinator, action_item=done, status="done")
    assert done.done_on == timezone.localdate()

    second = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(7))
    carried = second.items.get(kind=AgendaItem.Kind.ACTION_ITEMS)
    assert carried.position == 1 and carried.number == "1"
    assert list(carried.carried_action_items.all()) == [open_one]
    # Another body's meeting carries nothing over.
    other = Body.objects.create(
        traeger=circle.traeger, key="sg", name="Steuerungsgremium", kind=Body.Kind.STEERING
    )
    third = services.meeting_create(actor=coordinator, body=other, starts_at=_at(8))
    assert not third.items.exists()


def test_agenda_reorder_and_remove(coordinator, circle):
    meeting = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(7))
    a = services.item_add(actor=coordinator, meeting=meeting, title="A")
    b = services.item_add(actor=coordinator, meeting=meeting, title="B")
    c = services.item_add(actor=coordinator, meeting=meeting, title="C")
    services.item_move(actor=coordinator, item=c, up=True)
    assert [i.title for i in meeting.items.order_by("position")] == ["A", "C", "B"]
    services.item_remove(actor=coordinator, item=a)
    assert [(i.number, i.title) for i in meeting.items.order_by("position")] == [
        ("1", "C"),
        ("2", "B"),
    ]
    services.meeting_mark_held(actor=coordinator, meeting=meeting)
    with pytest.raises(ValidationError):
        services.item_remove(actor=coordinator, item=b)


def test_document_upload_checks_type_and_stores(coordinator, circle):
    meeting = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(7))
    with pytest.raises(ValidationError) as error:
        services.document_add(
            actor=coordinator, meeting=meeting, upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert "file" in error.value.message_dict
    document = services.document_add(
        actor=coordinator,
        meeting=meeting,
        upload=SimpleUploadedFile("Folien.pdf", b"%PDF-1.4 test"),
        public=True,
    )
    assert document.mime_type == "application/pdf" and document.size == 13
    assert document.file.read() == b"%PDF-1.4 test"


def test_invitations_request_then_cancel(
    coordinator, circle, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = services.meeting_create(
        actor=coordinator, body=circle, starts_at=_at(7), location="Kreishaus"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_invite(actor=coordinator, meeting=meeting) == 1
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.INVITED and meeting.ical_sequence == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=coordinator, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=coordinator, meeting=meeting, reason="Krankheit")
    assert len(mailoutbox) == 3
    methods = []
    for mail in mailoutbox:
        assert mail.to == ["anna@jobcenter.example"]
        part = mail.attachments[0]
        assert part.get_param("method") in ("REQUEST", "CANCEL")
        text = part.get_payload(decode=True).decode()
        calendar = icalendar.Calendar.from_ical(text)
        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["uid"]) == meeting.ical_uid
        assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Berlin"
        parsed = vobject.readOne(text)
        assert parsed.vevent.uid.value == meeting.ical_uid
        assert parsed.vevent.dtstart.value.tzinfo is not None
        methods.append((str(calendar["method"]), int(event["sequence"])))
    assert methods == [("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)]


def test_ics_lists_every_member_with_email(coordinator, circle):
    meeting = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(7))
    services.attendance_add(actor=coordinator, meeting=meeting, organisation=None, name="Gast")
    text = ics_for_meeting(meeting, list(meeting.attendance.all()), method="REQUEST").decode()
    event = vobject.readOne(text).vevent
    assert [a.value for a in event.attendee_list] == ["mailto:anna@jobcenter.example"]


def test_approve_minutes_publishes_decisions_and_stores_pdf(coordinator, circle, jobcenter):
    meeting = services.meeting_create(
        actor=coordinator, body=circle, starts_at=_at(-1), public=True
    )
    public_item = services.item_add(
        actor=coordinator, meeting=meeting, title="Bericht", public=True
    )
    internal = services.item_add(actor=coordinator, meeting=meeting, title="Personalfragen")
    services.item_minutes(actor=coordinator, item=public_item, minutes="Sprachkurse fehlen.")
    services.action_item_add(actor=coordinator, item=public_item, text="Angebote sammeln")
    row = meeting.attendance.get()
    services.attendance_record(actor=coordinator, meeting=meeting, rows={row.pk: ("deputy", "")})
    row.refresh_from_db()
    assert row.deputy_name == "Bert Vertreter"
    paper = Paper.objects.create(
        traeger=circle.traeger,
        reference="BV-1",
        title="Sprachkurse",
        body=circle,
        problem="p",
        proposal="q",
    )
    decision = Decision.objects.create(
        traeger=circle.traeger,
        paper=paper,
        item=internal,
        outcome="adopted",
        decided_on=timezone.localdate(),
    )
    public_paper = Paper.objects.create(
        traeger=circle.traeger,
        reference="BV-2",
        title="Kinderbetreuung",
        body=circle,
        problem="p",
        proposal="q",
    )
    Consultation.objects.create(
        traeger=circle.traeger, paper=public_paper, item=public_item, role="decision"
    )
    public_decision = Decision.objects.create(
        traeger=circle.traeger,
        paper=public_paper,
        item=public_item,
        outcome="adopted",
        decided_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.meeting_approve_minutes(actor=coordinator, meeting=meeting)
    services.meeting_mark_held(actor=coordinator, meeting=meeting)
    services.meeting_approve_minutes(actor=coordinator, meeting=meeting)
    meeting.refresh_from_db()
    decision.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    assert meeting.minutes_approved_by == coordinator
    assert decision.published_at == meeting.minutes_approved_at
    # Published to the region both; public (OParl) only the one on the public item, with its
    # paper and consultation; the internal one stays internal.
    public_decision.refresh_from_db()
    public_paper.refresh_from_db()
    paper.refresh_from_db()
    assert public_decision.published_at == meeting.minutes_approved_at
    assert (public_decision.public, decision.public) == (True, False)
    assert (public_paper.public, paper.public) == (True, False)
    assert Consultation.objects.get(paper=public_paper).public
    document = Document.objects.get(meeting=meeting, kind=Document.Kind.MINUTES)
    assert document.public
    pdf = document.file.read()
    assert pdf.startswith(b"%PDF")
    phrases = ["Bericht", "Sprachkurse fehlen.", "Personalfragen (intern)", "Jobcenter Lippe"]
    assert not any(missing_phrases(pdf, phrases).values())
    # Names only with consent.
    assert all(missing_phrases(pdf, ["Anna Arbeit"]).values())


def test_quality_circle_need_goes_to_the_queue(coordinator, traeger):
    ConferenceSettings.objects.create(
        traeger=traeger, barrier_categories=[{"key": "sprache", "name": "Sprachbarrieren"}]
    )
    body = Body.objects.create(
        traeger=traeger, key="qz", name="Qualitätszirkel", kind=Body.Kind.QUALITY_CIRCLE
    )
    field = FieldOfActionFactory(traeger=traeger)
    meeting = services.meeting_create(actor=coordinator, body=body, starts_at=_at(1))
    item = services.item_add(actor=coordinator, meeting=meeting, title="Fallauswertung")
    with pytest.raises(ValidationError):
        services.quality_need_add(
            actor=coordinator, item=item, field_of_action=field, category="x", description=""
        )
    need = services.quality_need_add(
        actor=coordinator,
        item=item,
        field_of_action=field,
        category="sprache",
        description="Keine Kurse mit Kinderbetreuung",
    )
    assert need.source_body == body and need.conference is None
    assert OptimisationNeed.objects.filter(status=OptimisationNeed.Status.OPEN).count() == 1


def test_members_added_in_the_app_can_be_removed_config_members_not(coordinator, circle, jobcenter):
    member = services.member_add(
        actor=coordinator, body=circle, organisation=jobcenter, label="", hierarchy_level="Leitung"
    )
    assert member.key.startswith(services.APP_KEY) and member.label == "Jobcenter Lippe"
    config_member = circle.memberships.get(key="ak-arbeit-jc")
    with pytest.raises(ValidationError):
        services.member_remove(actor=coordinator, member=config_member)
    with pytest.raises(ValidationError):
        services.member_change(
            actor=coordinator,
            member=config_member,
            organisation=jobcenter,
            label="JC",
            contact=config_member.contact,
            deputy=config_member.contact,
            hierarchy_level="",
        )
    services.member_remove(actor=coordinator, member=member)
    assert circle.memberships.count() == 1


def test_action_item_carry_over_skips_cancelled_meetings(coordinator, circle):
    first = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(-10))
    item = services.item_add(actor=coordinator, meeting=first, title="A")
    open_one = services.action_item_add(actor=coordinator, item=item, text="Offen")
    planned = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(5))
    services.meeting_cancel(actor=coordinator, meeting=planned, reason="Ausfall")
    assert not open_one.carried_into.exists()
    again = services.meeting_create(actor=coordinator, body=circle, starts_at=_at(6))
    assert list(open_one.carried_into.all()) == [again.items.get(kind="action_items")]
    assert ActionItem.objects.count() == 1


# -- configuration reload -----------------------------------------------------------------------


@pytest.fixture
def lippe(db):
    from lotse.directory.config import config_load
    from tests.directory.conftest import KREIS_LIPPE

    config_load(path=KREIS_LIPPE)
    from lotse.tenancy.models import Traeger

    return Traeger.objects.get(slug="kreis-lippe")


def test_config_names_contact_deputy_and_level(lippe):
    member = BodyMembership.objects.get(traeger=lippe, key="ak-arbeit-jobcenter")
    assert (member.contact.key, member.deputy.key, member.hierarchy_level) == (
        "jobcenter-lippe-migration",
        "jobcenter-lippe-leistung",
        "Teamleitung",
    )


def test_reload_keeps_what_the_servicestelle_entered(lippe, tmp_path):
    import yaml

    from lotse.directory.config import config_load
    from lotse.directory.config.parsing import ConfigYamlLoader
    from tests.directory.conftest import KREIS_LIPPE

    servicestelle = Organisation.objects.get(traeger=lippe, key="servicestelle")
    actor = UserFactory(traeger=lippe, organisation=servicestelle, roles=[Role.COORDINATION])
    circle = Body.objects.get(traeger=lippe, key="ak-arbeit")
    group = Body.objects.get(traeger=lippe, key="ag-mobilitaet")
    contact = ContactPerson.objects.get(traeger=lippe, key="jobcenter-lippe-leistung")
    added = services.member_add(
        actor=actor,
        body=circle,
        organisation=contact.organisation,
        label="Leistung",
        contact=contact,
    )
    config_member = BodyMembership.objects.get(traeger=lippe, key="ak-arbeit-agentur")
    services.member_change(
        actor=actor,
        member=config_member,
        organisation=config_member.organisation,
        label=config_member.label,
        contact=contact,
        hierarchy_level="Bereichsleitung",
        deputy=None,
    )
    named = BodyMembership.objects.get(traeger=lippe, key="ak-arbeit-jobcenter")
    services.member_change(
        actor=actor,
        member=named,
        organisation=named.organisation,
        label="Umbenannt",
        contact=None,
        hierarchy_level="anders",
        deputy=None,
    )
    services.body_mandate_change(
        actor=actor,
        body=group,
        mandated_by=group.mandated_by,
        task="Mobilität prüfen",
        ends_on=dt.date(2027, 6, 30),
    )

    report = config_load(path=KREIS_LIPPE)
    assert report.sections["members"].removed == 0

    added.refresh_from_db()  # an app member: untouched
    assert added.label == "Leistung" and added.contact == contact
    config_member.refresh_from_db()  # fields the file does not name: the app's values stay
    assert (config_member.contact, config_member.hierarchy_level) == (contact, "Bereichsleitung")
    named.refresh_from_db()  # fields the file names: the file wins
    assert (named.label, named.contact.key, named.hierarchy_level) == (
        "Jobcenter Lippe",
        "jobcenter-lippe-migration",
        "Teamleitung",
    )
    group.refresh_from_db()
    assert (group.task, group.ends_on) == ("Mobilität prüfen", dt.date(2027, 6, 30))

    # A file that names the task wins for it.
    data = yaml.load(KREIS_LIPPE.read_text(encoding="utf-8"), Loader=ConfigYamlLoader)  # noqa: S506
    entry = next(b for b in data["bodies"] if b["key"] == "ag-mobilitaet")
    entry["task"] = "Aus der Datei"
    entry["ends_on"] = "2027-12-31"
    path = tmp_path / "lippe.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config_load(path=path)
    group.refresh_from_db()
    assert (group.task, group.ends_on) == ("Aus der Datei", dt.date(2027, 12, 31))
    assert BodyMembership.objects.filter(pk=added.pk).exists()


def test_demo_meetings_are_complete_and_idempotent(lippe):
    from lotse.demo.governance_meetings import demo_meetings

    servicestelle = Organisation.objects.get(traeger=lippe, key="servicestelle")
    UserFactory(
        username="coordinator",
        traeger=lippe,
        organisation=servicestelle,
        roles=[Role.COORDINATION],
    )
    assert demo_meetings()
    states = sorted(Meeting.objects.values_list("body__key", "state"))
    assert states == [
        ("ak-arbeit", "held"),
        ("ak-arbeit", "planned"),
        ("qualitaetszirkel", "planned"),
        ("steuerungsgremium", "minutes_approved"),
        ("steuerungsgremium", "planned"),
    ]
    upcoming = Meeting.objects.get(body__key="ak-arbeit", state="planned")
    carried = upcoming.items.get(kind=AgendaItem.Kind.ACTION_ITEMS)
    assert carried.carried_action_items.get().status == ActionItem.Status.OPEN
    jobcenter_row = upcoming.attendance.get(membership__key="ak-arbeit-jobcenter")
    assert jobcenter_row.name == "Kerstin Meier"
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Document.objects.count())
    assert demo_meetings() == []
    assert (Meeting.objects.count(), AgendaItem.objects.count(), Document.objects.count()) == counts
    assert not OptimisationNeed.objects.exists()
