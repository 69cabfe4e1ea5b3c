from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, Phase, PhaseTransition, TimelineEntry
from lotse.directory.models import Organisation
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    MunicipalityFactory,
    PersonFactory,
    ProgrammeFactory,
    SozialraumFactory,
    TraegerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("api:case-list")


def detail(pk: int) -> str:
    return reverse("api:case-detail", kwargs={"pk": pk})


def phase(pk: int) -> str:
    return reverse("api:case-phase", kwargs={"pk": pk})


def references(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["reference"] for row in response.json()["results"]]


@pytest.fixture
def cases(traeger, organisation, case_manager, team_lead, programme):
    """Four cases of the team: two of the case manager, one of the team lead, one closed."""
    other_programme = ProgrammeFactory(traeger=traeger, name="Durchstarten")
    lemgo = MunicipalityFactory(traeger=traeger, name="Lemgo")
    make = {"traeger": traeger, "organisation": organisation}
    return {
        "mine": CaseFactory(
            **make,
            case_manager=case_manager,
            programme=programme,
            reference="2026-000001",
            opened_on=dt.date(2026, 10, 1),
            person=PersonFactory(**make, last_name="Haddad"),
        ),
        "mine_lemgo": CaseFactory(
            **make,
            case_manager=case_manager,
            programme=other_programme,
            reference="2026-000002",
            opened_on=dt.date(2026, 10, 2),
            phase=Phase.ASSESSMENT,
            person=PersonFactory(**make, last_name="Yilmaz", municipality=lemgo),
        ),
        "lead": CaseFactory(
            **make,
            case_manager=team_lead,
            programme=programme,
            reference="2026-000003",
            opened_on=dt.date(2026, 10, 3),
            person=PersonFactory(**make, last_name="Abadi"),
        ),
        "closed": CaseFactory(
            **make,
            case_manager=case_manager,
            programme=programme,
            reference="2026-000004",
            opened_on=dt.date(2026, 9, 1),
            phase=Phase.CLOSED,
            person=PersonFactory(**make, last_name="Closed"),
        ),
        "programme": other_programme,
        "lemgo": lemgo,
    }


def test_list_newest_first_without_closed_cases(api, cases):
    assert references(api.get(LIST)) == ["2026-000003", "2026-000002", "2026-000001"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"mine": "true"}, ["2026-000002", "2026-000001"]),
        ({"phase": "assessment"}, ["2026-000002"]),
        ({"phase": "abgeschlossen"}, ["2026-000004"]),
        ({"include_closed": "true"}, ["2026-000003", "2026-000002", "2026-000001", "2026-000004"]),
        ({"q": "haddad"}, ["2026-000001"]),
        ({"q": "2026-000003"}, ["2026-000003"]),
    ],
)
def test_list_filters(api, cases, params, expected):
    assert references(api.get(LIST, params)) == expected


def test_list_filters_by_programme_and_municipality(api, cases):
    assert references(api.get(LIST, {"programme": cases["programme"].pk})) == ["2026-000002"]
    assert references(api.get(LIST, {"municipality": cases["lemgo"].pk})) == ["2026-000002"]


def test_an_unknown_phase_filter_names_the_parameter(api, cases):
    response = api.get(LIST, {"phase": "nonsense"})

    assert response.status_code == 400
    assert "phase" in response.json()


