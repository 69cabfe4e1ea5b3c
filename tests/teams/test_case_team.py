"""The case team: need-to-know inside one organisation (issue 9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment
from lotse.cases.selectors import case_queryset_for_user, get_case_for_user
from lotse.consent.models import Transfer
from lotse.core.access import Action
from lotse.people.selectors import person_queryset_for_user
from lotse.people.services import person_create
from lotse.teams import services
from lotse.teams.models import Handover
from lotse.teams.scope import forget_team_scope
from lotse.teams.selectors import case_team_users, responsible_post_for, sozialraum_for
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    SozialraumFactory,
    TraegerFactory,
    UserFactory,
    grant_consent,
    purpose,
)

pytestmark = pytest.mark.django_db


def _worker(traeger, organisation, role=Role.CASE_MANAGEMENT):
    user = UserFactory(traeger=traeger, organisation=organisation, roles=[])
    RoleAssignment.objects.create(user=user, role=role)
    user.__dict__.pop("_role_cache", None)
    return user


@pytest.fixture
def region():
    traeger = TraegerFactory()
    kreis = OrganisationFactory(traeger=traeger, name="Kreis")
    programme = ProgrammeFactory(traeger=traeger)
    north = SozialraumFactory(traeger=traeger, name="Nord")
    south = SozialraumFactory(traeger=traeger, name="Süd")
    anna, ben, lead = _worker(traeger, kreis), _worker(traeger, kreis), None
    lead = _worker(traeger, kreis, Role.TEAM_LEAD)
    post_north = CaseManagementPostFactory(
        traeger=traeger,
        organisation=kreis,
        programme=programme,
        sozialraum=north,
        holder=anna,
        team_lead=lead,
    )
    post_south = CaseManagementPostFactory(
        traeger=traeger,
        organisation=kreis,
        programme=programme,
        sozialraum=south,
        holder=ben,
        team_lead=lead,
    )
    person = PersonFactory(traeger=traeger, organisation=kreis, post=post_north)
    case = CaseFactory(
        traeger=traeger,
        organisation=kreis,
        person=person,
        programme=programme,
        post=post_north,
        case_manager=anna,
    )
    return {
        "traeger": traeger,
        "kreis": kreis,
        "programme": programme,
        "north": north,
        "south": south,
        "anna": anna,
        "ben": ben,
        "lead": lead,
        "post_north": post_north,
        "post_south": post_south,
        "person": person,
        "case": case,
    }


def test_same_organisation_other_sozialraum_sees_nothing(region):
    ben = region["ben"]
    assert not case_queryset_for_user(ben).filter(pk=region["case"].pk).exists()
    assert not person_queryset_for_user(ben).filter(pk=region["person"].pk).exists()
    with pytest.raises(Http404):
        get_case_for_user(ben, region["case"].pk)


def test_holder_and_team_lead_see_the_case(region):
    for user in (region["anna"], region["lead"]):
        assert get_case_for_user(user, region["case"].pk, Action.CHANGE) == region["case"]


@pytest.mark.parametrize(("start", "end", "sees"), [(2, 9, False), (-2, 3, True), (-9, -1, False)])
def test_substitute_sees_the_cases_only_in_the_period(region, start, end, sees):
    today = timezone.localdate()
    services.substitution_create(
        actor=region["lead"],
        post=region["post_north"],
        substitute=region["ben"],
        starts_on=today + dt.timedelta(days=start),
        ends_on=today + dt.timedelta(days=max(end, 0)),
        reason="Urlaub",
    ) if end >= 0 else _past_substitution(region, start, end)
    ben = region["ben"]
    forget_team_scope(ben)
    assert case_queryset_for_user(ben).filter(pk=region["case"].pk).exists() is sees


def _past_substitution(region, start, end):
    from lotse.teams.models import Substitution

    today = timezone.localdate()
    Substitution.objects.create(
        traeger=region["traeger"],
        post=region["post_north"],
        substitute=region["ben"],
        starts_on=today + dt.timedelta(days=start),
        ends_on=today + dt.timedelta(days=end),
        reason="Urlaub",
    )


def test_ending_a_substitution_early_ends_the_access_at_once(region):
    today = timezone.localdate()
    substitution = services.substitution_create(
        actor=region["lead"],
        post=region["post_north"],
        substitute=region["ben"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        reason="Krankheit",
    )
    assert case_queryset_for_user(region["ben"]).filter(pk=region["case"].pk).exists()
    services.substitution_end(actor=region["lead"], substitution=substitution)
    forget_team_scope(region["ben"])
    assert not case_queryset_for_user(region["ben"]).filter(pk=region["case"].pk).exists()


def test_only_the_lead_or_holder_arranges_a_substitution(region):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.substitution_create(
            actor=region["ben"],
            post=region["post_north"],
            substitute=region["ben"],
            starts_on=today,
            ends_on=today,
            reason="Selbst ernannt",
        )


def test_substitution_dates_are_checked_in_german(region, settings):
    settings.LANGUAGE_CODE = "de"
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.substitution_create(
            actor=region["lead"],
            post=region["post_north"],
            substitute=region["ben"],
            starts_on=today + dt.timedelta(days=5),
            ends_on=today,
            reason="Urlaub",
        )
    assert error.value.message_dict["ends_on"] == ["Der letzte Tag liegt vor dem ersten Tag."]


def test_added_member_sees_this_case_only(region):
    other = CaseFactory(
        traeger=region["traeger"],
        organisation=region["kreis"],
        programme=region["programme"],
        post=region["post_north"],
        person=PersonFactory(
            traeger=region["traeger"], organisation=region["kreis"], post=region["post_north"]
        ),
    )
    services.membership_add(
        actor=region["anna"],
        case=region["case"],
        user=region["ben"],
        reason="Teilhabemanager für Durchstarten",
    )
    ben = region["ben"]
    assert set(case_queryset_for_user(ben).values_list("pk", flat=True)) == {region["case"].pk}
    assert region["person"].pk in person_queryset_for_user(ben).values_list("pk", flat=True)
    assert other.pk not in case_queryset_for_user(ben).values_list("pk", flat=True)
    assert ben in case_team_users(region["case"])


def test_a_member_needs_a_reason(region):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=region["anna"], case=region["case"], user=region["ben"], reason="x"
        )
    assert "reason" in error.value.message_dict


def test_break_the_glass_opens_one_case_for_a_day_and_is_logged(region):
    from lotse.audit.models import AuditEntry

    ben = region["ben"]
    access = services.break_glass_open(
        actor=ben,
        reference=region["case"].reference,
        reason="Klient steht vor der Tür, Kollegin erkrankt",
    )
    assert get_case_for_user(ben, region["case"].pk) == region["case"]
    assert access.expires_at - access.opened_at <= dt.timedelta(hours=12)
    assert AuditEntry.objects.filter(
        action="break_glass", user=ben, object_id=str(region["case"].pk)
    ).exists()
    access.expires_at = timezone.now() - dt.timedelta(seconds=1)
    access.save(update_fields=["expires_at"])
    forget_team_scope(ben)
    with pytest.raises(Http404):
        get_case_for_user(ben, region["case"].pk)


def test_break_the_glass_needs_a_reason_and_an_existing_case(region):
    with pytest.raises(ValidationError) as error:
        services.break_glass_open(actor=region["ben"], reference="0000-000000", reason="eilig")
    assert set(error.value.message_dict) == {"reference", "reason"}


def test_handover_inside_the_organisation_moves_case_and_person(region):
    handover = services.case_handover(
        actor=region["anna"], case=region["case"], to_post=region["post_south"], reason="Umzug"
    )
    case = region["case"]
    case.refresh_from_db()
    region["person"].refresh_from_db()
    assert case.post == region["post_south"] and case.case_manager == region["ben"]
    assert region["person"].post == region["post_south"]
    assert handover.from_user == region["anna"] and handover.to_user == region["ben"]
    assert handover.transfer is None
    forget_team_scope(region["anna"])
    assert not case_queryset_for_user(region["anna"]).filter(pk=case.pk).exists()
    assert case_queryset_for_user(region["ben"]).filter(pk=case.pk).exists()


def test_handover_to_another_organisation_needs_a_consent_and_is_journaled(region, settings):
    settings.LANGUAGE_CODE = "de"
    network = OrganisationFactory(traeger=region["traeger"], name="Netzwerk")
    coach = _worker(region["traeger"], network)
    post = CaseManagementPostFactory(traeger=region["traeger"], organisation=network, holder=coach)
    with pytest.raises(ValidationError) as error:
        services.case_handover(actor=region["anna"], case=region["case"], to_post=post)
    assert "purpose" in error.value.message_dict
    purpose(region["traeger"], "teilhabemanagement")
    with pytest.raises(ValidationError) as error:
        services.case_handover(
            actor=region["anna"], case=region["case"], to_post=post, purpose="teilhabemanagement"
        )
    assert "die Netzwerk als Empfänger nennt" in " ".join(error.value.message_dict["to_post"])
    assert not Handover.objects.exists()

    grant_consent(
        region["person"],
        network,
        categories=("identity", "residence_status", "education_work"),
        purposes=("teilhabemanagement",),
    )
    handover = services.case_handover(
        actor=region["anna"], case=region["case"], to_post=post, purpose="teilhabemanagement"
    )
    assert handover.transfer is not None
    assert Transfer.objects.filter(person=region["person"], recipient=network).count() == 1
    case = region["case"]
    case.refresh_from_db()
    assert case.organisation == network and case.programme == post.programme
    assert get_case_for_user(coach, case.pk) == case


def test_new_person_goes_to_the_post_of_their_sozialraum(region):
    municipality = MunicipalityFactory(traeger=region["traeger"], sozialraum=region["south"])
    region["post_south"].substitutions.create(
        traeger=region["traeger"],
        substitute=region["anna"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        reason="Vertretung",
    )
    forget_team_scope(region["anna"])
    person = person_create(
        actor=region["anna"], last_name="Neu", first_name="Nora", municipality=municipality
    )
    assert person.post == region["post_south"]


def test_a_city_split_by_postcodes(region):
    from lotse.directory.models import SozialraumArea

    city = MunicipalityFactory(traeger=region["traeger"], sozialraum=region["north"])
    SozialraumArea.objects.create(
        traeger=region["traeger"],
        key="innenstadt-west",
        sozialraum=region["south"],
        municipality=city,
        name="Innenstadt-West",
        postcodes=["44135", "44137"],
    )
    assert sozialraum_for(municipality=city, postcode="44137") == region["south"]
    assert sozialraum_for(municipality=city, postcode="44339") == region["north"]
    assert sozialraum_for(municipality=city) == region["north"]


def test_a_user_without_a_post_cannot_keep_persons(region):
    loner = _worker(region["traeger"], region["kreis"])
    with pytest.raises(ValidationError):
        responsible_post_for(loner)
