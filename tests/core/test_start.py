"""The start pages: own work (case management), the team (team lead), the welcome page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.assignments.models import Task, TaskStatus
from lotse.cases.models import Case, Phase
from lotse.core.access import StartPage, start_page_for
from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    OrganisationFactory,
    UserFactory,
    default_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(traeger):
    """Two goals: each client gets an overdue deadline for the first and a later one."""
    return (
        Goal.objects.create(traeger=traeger, key="kita", code="Z1", title="Kita-Platz"),
        Goal.objects.create(traeger=traeger, key="kurs", code="Z2", title="Integrationskurs"),
    )


def _client_with_work(traeger, organisation, case_manager, goal, *, count, post=None):
    """``count`` open cases of ``case_manager``, each with an overdue and a later deadline and
    an overdue task; one closed case that must not count."""
    today = timezone.localdate()
    for _ in range(count):
        case = CaseFactory(
            traeger=traeger,
            organisation=organisation,
            case_manager=case_manager,
            post=post or default_post(organisation),
        )
        for goal_, due_on in zip(
            goal, (today - dt.timedelta(days=3), today + dt.timedelta(days=20)), strict=True
        ):
            PersonGoalDeadline.objects.create(
                traeger=traeger,
                person=case.person,
                goal=goal_,
                status=DeadlineStatus.OPEN,
                due_on=due_on,
                computed_at=timezone.now(),
            )
        Task.objects.create(
            traeger=traeger,
            case=case,
            title="Anmeldung prüfen",
            owner_user=case_manager,
            due_on=today - dt.timedelta(days=1),
        )
    closed = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        post=post,
        phase=Phase.CLOSED,
    )
    Task.objects.create(
        traeger=traeger,
        case=closed,
        title="Erledigt",
        owner_user=case_manager,
        due_on=today,
        status=TaskStatus.DONE,
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_own_work_is_meine_woche_of_the_users_own_cases(client, traeger, organisation, goal):
    mine = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT])
    colleague = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT]
    )
    _client_with_work(traeger, organisation, colleague, goal, count=3)
    client.force_login(mine)
    response = client.get(reverse("start"))
    assert response.context["week"].due_count == 0
    assert "Meine Woche" in response.content.decode()
    client.force_login(colleague)
    week = client.get(reverse("start")).context["week"]
    assert week.due_count == 3 * 2  # an overdue deadline and an overdue task per client


def test_the_team_page_shows_caseload_and_overdue_deadlines_per_post(
    client, traeger, organisation, case_manager, team_lead, goal
):
    north = CaseManagementPostFactory(
        traeger=traeger,
        organisation=organisation,
        name="CM Nord",
        holder=case_manager,
        team_lead=team_lead,
        target_caseload=2,
        sort_order=1,
    )
    vacant = CaseManagementPostFactory(
        traeger=traeger, organisation=organisation, name="CM Süd", sort_order=2, team_lead=team_lead
    )
    elsewhere = CaseManagementPostFactory(traeger=traeger, name="CM Verein")
    _client_with_work(traeger, organisation, case_manager, goal, count=3, post=north)
    client.force_login(team_lead)
    few = _queries(client, reverse("start"))
    for index in range(5):
        CaseManagementPostFactory(
            traeger=traeger,
            organisation=organisation,
            name=f"CM {index}",
            sort_order=3,
            team_lead=team_lead,
        )
    assert _queries(client, reverse("start")) == few

    response = client.get(reverse("start"))
    team = response.context["team"]
    rows = {row.post.pk: row for row in team.posts}
    assert elsewhere.pk not in rows
    assert (rows[north.pk].open_cases, rows[north.pk].overdue_deadlines) == (3, 3)
    assert rows[north.pk].over_target
    assert (rows[vacant.pk].open_cases, rows[vacant.pk].overdue_deadlines) == (0, 0)
    html = response.content.decode()
    assert "Mein Team" in html and "über Soll" in html and "unbesetzt" in html


def test_case_work_comes_first_for_a_team_lead_with_cases(client, traeger, organisation):
    both = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.TEAM_LEAD, Role.CASE_MANAGEMENT]
    )
    assert start_page_for(both) == StartPage.OWN_WORK
    client.force_login(both)
    response = client.get(reverse("start"))
    assert "week" in response.context
    assert reverse("start_team") in response.content.decode()
    assert client.get(reverse("start_team")).status_code == 200


def test_the_team_page_is_for_team_leads_only(client, case_manager):
    client.force_login(case_manager)
    assert client.get(reverse("start_team")).status_code == 403
    assert reverse("start_team") not in client.get(reverse("start")).content.decode()


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([Role.COORDINATION, Role.DATA_PROTECTION], StartPage.REGION),
        ([Role.PARTNER, Role.DATA_PROTECTION], StartPage.SHARED),
        ([Role.DATA_PROTECTION, Role.ADMINISTRATION], StartPage.AUDIT_LOG),
        ([Role.ADMINISTRATION], StartPage.ADMINISTRATION),
        ([], StartPage.WELCOME),
    ],
)
def test_the_first_fitting_role_decides(traeger, organisation, roles, expected):
    user = UserFactory(traeger=traeger, organisation=organisation, roles=roles, is_staff=True)
    assert start_page_for(user) == expected


def test_an_administration_role_without_staff_status_gets_the_welcome_page(
    client, traeger, organisation
):
    user = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.ADMINISTRATION])
    client.force_login(user)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert 'data-start-page="welcome"' in response.content.decode()
    assert reverse("admin:index") not in response.content.decode()


def test_a_user_without_traeger_sees_no_region_links(client):
    user = UserFactory(traeger=None, organisation=None, roles=[])
    client.force_login(user)
    html = client.get(reverse("start")).content.decode()
    assert "keine Rolle" in html or "noch keine Rolle" in html
    assert reverse("directory:goals") not in html and reverse("directory:structure") not in html


def test_home_and_logo_lead_to_the_start_page(client, case_manager):
    assert client.get(reverse("home")).url == reverse("login")
    client.force_login(case_manager)
    assert client.get(reverse("home")).url == reverse("start")
    html = client.get(reverse("start")).content.decode()
    assert f'<a class="lotse-brand" href="{reverse("start")}">' in html


def test_other_organisations_cases_stay_out_of_the_team(
    client, traeger, organisation, team_lead, goal
):
    other_org = OrganisationFactory(traeger=traeger, key="verein", name="Verein")
    stranger = UserFactory(traeger=traeger, organisation=other_org, roles=[Role.CASE_MANAGEMENT])
    post = CaseManagementPostFactory(traeger=traeger, organisation=organisation, name="CM Ost")
    # A case of another organisation booked on the team's post (bad data) does not count.
    _client_with_work(traeger, other_org, stranger, goal, count=2, post=post)
    client.force_login(team_lead)
    (row,) = client.get(reverse("start")).context["team"].posts
    assert (row.open_cases, row.overdue_deadlines) == (0, 0)


def _coached(traeger, organisation, coach, module, count):
    from lotse.programmes.models import EligibilityCheck, ModuleAssignment, Participation

    for _ in range(count):
        case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=coach)
        check = EligibilityCheck.objects.create(
            traeger=traeger,
            person=case.person,
            programme=module.programme,
            intake_date=case.opened_on,
            eligible=True,
            criteria=[],
            provider=organisation,
        )
        participation = Participation.objects.create(
            traeger=traeger,
            case=case,
            programme=module.programme,
            intake_date=case.opened_on,
            eligibility_check=check,
            provider=organisation,
        )
        ModuleAssignment.objects.create(
            traeger=traeger,
            participation=participation,
            module=module,
            coach=coach,
            starts_on=timezone.localdate() - dt.timedelta(days=10),
        )


def test_the_team_page_shows_items_per_case_manager_substitutions_and_coaching(
    client, traeger, organisation, case_manager, team_lead, goal, django_assert_max_num_queries
):
    from lotse.directory.models import Programme, ProgrammeModule
    from lotse.offers.models import Offer, OfferKind, Referral
    from lotse.teams.models import Substitution
    from tests.factories import ProgrammeFactory

    today = timezone.localdate()
    post = default_post(organisation)
    durchstarten = ProgrammeFactory(
        traeger=traeger,
        key="durchstarten",
        name="Durchstarten",
        kind=Programme.Kind.PARTICIPATION_MANAGEMENT,
    )
    coaching = ProgrammeModule.objects.create(
        traeger=traeger,
        programme=durchstarten,
        key="baustein-1",
        number=1,
        name="Coaching",
        participants_per_coach=2,
    )
    offer = Offer.objects.create(
        traeger=traeger, key="sprachcafe", kind=OfferKind.LANGUAGE_SUPPORT, title="Sprachcafé"
    )
    colleague = UserFactory(
        traeger=traeger,
        organisation=organisation,
        roles=[Role.CASE_MANAGEMENT],
        first_name="Vera",
        last_name="Vertretung",
    )

    def add(count):
        _client_with_work(traeger, organisation, case_manager, goal, count=count, post=post)
        for case in Case.objects.filter(case_manager=case_manager).exclude(phase=Phase.CLOSED)[
            :count
        ]:
            Referral.objects.create(
                traeger=traeger,
                case=case,
                offer=offer,
                requested_on=today,
                follow_up_on=today - dt.timedelta(days=1),
            )
        _coached(traeger, organisation, colleague, coaching, count)

    add(1)
    Substitution.objects.create(
        traeger=traeger,
        post=post,
        substitute=colleague,
        reason="Urlaub",
        starts_on=today + dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=19),
    )
    Substitution.objects.create(
        traeger=traeger,
        post=post,
        substitute=colleague,
        reason="Vorbei",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=1),
    )
    client.force_login(team_lead)
    # 14: one of them asks whether the Träger configures Teilhabemanagement (menu entry), one
    # reads the overdue deadlines per post for the whole team (``_overdue_by_post``).
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("start"))
    add(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("start"))

    team = response.context["team"]
    rows = {row.user.pk: row for row in team.workloads}
    mine = rows[case_manager.pk]
    assert (mine.open_cases, mine.deadlines, mine.deadlines_overdue) == (5, 10, 5)
    assert (mine.tasks, mine.tasks_overdue, mine.follow_ups, mine.follow_ups_overdue) == (
        5,
        5,
        5,
        5,
    )
    assert rows[colleague.pk].open_cases == 5 and rows[colleague.pk].overdue == 0
    # Current and upcoming only; the one that ended yesterday is not shown.
    reasons = [row.reason for row in team.substitutions]
    assert "Urlaub" in reasons and "Vorbei" not in reasons
    (coach,) = team.coaches
    assert (coach.participants, coach.ratio, coach.over_ratio) == (5, 2, True)
    html = response.content.decode()
    assert "über Verhältnis" in html and "1:2" in html and "Vertretung" in html


def test_the_team_page_leaves_out_posts_the_user_does_not_lead(
    client, traeger, organisation, team_lead, goal
):
    other = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT])
    foreign = CaseManagementPostFactory(traeger=traeger, organisation=organisation, holder=other)
    _client_with_work(traeger, organisation, other, goal, count=2, post=foreign)
    client.force_login(team_lead)
    team = client.get(reverse("start")).context["team"]
    assert foreign.pk not in {row.post.pk for row in team.posts}
    assert other.pk not in {row.user.pk for row in team.workloads}


def test_a_childs_deadline_counts_for_the_household_case_and_an_own_case_wins(
    client, traeger, organisation, case_manager, team_lead, goal
):
    """The team page assigns a deadline like the worklist: the person's own open case, else the
    newest open case in the household (a child's school place: the mother's case manager)."""
    from lotse.people.models import Household, Person
    from tests.factories import PersonFactory

    other = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT], last_name="Ott"
    )
    household = Household.objects.create(traeger=traeger, label="Haddad")
    post = default_post(organisation)
    mother = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        household=household,
        household_role=Person.HouseholdRole.HEAD,
    )
    child = PersonFactory(traeger=traeger, organisation=organisation, household=household)
    teen = PersonFactory(traeger=traeger, organisation=organisation, household=household)
    # The teenager has an own case (older) with another case manager: it wins over the
    # household's newest case (the mother's), which the child's deadline goes to.
    CaseFactory(
        traeger=traeger, organisation=organisation, person=teen, case_manager=other, post=post
    )
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=mother,
        case_manager=case_manager,
        post=post,
    )
    today = timezone.localdate()
    for person in (child, teen):
        PersonGoalDeadline.objects.create(
            traeger=traeger,
            person=person,
            goal=goal[0],
            status=DeadlineStatus.OPEN,
            due_on=today - dt.timedelta(days=1),
            computed_at=timezone.now(),
        )
    client.force_login(team_lead)
    response = client.get(reverse("start_team"))

    rows = {row.user.pk: row for row in response.context["team"].workloads}
    print(
        "DBG",
        list(
            Case.objects.values_list(
                "person_id", "case_manager_id", "opened_on", "phase", "person__household_id"
            )
        ),
        child.pk,
        teen.pk,
        mother.pk,
    )
    assert (rows[case_manager.pk].deadlines, rows[case_manager.pk].deadlines_overdue) == (1, 1)
    assert (rows[other.pk].deadlines, rows[other.pk].deadlines_overdue) == (1, 1)
