"""Every shipped Träger configuration is enough to start case work: load, enter, open a case."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.cases.models import Case
from lotse.directory.config import config_load
from lotse.directory.models import CaseManagementPost, Municipality, Programme
from lotse.people.models import Person
from lotse.tenancy.models import Traeger
from tests.directory.conftest import CONFIG_DIR

pytestmark = pytest.mark.django_db

# Träger configuration files (the offers catalogues start with `traeger: <slug>` instead).
TRAEGER_FILES = sorted(
    path for path in CONFIG_DIR.glob("*.yaml") if "\ntraeger:\n" in path.read_text(encoding="utf-8")
)


def test_the_new_traeger_files_are_shipped():
    names = {path.name for path in TRAEGER_FILES}
    assert {"kreis-lippe.yaml", "stadt-rheine.yaml", "stadt-dortmund.yaml"} <= names


def _case_manager_at(post: CaseManagementPost) -> User:
    user = User.objects.create_user(
        username=f"cm-{post.key}",
        password="demo-password-123",
        first_name="Erika",
        last_name="Fallmanagerin",
        traeger=post.traeger,
        organisation=post.organisation,
    )
    RoleAssignment.objects.create(user=user, role=Role.CASE_MANAGEMENT)
    CaseManagementPost.objects.filter(pk=post.pk).update(holder=user)
    return user


@pytest.mark.parametrize("path", TRAEGER_FILES, ids=lambda p: p.name)
def test_a_person_and_a_case_can_be_created_in_every_shipped_configuration(client, path: Path):
    report = config_load(path=path)
    traeger = Traeger.objects.get(slug=report.traeger_slug)
    post = (
        CaseManagementPost.objects.filter(
            traeger=traeger, programme__kind=Programme.Kind.CASE_MANAGEMENT
        )
        .select_related("organisation", "programme", "traeger")
        .order_by("pk")
        .first()
    )
    assert post is not None, f"{path.name} has no case-management post"
    municipality = Municipality.objects.filter(traeger=traeger).order_by("pk").first()
    client.force_login(_case_manager_at(post))

    response = client.post(
        reverse("people:create"),
        {
            "first_name": "Oksana",
            "last_name": "Kovalenko",
            "sex": "female",
            "date_of_birth": "1988-03-02",
            "municipality": municipality.pk,
            "registered_on": "2026-11-01",
            "nationalities": ["UA"],
            "languages": ["uk"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(traeger=traeger, last_name="Kovalenko")
    assert person.post == post

    response = client.post(
        reverse("cases:create", args=[person.pk]),
        {"programme": post.programme.pk, "opened_on": "2026-11-02"},
        follow=True,
    )
    case = Case.objects.get(person=person)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert case.post == post
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("people:detail", args=[person.pk]),
        reverse("cases:my_cases"),
        reverse("start"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert traeger.name in page.content.decode()


def test_dortmund_brings_its_identity_and_bodies_of_the_art13_sheet(write_config):
    from lotse.consent.selectors import notice_parties
    from lotse.directory.config import ConfigError, config_dump

    config_load(path=CONFIG_DIR / "stadt-dortmund.yaml")
    dortmund = Traeger.objects.get(slug="stadt-dortmund")
    assert dortmund.operator == "Stadt Dortmund – Kommunales Integrationszentrum"
    assert dortmund.brand_colour == "#b3001b"
    parties = notice_parties(dortmund)
    assert parties.controller_name == "Stadt Dortmund – Der Oberbürgermeister"
    assert parties.dpo_configured
    dumped = config_dump(traeger_slug="stadt-dortmund")
    assert "operator: Stadt Dortmund – Kommunales Integrationszentrum" in dumped
    assert "colour: '#b3001b'" in dumped

    text = (CONFIG_DIR / "stadt-dortmund.yaml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text.replace('"#b3001b"', "rot"), "farbe.yaml"))
    [issue] = excinfo.value.issues
    assert issue.path == ("traeger", "colour")


def test_dortmund_postcodes_decide_the_stadtbezirk_post():
    from lotse.people.services import person_create

    config_load(path=CONFIG_DIR / "stadt-dortmund.yaml")
    dortmund = Traeger.objects.get(slug="stadt-dortmund")
    central = CaseManagementPost.objects.get(traeger=dortmund, key="cm-gesamtstadt")
    eving = CaseManagementPost.objects.get(traeger=dortmund, key="cm-eving")
    user = _case_manager_at(central)
    CaseManagementPost.objects.filter(pk=eving.pk).update(holder=user)
    user.__dict__.pop("_lotse_team_scope", None)
    city = Municipality.objects.get(traeger=dortmund, key="dortmund")

    def enter(last_name: str, postcode: str) -> Person:
        return person_create(
            actor=user, last_name=last_name, first_name="Test", municipality=city, postcode=postcode
        )

    assert enter("Nordstadt", "44339").post == eving
    assert enter("Ohneplz", "").post == central
    assert enter("Hoerde", "44263").post == central  # Hörde's post is not one of the user's
