"""``granted_categories``: the union of the categories of the consents in force that name the
user's organisation, inside the user's Träger — computed now, nothing cached."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lotse.consent import services as consent_services
from lotse.consent.models import Consent, ConsentStatus, StatutoryBasis
from lotse.sharing.selectors import consents_in_force, granted_by_person, granted_categories
from tests.factories import PersonFactory, UserFactory, purpose
from tests.sharing.conftest import ALL, PURPOSE


def test_nothing_without_a_consent(shared):
    assert granted_categories(shared.partner, shared.person) == frozenset()


def test_a_valid_consent_grants_its_categories(shared):
    shared.consent(["identity", "education_work"])

    assert granted_categories(shared.partner, shared.person) == {"identity", "education_work"}


def test_several_consents_grant_their_union(shared):
    shared.consent(["identity"])
    shared.consent(["health"], recipients=[shared.partner_org, shared.other_org])

    assert granted_categories(shared.partner, shared.person) == {"identity", "health"}
    assert granted_categories(shared.other_partner, shared.person) == {"health"}


def test_a_category_subset_grants_only_that_subset(shared):
    shared.consent(["residence_status"])

    granted = granted_categories(shared.partner, shared.person)

    assert granted == {"residence_status"}
    assert "identity" not in granted and "youth_welfare" not in granted


def test_not_yet_valid_grants_nothing_until_its_first_day(shared):
    today = timezone.localdate()
    consent = shared.consent(ALL, valid_from=today + dt.timedelta(days=1))

    assert consent.status() == ConsentStatus.NOT_YET_VALID
    assert granted_categories(shared.partner, shared.person) == frozenset()
    assert granted_categories(shared.partner, shared.person, today + dt.timedelta(days=1)) == set(
        ALL
    )


def test_expired_grants_nothing_after_its_last_day(shared):
    today = timezone.localdate()
    shared.consent(ALL, valid_from=today - dt.timedelta(days=60), valid_until=today)

    assert granted_categories(shared.partner, shared.person) == set(ALL)  # last day still counts
    assert granted_categories(shared.partner, shared.person, today + dt.timedelta(days=1)) == (
        frozenset()
    )


def test_expired_yesterday(shared):
    today = timezone.localdate()
    consent = shared.consent(
        ALL, valid_from=today - dt.timedelta(days=60), valid_until=today - dt.timedelta(days=1)
    )

    assert consent.status() == ConsentStatus.EXPIRED
    assert granted_categories(shared.partner, shared.person) == frozenset()


def test_a_withdrawal_takes_effect_at_once(shared):
    consent = shared.consent(ALL)
    assert granted_categories(shared.partner, shared.person) == set(ALL)

    consent_services.consent_withdraw(actor=shared.case_manager, consent=consent, note="mündlich")

    assert granted_categories(shared.partner, shared.person) == frozenset()
    # The withdrawal ends the consent for the rest of that day, too.
    assert granted_categories(shared.partner, shared.person, timezone.localdate()) == frozenset()
    # Before the withdrawal the consent was in force (the journal can still be read correctly).
    consent.refresh_from_db()
    before = consent.withdrawn_at - dt.timedelta(seconds=1)
    assert granted_categories(shared.partner, shared.person, before) == set(ALL)


def test_a_superseded_version_counts_no_more_only_the_new_one(shared):
    first = consent_services.consent_record(
        actor=shared.case_manager,
        person=shared.person,
        recipients=[shared.partner_org],
        categories=["identity", "health", "education_work"],
        purpose=PURPOSE,
        form="written",
        valid_from=timezone.localdate() - dt.timedelta(days=5),
        text_version="EW-2026-1",
        attest_signed_paper=True,
    )
    consent_services.consent_change(
        actor=shared.case_manager,
        consent=first,
        recipients=[shared.partner_org],
        categories=["identity"],
        purpose=PURPOSE,
        form="written",
        valid_from=timezone.localdate(),
        text_version="EW-2026-1",
        attest_signed_paper=True,
    )

    first.refresh_from_db()
    assert first.status() == ConsentStatus.SUPERSEDED
    assert granted_categories(shared.partner, shared.person) == {"identity"}


def test_a_consent_for_another_organisation_grants_nothing(shared):
    shared.consent(ALL, recipients=[shared.other_org])

    assert granted_categories(shared.partner, shared.person) == frozenset()
    assert granted_categories(shared.other_partner, shared.person) == set(ALL)


def test_another_traeger_gets_nothing_even_from_a_corrupt_row(shared):
    # A row naming an organisation of another Träger cannot be recorded through the service;
    # even if it existed, the other Träger's users would see nothing.
    shared.consent(ALL, recipients=[shared.b_partner.organisation])

    assert granted_categories(shared.b_partner, shared.person) == frozenset()
    assert granted_by_person(shared.b_partner, [shared.person.pk]) == {}


def test_a_consent_of_another_person_grants_nothing_for_this_one(shared):
    other = PersonFactory(traeger=shared.traeger, organisation=shared.team)
    shared.consent(ALL, person=other)

    assert granted_categories(shared.partner, shared.person) == frozenset()
    assert granted_categories(shared.partner, other) == set(ALL)


def test_youth_welfare_only_with_a_consent_naming_it(shared):
    shared.consent(["identity"])
    team_lead = UserFactory(
        traeger=shared.traeger, organisation=shared.team, roles=["team_lead"], username="tl"
    )
    # A transfer on a statute opens no standing access (and never for youth welfare data).
    statute = StatutoryBasis.objects.create(
        traeger=shared.traeger,
        key="sgb-x-69",
        citation="§ 69 Abs. 1 Nr. 1 SGB X",
        allowed_roles=["team_lead"],
        allowed_recipient_kinds=["authority"],
    )
    statute.purposes.set([purpose(shared.traeger)])
    consent_services.transfer_record(
        actor=team_lead,
        person=shared.person,
        recipient=shared.partner_org,
        categories=["education_work"],
        purpose="Auskunft",
        purpose_key="arbeitsmarktintegration",
        basis="statute",
        statutory_basis=statute,
        reason="Leistungsgewährung",
    )

    assert granted_categories(shared.partner, shared.person) == {"identity"}
    shared.consent(["youth_welfare"])
    assert granted_categories(shared.partner, shared.person) == {"identity", "youth_welfare"}


def test_users_without_organisation_or_inactive_get_nothing(shared):
    shared.consent(ALL)
    shared.partner.is_active = False
    assert granted_categories(shared.partner, shared.person) == frozenset()
    shared.partner.is_active = True
    shared.partner.organisation_id = None
    assert granted_categories(shared.partner, shared.person) == frozenset()


def test_the_list_query_agrees_with_consent_status_for_every_state(shared):
    """``consents_in_force`` (one query for lists) means the same as ``status() == VALID``."""
    today = timezone.localdate()
    rows = [
        shared.consent(["identity"]),
        shared.consent(["identity"], valid_from=today + dt.timedelta(days=2)),
        shared.consent(["identity"], valid_from=today - dt.timedelta(days=9), valid_until=today),
        shared.consent(
            ["identity"],
            valid_from=today - dt.timedelta(days=9),
            valid_until=today - dt.timedelta(days=1),
        ),
    ]
    withdrawn = shared.consent(["identity"])
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    old = shared.consent(["identity"])
    shared.consent(["identity"], supersedes=old)
    rows += [withdrawn, old]

    in_force = set(
        consents_in_force(
            traeger_id=shared.traeger.pk, organisation_id=shared.partner_org.pk
        ).values_list("pk", flat=True)
    )

    for consent in Consent.objects.filter(person=shared.person):
        consent.refresh_from_db()
        assert (consent.pk in in_force) == (consent.status() == ConsentStatus.VALID), consent
    assert len(rows) == 6
