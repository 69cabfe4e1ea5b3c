"""Referrals: creation with eligibility and override, every transition, capacity, waiting list,
overdue follow-ups, scoping across teams and Träger."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from lotse.core.locking import EditConflict
from lotse.offers import selectors, services, transitions
from lotse.offers.models import Offer, Referral, ReferralEvent, ReferralState
from tests.factories import CaseFactory, OrganisationFactory, TraegerFactory, UserFactory
from tests.offers.conftest import give_status

pytestmark = pytest.mark.django_db

S = ReferralState
TODAY = timezone.localdate


def refer(actor, case, offer, **kwargs) -> Referral:
    return services.referral_create(actor=actor, case=case, offer=offer, **kwargs)


def move(actor, referral, to_state, **kwargs) -> Referral:
    referral.refresh_from_db()
    return services.referral_transition(
        actor=actor,
        referral=referral,
        to_state=to_state,
        expected_version=referral.version,
        **kwargs,
    )


# -- creation -----------------------------------------------------------------------------------


def test_eligible_client_is_referred_without_reason(case_manager, case, open_offer):
    referral = refer(case_manager, case, open_offer, follow_up_on=TODAY() + dt.timedelta(days=14))

    assert referral.state == S.REQUESTED
    assert referral.requested_on == TODAY()
    assert referral.eligibility_failures == [] and referral.override_reason == ""
    assert ReferralEvent.objects.filter(referral=referral, to_state=S.REQUESTED).count() == 1
    entry = AuditEntry.objects.get(object_type="referral", action="create")
    assert entry.person_id == case.person_id


def test_ineligible_client_needs_a_reason(case_manager, case, integration_course):
    with pytest.raises(ValidationError) as error:
        refer(case_manager, case, integration_course, override_reason="   ")

    assert "override_reason" in error.value.message_dict
    assert not Referral.objects.exists()


def test_override_with_reason_is_recorded_with_the_failed_conditions(
    case_manager, case, integration_course
):
    referral = refer(
        case_manager, case, integration_course, override_reason="Träger nimmt Sondermaßnahme auf"
    )

    assert referral.override_reason == "Träger nimmt Sondermaßnahme auf"
    # The person is Syrian without a recorded status: both paths fail on the status.
    assert {(f["path"], f["code"]) for f in referral.eligibility_failures} == {
        ("Titel", "status"),
        ("Hauptherkunftsland", "status"),
    }
    assert AuditEntry.objects.get(object_type="referral").detail.endswith(":override")
    event = ReferralEvent.objects.get(referral=referral)
    assert event.note == "Träger nimmt Sondermaßnahme auf"


def test_a_reason_given_for_an_eligible_client_is_not_stored_as_override(
    case_manager, case, integration_course, gestattung
):
    case.person.nationalities = ["ER"]
    case.person.save()
    give_status(case.person, gestattung)

    referral = refer(case_manager, case, integration_course, override_reason="vorsorglich")

    assert referral.override_reason == ""


def test_no_second_open_referral_to_the_same_offer(case_manager, case, open_offer):
    first = refer(case_manager, case, open_offer)
    with pytest.raises(ValidationError) as error:
        refer(case_manager, case, open_offer)
    assert "offer" in error.value.message_dict

    move(case_manager, first, S.DROPPED)
    assert refer(case_manager, case, open_offer).pk != first.pk


def test_inactive_offer_and_offer_of_another_traeger_are_refused(case_manager, case, open_offer):
    open_offer.active = False
    open_offer.save()
    foreign = Offer.objects.create(traeger=TraegerFactory(), key="x", kind="other", title="Fremd")
    for offer in (open_offer, foreign):
        with pytest.raises(ValidationError) as error:
            refer(case_manager, case, offer)
        assert "offer" in error.value.message_dict


def test_closed_case_is_read_only(case_manager, case, open_offer):
    referral = refer(case_manager, case, open_offer)
    case.phase = Phase.CLOSED
    case.save()

    with pytest.raises(ValidationError):
        refer(
            case_manager,
            case,
            Offer.objects.create(traeger=case.traeger, key="y", kind="other", title="Y"),
        )
    referral = Referral.objects.select_related("case").get(pk=referral.pk)
    with pytest.raises(ValidationError):
        services.referral_transition(
            actor=case_manager, referral=referral, to_state=S.ACCEPTED, expected_version=1
        )


def test_roles_without_case_access_cannot_refer(traeger, organisation, case, open_offer):
    for role in (Role.COORDINATION, Role.PARTNER, Role.ADMINISTRATION, Role.DATA_PROTECTION):
        user = UserFactory(traeger=traeger, organisation=organisation, roles=[role])
        with pytest.raises(PermissionDenied):
            refer(user, case, open_offer)


def test_dates_in_the_future_are_refused(case_manager, case, open_offer):
    with pytest.raises(ValidationError) as error:
        refer(case_manager, case, open_offer, requested_on=TODAY() + dt.timedelta(days=1))
    assert "requested_on" in error.value.message_dict


# -- the state machine --------------------------------------------------------------------------

ALL = list(S.values)
ALLOWED = {(a, b) for a, targets in transitions.ALLOWED.items() for b in targets}
PATHS_TO = {
    S.REQUESTED: [],
    S.ACCEPTED: [S.ACCEPTED],
    S.WAITING: [S.WAITING],
    S.STARTED: [S.ACCEPTED, S.STARTED],
    S.COMPLETED: [S.ACCEPTED, S.STARTED, S.COMPLETED],
    S.DROPPED: [S.DROPPED],
    S.DECLINED: [S.DECLINED],
}


def test_the_documented_machine():
    assert ALLOWED == {
        (S.REQUESTED, S.ACCEPTED),
        (S.REQUESTED, S.WAITING),
        (S.REQUESTED, S.DECLINED),
        (S.REQUESTED, S.DROPPED),
        (S.WAITING, S.ACCEPTED),
        (S.WAITING, S.DECLINED),
        (S.WAITING, S.DROPPED),
        (S.ACCEPTED, S.STARTED),
        (S.ACCEPTED, S.DROPPED),
        (S.STARTED, S.COMPLETED),
        (S.STARTED, S.DROPPED),
    }


@pytest.mark.parametrize(("from_state", "to_state"), list(itertools.product(ALL, ALL)))
def test_every_transition(case_manager, case, open_offer, from_state, to_state):
    referral = refer(case_manager, case, open_offer)
    for step in PATHS_TO[from_state]:
        referral = move(case_manager, referral, step)
    assert referral.state == from_state
    version = referral.version

    if (from_state, to_state) in ALLOWED:
        move(case_manager, referral, to_state, note="Rückmeldung")
        referral.refresh_from_db()
        assert referral.state == to_state
        assert referral.version == version + 1
        assert getattr(referral, transitions.DATE_FIELD[to_state]) == TODAY()
        last = ReferralEvent.objects.filter(referral=referral).last()
        assert (last.from_state, last.to_state, last.note) == (from_state, to_state, "Rückmeldung")
    else:
        with pytest.raises(ValidationError) as error:
            move(case_manager, referral, to_state)
        assert "to_state" in error.value.message_dict
        referral.refresh_from_db()
        assert (referral.state, referral.version) == (from_state, version)


def test_a_transition_cannot_be_dated_before_the_previous_step(case_manager, case, open_offer):
    referral = refer(case_manager, case, open_offer, requested_on=TODAY() - dt.timedelta(days=3))

    with pytest.raises(ValidationError) as error:
        move(case_manager, referral, S.ACCEPTED, on=TODAY() - dt.timedelta(days=4))
    assert "on" in error.value.message_dict

    move(case_manager, referral, S.ACCEPTED, on=TODAY() - dt.timedelta(days=2))
    referral.refresh_from_db()
    assert referral.accepted_on == TODAY() - dt.timedelta(days=2)


def test_a_stale_version_changes_nothing(case_manager, case, open_offer):
    referral = refer(case_manager, case, open_offer)
    with pytest.raises(EditConflict):
        services.referral_transition(
            actor=case_manager, referral=referral, to_state=S.ACCEPTED, expected_version=7
        )
    referral.refresh_from_db()
    assert referral.state == S.REQUESTED
    assert not ReferralEvent.objects.filter(to_state=S.ACCEPTED).exists()


# -- capacity and waiting list ------------------------------------------------------------------


@pytest.fixture
def three_cases(traeger, organisation, case_manager):
    return [
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        for _ in range(3)
    ]


def test_accepting_beyond_the_places_puts_the_referral_on_the_waiting_list(
    case_manager, three_cases, open_offer
):
    open_offer.capacity = 2
    open_offer.save()
    referrals = [refer(case_manager, c, open_offer) for c in three_cases]

    states = [move(case_manager, r, S.ACCEPTED).state for r in referrals]

    assert states == [S.ACCEPTED, S.ACCEPTED, S.WAITING]
    assert selectors.occupied_places(open_offer) == 2
    assert [r.pk for r in selectors.waiting_list(open_offer)] == [referrals[2].pk]
    assert selectors.waiting_position(Referral.objects.get(pk=referrals[2].pk)) == 1
    listed = selectors.get_offer_for_user(case_manager, open_offer.pk)
    assert (listed.occupied, listed.waiting) == (2, 1)


def test_a_waiting_referral_is_accepted_once_a_place_is_free(case_manager, three_cases, open_offer):
    open_offer.capacity = 1
    open_offer.save()
    first, second, _ = (refer(case_manager, c, open_offer) for c in three_cases)
    move(case_manager, first, S.ACCEPTED)
    move(case_manager, second, S.ACCEPTED)  # → waiting

    with pytest.raises(ValidationError):
        move(case_manager, second, S.ACCEPTED)  # still full
    move(case_manager, first, S.STARTED)
    move(case_manager, first, S.COMPLETED)  # frees the place

    assert move(case_manager, second, S.ACCEPTED).state == S.ACCEPTED


def test_started_referrals_take_places_and_no_capacity_means_no_limit(
    case_manager, three_cases, open_offer
):
    referrals = [refer(case_manager, c, open_offer) for c in three_cases]
    assert all(move(case_manager, r, S.ACCEPTED).state == S.ACCEPTED for r in referrals)
    move(case_manager, referrals[0], S.STARTED)

    assert selectors.occupied_places(open_offer) == 3


def test_waiting_positions_follow_the_waiting_date(case_manager, three_cases, open_offer):
    open_offer.capacity = 0
    open_offer.save()
    requested = TODAY() - dt.timedelta(days=10)
    referrals = [refer(case_manager, c, open_offer, requested_on=requested) for c in three_cases]
    move(case_manager, referrals[2], S.WAITING, on=TODAY() - dt.timedelta(days=5))
    move(case_manager, referrals[0], S.WAITING, on=TODAY() - dt.timedelta(days=1))
    move(case_manager, referrals[1], S.ACCEPTED)  # capacity 0 → waiting today

    assert [r.pk for r in selectors.waiting_list(open_offer)] == [
        referrals[2].pk,
        referrals[0].pk,
        referrals[1].pk,
    ]


# -- follow-ups and the worklist ----------------------------------------------------------------


def test_overdue_follow_ups_reach_the_worklist(
    traeger, organisation, case_manager, team_lead, open_offer
):
    cases = [
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        for _ in range(4)
    ]
    past, future = TODAY() - dt.timedelta(days=20), TODAY() + dt.timedelta(days=3)
    overdue = refer(case_manager, cases[0], open_offer, requested_on=past, follow_up_on=past)
    refer(case_manager, cases[1], open_offer, requested_on=past, follow_up_on=future)
    done = refer(case_manager, cases[2], open_offer, requested_on=past, follow_up_on=past)
    move(case_manager, done, S.DROPPED)
    refer(case_manager, cases[3], open_offer)  # no follow-up at all

    page = selectors.referral_worklist_page(
        case_manager, filters=selectors.ReferralFilter(overdue=True), cursor=None
    )
    assert [r.pk for r in page.items] == [overdue.pk]

    # The team lead sees it only with the team filter (it is not one of their own cases).
    mine = selectors.referral_worklist_page(
        team_lead, filters=selectors.ReferralFilter(overdue=True), cursor=None
    )
    team = selectors.referral_worklist_page(
        team_lead, filters=selectors.ReferralFilter(overdue=True, mine=False), cursor=None
    )
    assert mine.items == [] and [r.pk for r in team.items] == [overdue.pk]


def test_worklist_pages_by_keyset(traeger, organisation, case_manager, open_offer):
    past = TODAY() - dt.timedelta(days=30)
    for offset in range(5):
        c = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        day = past + dt.timedelta(days=offset)
        refer(case_manager, c, open_offer, requested_on=day, follow_up_on=day)

    filters = selectors.ReferralFilter(overdue=True)
    first = selectors.referral_worklist_page(case_manager, filters=filters, cursor=None, size=3)
    second = selectors.referral_worklist_page(
        case_manager, filters=filters, cursor=first.next_cursor, size=3
    )

    dates = [r.follow_up_on for r in first.items + second.items]
    assert dates == sorted(dates) and len(set(dates)) == 5
    assert second.next_cursor is None


def test_follow_up_and_feedback(case_manager, case, open_offer):
    referral = refer(case_manager, case, open_offer)
    services.referral_update(
        actor=case_manager,
        referral=referral,
        expected_version=1,
        follow_up_on=TODAY() + dt.timedelta(days=7),
        feedback="Einstufungstest am Montag",
    )
    referral.refresh_from_db()
    assert (referral.follow_up_on, referral.feedback, referral.version) == (
        TODAY() + dt.timedelta(days=7),
        "Einstufungstest am Montag",
        2,
    )
    with pytest.raises(ValidationError):
        services.referral_update(
            actor=case_manager,
            referral=referral,
            expected_version=2,
            follow_up_on=referral.requested_on - dt.timedelta(days=1),
            feedback="",
        )


# -- scoping ------------------------------------------------------------------------------------


def test_referrals_are_scoped_like_cases(traeger, case_manager, case, open_offer):
    referral = refer(case_manager, case, open_offer)
    other_team = UserFactory(traeger=traeger, roles=[Role.CASE_MANAGEMENT])
    other_traeger = UserFactory(roles=[Role.CASE_MANAGEMENT])
    coordinator = UserFactory(
        traeger=traeger, organisation=case.organisation, roles=[Role.COORDINATION]
    )

    for outsider in (other_team, other_traeger, coordinator):
        with pytest.raises(Exception) as error:
            selectors.get_referral_for_user(outsider, referral.pk)
        assert issubclass(error.type, Http404)
        page = selectors.referral_worklist_page(
            outsider, filters=selectors.ReferralFilter(mine=False), cursor=None
        )
        assert page.items == []
    assert selectors.get_referral_for_user(case_manager, referral.pk) == referral


def test_the_catalogue_is_per_traeger(case_manager, open_offer):
    stranger = UserFactory(
        traeger=(t := TraegerFactory()),
        organisation=OrganisationFactory(traeger=t),
        roles=[Role.COORDINATION],
    )
    assert list(selectors.offer_queryset_for_user(stranger)) == []
    assert list(selectors.offer_queryset_for_user(case_manager)) == [open_offer]
