from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, Phase, TimelineEntry
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    MunicipalityFactory,
    PersonFactory,
    ProgrammeFactory,
    SozialraumFactory,
    TimelineEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_my_cases_lists_own_cases_and_filters_by_phase(client, case_manager, traeger, organisation):
    mine = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
    colleague = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT]
    )
    theirs = CaseFactory(traeger=traeger, organisation=organisation, case_manager=colleague)
    later = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        phase=Phase.MONITORING,
    )
    client.force_login(case_manager)

    response = client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    content = response.content.decode()
    assert mine.reference in content and later.reference in content
    assert theirs.reference not in content

    response = client.get(reverse("cases:my_cases"), {"phase": Phase.MONITORING})
    content = response.content.decode()
    assert later.reference in content and mine.reference not in content

    team = client.get(reverse("cases:my_cases"), {"alle": "1"}).content.decode()
    assert theirs.reference in team
    assert (
        AuditEntry.objects.filter(user=case_manager, action="list", object_type="case").count() == 3
    )


def test_search_finds_transliteration_variants(client, case_manager, traeger, organisation):
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        person__first_name="Mohammed",
        person__last_name="Al-Hassan",
    )
    from lotse.people.services import name_variant_add

    name_variant_add(
        actor=case_manager, person=case.person, first_name="Muhammad", last_name="Alhasan"
    )
    client.force_login(case_manager)
    assert (
        case.reference in client.get(reverse("cases:my_cases"), {"q": "muhammad"}).content.decode()
    )
    assert (
        case.reference in client.get(reverse("cases:my_cases"), {"q": "Al Hassan"}).content.decode()
    )
    assert (
        case.reference
        not in client.get(reverse("cases:my_cases"), {"q": "Petrenko"}).content.decode()
    )


def test_case_list_query_count_does_not_grow(
    client, case_manager, traeger, organisation, django_assert_max_num_queries
):
    client.force_login(case_manager)
    for _ in range(3):
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
    client.get(reverse("cases:my_cases"))  # the first access log entry creates its chain
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("cases:my_cases"))
    for _ in range(20):
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:my_cases"))


def test_keyset_pagination_walks_all_cases_once(client, case_manager, traeger, organisation):
    created = {
        CaseFactory(
            traeger=traeger,
            organisation=organisation,
            case_manager=case_manager,
            opened_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 5),
        ).reference
        for i in range(30)
    }
    client.force_login(case_manager)
    seen: list[str] = []
    url = reverse("cases:my_cases")
    params: dict[str, str] = {}
    for _ in range(5):
        response = client.get(url, params)
        page = response.context["page"]
        seen.extend(case.reference for case in page.items)
        if not page.next_cursor:
            break
        params = {"nach": page.next_cursor}
    assert sorted(seen) == sorted(created)


def test_open_case_suggests_post_of_sozialraum_and_warns_when_full(
    client, traeger, organisation, case_manager
):
    sozialraum = SozialraumFactory(traeger=traeger, name="Detmold")
    municipality = MunicipalityFactory(traeger=traeger, name="Detmold", sozialraum=sozialraum)
    programme = ProgrammeFactory(traeger=traeger)
    post = CaseManagementPostFactory(
        traeger=traeger,
        programme=programme,
        organisation=organisation,
        sozialraum=sozialraum,
        holder=case_manager,
        target_caseload=1,
    )
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        programme=programme,
        post=post,
        case_manager=case_manager,
    )
    person = PersonFactory(traeger=traeger, organisation=organisation, municipality=municipality)
    client.force_login(case_manager)

    page = client.get(reverse("cases:create", args=[person.pk]))
    assert page.status_code == 200
    assert page.context["suggestion"].post == post
    assert page.context["suggestion"].over_capacity

    response = client.post(
        reverse("cases:create", args=[person.pk]),
        {
            "programme": programme.pk,
            "case_manager": case_manager.pk,
            "opened_on": "2026-11-02",
            "participation_offered_on": "2026-11-02",
            "summary": "Erstkontakt über das Bürgerbüro",
        },
        follow=True,
    )
    case = Case.objects.get(person=person)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert case.post == post and case.phase == Phase.INTAKE
    assert case.reference == f"2026-{case.pk:06d}"
    assert any("1" in str(m) for m in response.context["messages"])


