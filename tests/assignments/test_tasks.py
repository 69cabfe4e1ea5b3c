"""Tasks: the case team manages them; a partner organisation sees only the tasks assigned to it
— the task, never the case file — and can report status and comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.assignments import selectors, services
from lotse.assignments.models import Task, TaskComment, TaskStatus
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from lotse.cases.sections import case_section_links
from tests.assignments.conftest import grant, make_task
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, purpose

pytestmark = pytest.mark.django_db
NEXT_WEEK = timezone.localdate() + dt.timedelta(days=7)


def test_case_team_creates_a_task_for_an_organisation(case_manager, case, jobcenter, consented):
    task = services.task_create(
        actor=case_manager,
        case=case,
        title="Termin vergeben",
        due_on=NEXT_WEEK,
        owner_organisation=jobcenter,
        shared_categories=["education_work"],
        purpose=purpose(case.traeger),
    )
    assert (task.status, task.owner_organisation, task.owner_user) == (
        TaskStatus.OPEN,
        jobcenter,
        None,
    )
    assert AuditEntry.objects.filter(object_type="task", action="create").exists()


@pytest.mark.parametrize("owners", ["none", "both"])
def test_exactly_one_owner(case_manager, case, jobcenter, owners):
    extra = (
        {} if owners == "none" else {"owner_user": case_manager, "owner_organisation": jobcenter}
    )
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=case_manager, case=case, title="x", due_on=NEXT_WEEK, **extra)
    assert "owner_user" in error.value.message_dict


def test_owner_must_be_case_team_or_partner_of_the_traeger(
    traeger, case_manager, case, partner, consented
):
    outsider = UserFactory(traeger=traeger, roles=[Role.CASE_MANAGEMENT])  # other organisation
    foreign = OrganisationFactory()  # other Träger
    with pytest.raises(ValidationError):
        services.task_create(
            actor=case_manager, case=case, title="x", due_on=NEXT_WEEK, owner_user=outsider
        )
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=case_manager, case=case, title="x", due_on=NEXT_WEEK, owner_organisation=foreign
        )
    assert "owner_organisation" in error.value.message_dict
    assert (
        services.task_create(
            actor=case_manager,
            case=case,
            title="x",
            due_on=NEXT_WEEK,
            owner_user=partner,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        ).owner_user
        == partner
    )


def test_partner_sees_only_the_tasks_of_its_organisation(
    partner, other_partner, case, jobcenter, case_manager, consented
):
    grant(case.person, other_partner.organisation)
    ours = make_task(case, owner_organisation=jobcenter)
    personal = make_task(case, owner_user=partner)
    make_task(case, owner_organisation=other_partner.organisation)
    make_task(case, owner_user=case_manager)

    page = selectors.my_task_page(partner, filters=selectors.TaskFilter(), cursor=None)

    assert {t.pk for t in page.items} == {ours.pk, personal.pk}
    assert (
        selectors.my_task_page(other_partner, filters=selectors.TaskFilter(), cursor=None)
        .items[0]
        .owner_organisation
        == other_partner.organisation
    )


def test_partner_cannot_reach_the_case_or_anything_else_of_it(
    client, partner, case, jobcenter, consented
):
    task = make_task(case, owner_organisation=jobcenter)
    client.force_login(partner)

    page = client.get(reverse("assignments:detail", args=[task.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert task.title in body
    assert case.reference not in body
    assert case.person.last_name not in body and case.person.first_name not in body
    assert selectors.pseudonym_for(task, partner) in body

    for name in ("cases:detail", "assignments:case_tasks", "offers:case_referrals"):
        assert client.get(reverse(name, args=[case.pk])).status_code in (403, 404)
    assert client.get(reverse("assignments:edit", args=[task.pk])).status_code == 403
    assert client.get(reverse("people:detail", args=[case.person_id])).status_code in (403, 404)


def test_partner_list_hides_the_case(client, partner, case, jobcenter, consented):
    make_task(case, owner_organisation=jobcenter)
    client.force_login(partner)

    body = client.get(reverse("assignments:mine")).content.decode()

    assert "Beratungstermin vergeben" in body
    assert case.reference not in body and case.person.last_name not in body
    assert reverse("cases:detail", args=[case.pk]) not in body


def test_partner_reports_status_and_comment(client, partner, case, jobcenter, consented):
    task = make_task(case, owner_organisation=jobcenter)
    client.force_login(partner)

    response = client.post(
        reverse("assignments:detail", args=[task.pk]),
        {"version": "1", "status": "done", "comment": "Termin am 3.12. vergeben"},
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_on) == (TaskStatus.DONE, timezone.localdate())
    comment = TaskComment.objects.get(task=task)
    assert (comment.from_status, comment.to_status, comment.author) == ("open", "done", partner)
    assert comment.author_organisation == "Jobcenter Lippe"


def test_partner_cannot_change_what_or_who(partner, case, jobcenter):
    task = make_task(case, owner_organisation=jobcenter)
    with pytest.raises(PermissionDenied):
        services.task_update(actor=partner, task=task, expected_version=1, title="anders")


def test_a_task_of_another_organisation_is_404_for_a_partner(
    client, other_partner, case, jobcenter
):
    task = make_task(case, owner_organisation=jobcenter)
    client.force_login(other_partner)
    assert client.get(reverse("assignments:detail", args=[task.pk])).status_code == 404
    with pytest.raises(Http404):
        selectors.get_task_for_user(other_partner, task.pk)


def test_partner_of_another_traeger_sees_nothing(case, jobcenter):
    task = make_task(case, owner_organisation=jobcenter)
    stranger = UserFactory(roles=[Role.PARTNER])
    stranger.organisation_id = jobcenter.pk  # even with a forged organisation id
    with pytest.raises(Http404):
        selectors.get_task_for_user(stranger, task.pk)


def test_case_team_sees_and_manages_all_tasks_of_the_case(
    client, team_lead, case, jobcenter, partner, consented
):
    tasks = [make_task(case, owner_organisation=jobcenter), make_task(case, owner_user=partner)]
    client.force_login(team_lead)

    listed = client.get(reverse("assignments:case_tasks", args=[case.pk]))
    assert {t.pk for t in listed.context["tasks"]} == {t.pk for t in tasks}

    edited = client.post(
        reverse("assignments:edit", args=[tasks[0].pk]),
        {
            "title": "Neu",
            "due_on": NEXT_WEEK.isoformat(),
            "owner_organisation": jobcenter.pk,
            "shared_categories": ["education_work"],
            "purpose": purpose(case.traeger).pk,
            "version": "1",
        },
    )
    assert edited.status_code == 302
    assert Task.objects.get(pk=tasks[0].pk).title == "Neu"


def test_closed_case_tasks_are_read_only(partner, case, jobcenter, consented):
    task = make_task(case, owner_organisation=jobcenter)
    case.phase = Phase.CLOSED
    case.save()
    task, access = selectors.get_task_for_user(partner, task.pk)
    with pytest.raises(ValidationError):
        services.task_report(
            actor=partner, task=task, access=access, expected_version=1, status="done"
        )


def test_the_case_page_links_the_tasks_section(case):
    assert (
        reverse("assignments:case_tasks", args=[case.pk])
        in dict(case_section_links(case.pk)).values()
    )


def test_pseudonyms_differ_per_organisation_and_are_stable(case, jobcenter, partner, other_partner):
    task = make_task(case, owner_organisation=jobcenter)
    first = selectors.pseudonym_for(task, partner)
    assert first == selectors.pseudonym_for(task, partner)
    assert first != selectors.pseudonym_for(task, other_partner)
    assert case.reference not in first


def test_my_tasks_queries_do_not_grow(client, partner, traeger, organisation, jobcenter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("assignments:mine")).status_code == 200
        return len(captured.captured_queries)

    def shared_task() -> None:
        case = CaseFactory(traeger=traeger, organisation=organisation)
        grant(case.person, jobcenter)
        make_task(
            case,
            owner_organisation=jobcenter,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        )

    client.force_login(partner)
    for _ in range(2):
        shared_task()
    count()  # warm up (the first audit entry starts the audit chain)
    few = count()
    for _ in range(10):
        shared_task()
    assert count() == few


# -- API ----------------------------------------------------------------------------------------


def test_api_partner_view_has_no_case(client_for, partner, case, jobcenter, consented):
    task = make_task(case, owner_organisation=jobcenter)
    api = client_for(partner)

    listed = api.get(reverse("api:task-list")).json()["results"]
    detail = api.get(reverse("api:task-detail", args=[task.pk])).json()

    for data in (listed[0], detail):
        assert "case" not in data
        assert data["case_pseudonym"].startswith("F-")
        assert set(data) == {
            "id",
            "version",
            "title",
            "due_on",
            "status",
            "done_on",
            "owner",
            "case_pseudonym",
            "consent_withdrawn",
            "person_name",
        }
        assert data["person_name"] == ""  # the task passes no identity on
    assert api.get(reverse("api:case-tasks", args=[case.pk])).status_code == 403
    assert api.get(reverse("api:case-detail", args=[case.pk])).status_code == 403

    reported = api.patch(
        reverse("api:task-detail", args=[task.pk]),
        {"version": 1, "status": "in_progress", "comment": "läuft"},
        format="json",
    )
    assert reported.status_code == 200 and reported.json()["status"] == "in_progress"
    forbidden = api.patch(
        reverse("api:task-detail", args=[task.pk]), {"version": 2, "title": "x"}, format="json"
    )
    assert forbidden.status_code == 403


def test_api_case_team_creates_and_lists(client_for, case_manager, case, jobcenter, consented):
    api = client_for(case_manager)
    created = api.post(
        reverse("api:case-tasks", args=[case.pk]),
        {
            "title": "Unterlagen prüfen",
            "due_on": NEXT_WEEK.isoformat(),
            "owner_organisation": jobcenter.pk,
            "shared_categories": ["education_work"],
            "purpose": purpose(case.traeger).pk,
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["case"] == case.pk
    listed = api.get(reverse("api:case-tasks", args=[case.pk])).json()
    assert [t["title"] for t in listed] == ["Unterlagen prüfen"]
    mine = api.get(reverse("api:task-list")).json()["results"]
    assert mine == []  # owned by the Jobcenter, not by the case manager
    team = api.get(reverse("api:task-list"), {"team": "true"}).json()["results"]
    assert [t["title"] for t in team] == ["Unterlagen prüfen"]


def test_a_due_date_more_than_ten_years_ahead_is_a_typing_error(case_manager, case):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=case_manager,
            case=case,
            title="Unterlagen besorgen",
            due_on=dt.date(2206, 1, 15),  # 2026 mistyped
            owner_user=case_manager,
        )
    assert error.value.message_dict == {
        "due_on": ["Das Datum liegt mehr als 10 Jahre in der Zukunft. Bitte das Jahr prüfen."]
    }
    assert not Task.objects.exists()


def test_the_task_title_is_stored_encrypted(case_manager, case):
    from django.db import connection

    from lotse.core.fieldcrypto import PREFIX

    task = services.task_create(
        actor=case_manager,
        case=case,
        title="Kanarien-Termin beim Jobcenter",
        due_on=NEXT_WEEK,
        owner_user=case_manager,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM assignments_task WHERE id = %s", [task.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith(PREFIX) and "Kanarien" not in raw
    assert Task.objects.get(pk=task.pk).title == "Kanarien-Termin beim Jobcenter"
