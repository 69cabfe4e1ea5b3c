"""Partner pages and API: the sections of the granted categories only, audited as shown."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditEntry
from lotse.consent import services as consent_services
from lotse.sharing.selectors import pseudonym_for, shared_person_page
from tests.factories import PersonFactory
from tests.sharing.conftest import ALL, Shared


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _detail(shared: Shared, *, api: bool = False):
    name = "api:partner-person-detail" if api else "sharing:person"
    return _client(shared.partner).get(reverse(name, args=[shared.person.pk]))


def test_the_list_shows_the_name_only_with_identity(shared):
    named = shared.person
    anonymous = PersonFactory(
        traeger=shared.traeger, organisation=shared.team, last_name="Ohnename"
    )
    PersonFactory(traeger=shared.traeger, organisation=shared.team, last_name="Nichtgeteilt")
    shared.consent(["identity", "health"])
    shared.consent(["education_work"], person=anonymous)

    response = _client(shared.partner).get(reverse("sharing:persons"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kanariennachname, Kanarienvorname" in body
    assert "Ohnename" not in body and "Nichtgeteilt" not in body
    assert pseudonym_for(shared.partner, anonymous) in body
    assert "Identität, Gesundheit" in body and "Bildung und Arbeit" in body
    entries = AuditEntry.objects.filter(action="list", object_type="person").order_by("person_id")
    assert [(e.person_id, e.categories) for e in entries] == [
        (named.pk, "identity"),
        (anonymous.pk, ""),
    ]


def test_the_list_is_keyset_paginated(shared):
    persons = [shared.person] + [
        PersonFactory(traeger=shared.traeger, organisation=shared.team) for _ in range(4)
    ]
    for person in persons:
        shared.consent(["identity"], person=person)

    first, rows = shared_person_page(shared.partner, size=3)
    second, more = shared_person_page(shared.partner, cursor=first.next_cursor, size=3)

    assert [row.person_id for row in rows + more] == sorted(p.pk for p in persons)
    assert first.next_cursor and second.next_cursor is None and second.has_previous
    api = _client(shared.partner).get(reverse("api:partner-person-list"), {"page_size": 3})
    assert api.json()["next"] and len(api.json()["results"]) == 3


def test_the_page_shows_only_the_granted_sections(shared):
    shared.consent(["residence_status", "education_work"])

    response = _detail(shared)

    body = response.content.decode()
    assert response.status_code == 200
    assert "CANARY-RESIDENCE-NOTE" in body and "CANARY-EDU-GOALS" in body
    assert "Deutschkenntnisse" in body and "B1" in body
    assert "Kanariennachname" not in body  # no identity: the pseudonymous reference instead
    assert pseudonym_for(shared.partner, shared.person) in body
    assert "CANARY-HEALTH-NOTE" not in body and "CANARY-BENEFITS-NEEDS" not in body
    entry = AuditEntry.objects.get(action="view", object_type="person")
    assert entry.person_id == shared.person.pk
    assert entry.categories == "residence_status,education_work"
    assert entry.detail == "partner:jobcenter"


def test_family_names_a_member_only_with_the_members_own_identity_consent(shared):
    shared.consent(["family"])
    child = shared.person.household.members.exclude(pk=shared.person.pk).get()

    body = _detail(shared).content.decode()
    assert "Kanarienkind" not in body and "Haushaltsvorstand" in body and "Kind" in body

    shared.consent(["identity"], person=child)
    body = _detail(shared).content.decode()
    assert "Kanarienkind" in body
    member_entry = AuditEntry.objects.filter(action="view", person_id=child.pk).get()
    assert member_entry.categories == "identity"
    assert f"household-of:{shared.person.pk}" in member_entry.detail


def test_a_withdrawal_closes_the_page_with_the_next_request(shared):
    consent = shared.consent(ALL)
    assert _detail(shared).status_code == 200

    consent_services.consent_withdraw(actor=shared.case_manager, consent=consent)

    assert _detail(shared).status_code == 404
    assert _detail(shared, api=True).status_code == 404
    listed = _client(shared.partner).get(reverse("sharing:persons")).content.decode()
    assert "Kanariennachname" not in listed


def test_out_of_scope_reads_like_a_missing_id(shared):
    shared.consent(ALL, recipients=[shared.other_org])
    client = _client(shared.partner)

    foreign = client.get(reverse("sharing:person", args=[shared.person.pk]))
    missing = client.get(reverse("sharing:person", args=[shared.person.pk + 999]))

    assert foreign.status_code == missing.status_code == 404
    assert not AuditEntry.objects.filter(action="view").exists()


def test_only_partners_open_the_pages(shared):
    shared.consent(ALL, recipients=[shared.team])  # even when the consent names their org

    for name, args in [("sharing:persons", []), ("sharing:person", [shared.person.pk])]:
        assert _client(shared.case_manager).get(reverse(name, args=args)).status_code == 403
    assert Client().get(reverse("sharing:persons")).status_code == 302
    assert Client().get(reverse("api:partner-person-list")).status_code in (401, 403)


def test_the_api_returns_null_for_sections_that_are_not_granted(shared):
    shared.consent(["identity", "health"])

    data = _detail(shared, api=True).json()

    assert data["categories"] == ["identity", "health"]
    assert data["identity"]["last_name"] == "Kanariennachname"
    assert data["identity"]["date_of_birth"] == "1991-07-13"
    assert data["health"] == {"notes": "CANARY-HEALTH-NOTE"}
    assert [a["needs"] for a in data["assessments"]["health"]] == ["CANARY-HEALTH-ASSESSMENT"]
    assert data["residence_status"] is None and data["family"] is None
    assert data["german_level"] is None
    assert data["assessments"]["education_work"] is None
    assert data["assessments"]["youth_welfare"] is None
    entry = AuditEntry.objects.get(action="view", object_type="person")
    assert (entry.channel, entry.categories) == ("api", "identity,health")


def test_the_api_list(shared):
    shared.consent(["education_work"])

    data = _client(shared.partner).get(reverse("api:partner-person-list")).json()

    assert data["next"] is None
    assert data["results"] == [
        {
            "id": shared.person.pk,
            "reference": pseudonym_for(shared.partner, shared.person),
            "categories": ["education_work"],
            "first_name": None,
            "last_name": None,
        }
    ]


def test_the_pseudonym_differs_per_organisation(shared):
    assert pseudonym_for(shared.partner, shared.person) != pseudonym_for(
        shared.other_partner, shared.person
    )


def test_partners_find_the_pages_in_the_navigation(shared):
    shared.consent(["identity"])
    partner_home = _client(shared.partner).get(reverse("home"), follow=True).content.decode()
    team_page = _client(shared.case_manager).get(reverse("people:list")).content.decode()

    link = f'href="{reverse("sharing:persons")}"'
    assert link in partner_home
    assert link not in team_page