def test_open_case_rejects_agreement_before_offer_at_the_field(
    client, traeger, organisation, case_manager
):
    programme = ProgrammeFactory(traeger=traeger)
    person = PersonFactory(traeger=traeger, organisation=organisation)
    client.force_login(case_manager)
    response = client.post(
        reverse("cases:create", args=[person.pk]),
        {
            "programme": programme.pk,
            "opened_on": "2026-11-02",
            "participation_offered_on": "2026-11-10",
            "participation_agreed_on": "2026-11-03",
        },
    )
    assert response.status_code == 422
    assert "participation_agreed_on" in response.context["form"].errors
    assert not Case.objects.filter(person=person).exists()


def test_phase_change_through_the_page(client, case, case_manager):
    case.participation_offered_on = dt.date(2026, 10, 5)
    case.participation_agreed_on = dt.date(2026, 10, 12)
    case.save()
    client.force_login(case_manager)
    response = client.post(
        reverse("cases:phase", args=[case.pk]),
        {"to_phase": Phase.ASSESSMENT, "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.ASSESSMENT
    assert TimelineEntry.objects.filter(case=case, kind=TimelineEntry.Kind.PHASE).count() == 1

    back = client.post(
        reverse("cases:phase", args=[case.pk]), {"to_phase": Phase.INTAKE, "version": case.version}
    )
    assert back.status_code == 422
    assert "reason" in back.context["phase_form"].errors
    case.refresh_from_db()
    assert case.phase == Phase.ASSESSMENT


def test_two_editors_the_second_gets_a_conflict_and_keeps_input(
    client, case, case_manager, team_lead
):
    url = reverse("cases:edit", args=[case.pk])
    base = {"programme": case.programme_id, "opened_on": "2026-10-05", "version": case.version}
    client.force_login(case_manager)
    assert client.post(url, {**base, "summary": "Fassung A"}).status_code == 302
    client.force_login(team_lead)
    response = client.post(url, {**base, "summary": "Fassung B"})
    assert response.status_code == 409
    assert response.context["form"].data["summary"] == "Fassung B"
    assert response.context["form"].non_field_errors()
    case.refresh_from_db()
    assert case.summary == "Fassung A"


def test_note_and_document_on_the_timeline(client, case, case_manager, settings):
    client.force_login(case_manager)
    url = reverse("cases:timeline_add", args=[case.pk])
    assert (
        client.post(
            url, {"kind": "note", "title": "Telefonat mit der ABH", "text": "Termin vereinbart"}
        ).status_code
        == 302
    )
    pdf = SimpleUploadedFile("bescheid.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert (
        client.post(url, {"kind": "document", "title": "Bescheid", "attachment": pdf}).status_code
        == 302
    )
    entry = TimelineEntry.objects.get(case=case, kind="document")
    download = client.get(reverse("cases:attachment", args=[case.pk, entry.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download", object_id=str(entry.pk)).exists()

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(url, {"kind": "document", "title": "Falsch", "attachment": fake})
    assert response.status_code == 422
    assert "attachment" in response.context["form"].errors
    exe = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    assert (
        client.post(url, {"kind": "document", "title": "x", "attachment": exe}).status_code == 422
    )
    assert TimelineEntry.objects.filter(case=case, kind="document").count() == 1


def test_case_detail_query_count_does_not_grow_with_timeline(
    client, case, case_manager, django_assert_max_num_queries
):
    client.force_login(case_manager)
    TimelineEntryFactory.create_batch(2, case=case)
    with django_assert_max_num_queries(25) as few:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    TimelineEntryFactory.create_batch(40, case=case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.context["timeline"].next_cursor is not None


def test_closed_case_is_read_only(client, case, case_manager):
    case.phase = Phase.CLOSED
    case.save()
    client.force_login(case_manager)
    response = client.post(
        reverse("cases:timeline_add", args=[case.pk]), {"kind": "note", "title": "Nachtrag"}
    )
    assert response.status_code == 422
    assert not TimelineEntry.objects.filter(case=case).exists()


def test_a_note_over_the_limit_is_refused_with_limit_and_count(client, case, case_manager):
    client.force_login(case_manager)
    response = client.post(
        reverse("cases:timeline_add", args=[case.pk]),
        {"kind": "note", "title": "Protokoll", "text": "x" * 25_312},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["text"] == [
        "Höchstens 20.000 Zeichen (eingegeben: 25.312)."
    ]
    assert not TimelineEntry.objects.filter(case=case).exists()