def test_list_pages_with_a_cursor(api, traeger, organisation, case_manager):
    for day in range(1, 6):
        CaseFactory(traeger=traeger, organisation=organisation, opened_on=dt.date(2026, 10, day))

    first = api.get(LIST, {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()

    dates = [row["opened_on"] for page in (first, second, third) for row in page["results"]]
    assert dates == [f"2026-10-0{day}" for day in range(5, 0, -1)]
    assert third["next"] is None


def test_open_case_suggests_the_post_of_the_sozialraum(
    api, traeger, organisation, case_manager, programme
):
    sozialraum = SozialraumFactory(traeger=traeger)
    municipality = MunicipalityFactory(traeger=traeger, sozialraum=sozialraum)
    # The suggestion is taken when the user works that post (here: holds it).
    post = CaseManagementPostFactory(
        traeger=traeger,
        organisation=organisation,
        programme=programme,
        sozialraum=sozialraum,
        holder=case_manager,
    )
    person = PersonFactory(traeger=traeger, organisation=organisation, municipality=municipality)

    response = api.post(
        LIST,
        {
            "person": person.pk,
            "programme": programme.pk,
            "case_manager": case_manager.pk,
            "summary": "Anerkennung des Abschlusses",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.post, case.phase, case.case_manager) == (post, Phase.INTAKE, case_manager)
    assert case.reference == f"{case.opened_on.year}-{case.pk:06d}" == response.json()["reference"]
    assert AuditEntry.objects.filter(
        action="create", object_type="case", object_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"person": None}, "person"),
        ({"opened_on": "2999-01-01"}, "opened_on"),
        (
            {"participation_offered_on": "2026-10-10", "participation_agreed_on": "2026-10-01"},
            "participation_agreed_on",
        ),
    ],
)
def test_open_case_validation_errors_name_the_field(api, person, programme, payload, field):
    response = api.post(
        LIST, {"person": person.pk, "programme": programme.pk, **payload}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_open_case_for_a_person_of_another_traeger_reads_as_unknown_person(api, programme):
    foreign = PersonFactory(traeger=TraegerFactory())

    foreign_answer = api.post(
        LIST, {"person": foreign.pk, "programme": programme.pk}, format="json"
    )
    unknown_answer = api.post(
        LIST, {"person": foreign.pk + 99, "programme": programme.pk}, format="json"
    )

    assert foreign_answer.status_code == unknown_answer.status_code == 400
    assert foreign_answer.json()["person"][0].replace(str(foreign.pk), "N") == (
        unknown_answer.json()["person"][0].replace(str(foreign.pk + 99), "N")
    )
    assert not Case.objects.exists()


def test_a_case_manager_of_another_organisation_cannot_be_assigned(api, person, programme, traeger):
    stranger = UserFactory(traeger=traeger, roles=[Role.CASE_MANAGEMENT])

    response = api.post(
        LIST,
        {"person": person.pk, "programme": programme.pk, "case_manager": stranger.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "case_manager" in response.json()


def test_retrieve_case_with_allowed_steps_and_audit(api, agreed_case):
    response = api.get(detail(agreed_case.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == agreed_case.reference
    assert body["person_name"] == "Amina Haddad"
    assert [step["to_phase"] for step in body["allowed_steps"]] == ["assessment", "evaluation"]
    entry = AuditEntry.objects.get(action="view", object_type="case")
    assert (entry.channel, entry.object_id, entry.person_id) == (
        "api",
        str(agreed_case.pk),
        agreed_case.person_id,
    )


def test_patch_case(api, agreed_case):
    response = api.patch(
        detail(agreed_case.pk), {"summary": "Wohnungssuche", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    agreed_case.refresh_from_db()
    assert (agreed_case.summary, agreed_case.version) == ("Wohnungssuche", 2)


def test_patch_case_requires_version(api, agreed_case):
    response = api.patch(detail(agreed_case.pk), {"summary": "x"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


def test_patch_case_conflict_changes_nothing(api, agreed_case):
    Case.objects.filter(pk=agreed_case.pk).update(version=2, summary="von Kollegin")

    response = api.patch(detail(agreed_case.pk), {"summary": "meins", "version": 1}, format="json")

    assert response.status_code == 409
    agreed_case.refresh_from_db()
    assert (agreed_case.summary, agreed_case.version) == ("von Kollegin", 2)


def test_a_closed_case_cannot_be_changed(api, traeger, organisation, case_manager):
    closed = CaseFactory(
        traeger=traeger, organisation=organisation, case_manager=case_manager, phase=Phase.CLOSED
    )

    response = api.patch(detail(closed.pk), {"summary": "x", "version": 1}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_phase_change_forward(api, agreed_case):
    response = api.post(
        phase(agreed_case.pk), {"to_phase": "assessment", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["phase"] == "assessment"
    agreed_case.refresh_from_db()
    assert (agreed_case.phase, agreed_case.version) == (Phase.ASSESSMENT, 2)
    assert PhaseTransition.objects.filter(case=agreed_case, to_phase=Phase.ASSESSMENT).exists()
    assert TimelineEntry.objects.filter(case=agreed_case, kind=TimelineEntry.Kind.PHASE).exists()


def test_phase_change_back_needs_a_reason(api, agreed_case):
    Case.objects.filter(pk=agreed_case.pk).update(phase=Phase.LINKING)

    without = api.post(
        phase(agreed_case.pk), {"to_phase": "assessment", "version": 1}, format="json"
    )
    with_reason = api.post(
        phase(agreed_case.pk),
        {"to_phase": "assessment", "reason": "Neue Lage", "version": 1},
        format="json",
    )

    assert without.status_code == 400
    assert "reason" in without.json()
    assert with_reason.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_phase": "monitoring", "version": 1}, "to_phase"),
        ({"to_phase": "nonsense", "version": 1}, "to_phase"),
        ({"to_phase": "assessment"}, "version"),
    ],
)
def test_phase_change_errors_name_the_field(api, agreed_case, payload, field):
    response = api.post(phase(agreed_case.pk), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    agreed_case.refresh_from_db()
    assert agreed_case.phase == Phase.INTAKE


def test_phase_change_needs_agreement_to_leave_intake(api, traeger, organisation, case_manager):
    case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)

    response = api.post(phase(case.pk), {"to_phase": "assessment", "version": 1}, format="json")

    assert response.status_code == 400
    assert "to_phase" in response.json()


def test_phase_change_conflict_changes_nothing(api, agreed_case):
    Case.objects.filter(pk=agreed_case.pk).update(version=3)

    response = api.post(
        phase(agreed_case.pk), {"to_phase": "assessment", "version": 1}, format="json"
    )

    assert response.status_code == 409
    agreed_case.refresh_from_db()
    assert (agreed_case.phase, agreed_case.version) == (Phase.INTAKE, 3)
    assert not PhaseTransition.objects.exists()
    assert not TimelineEntry.objects.exists()


def test_cases_of_another_organisation_are_not_found(client_for, agreed_case, traeger):
    other = UserFactory(
        traeger=traeger,
        organisation=Organisation.objects.create(traeger=traeger, key="other", name="Other"),
        roles=[Role.CASE_MANAGEMENT],
    )
    api = client_for(other)

    assert api.get(detail(agreed_case.pk)).status_code == 404
    assert (
        api.post(
            phase(agreed_case.pk), {"to_phase": "assessment", "version": 1}, format="json"
        ).status_code
        == 404
    )
    assert api.get(LIST, {"include_closed": "true"}).json()["results"] == []
    agreed_case.refresh_from_db()
    assert agreed_case.phase == Phase.INTAKE
