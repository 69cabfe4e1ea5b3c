"""Process chains: loaded from the configuration, shown as SVG plus list, edited in the portal."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lotse.directory.config import ConfigError, config_load
from lotse.directory.config.dumper import config_as_data
from lotse.portal.models import ProcessChain, ProcessStep
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, line_of
from tests.portal.conftest import client_as

LIPPE = KREIS_LIPPE.read_text(encoding="utf-8")


@pytest.fixture
def lippe(db):
    return config_load(path=KREIS_LIPPE)


def test_the_two_chains_of_kreis_lippe_are_loaded(lippe):
    assert lippe.sections["process_chains"].created == 2
    school = ProcessChain.objects.get(key="kind-schulplatz")
    steps = list(school.steps.order_by("order"))
    assert [s.key for s in steps] == [
        "anmeldung",
        "meldung",
        "beratung",
        "koordinierung",
        "zuweisung",
        "schulbesuch",
    ]
    assignment = steps[4]
    assert assignment.deadline == "innerhalb von 4 Schulwochen"
    assert assignment.responsible_organisation.key == "schulaufsicht-kreis-lippe"
    assert steps[2].next_steps == [
        {"step": "zuweisung", "condition": "Schulplatz frei"},
        {"step": "koordinierung", "condition": "Warteliste"},
    ]
    assert ProcessChain.objects.get(key="durchstarten").steps.count() == 5


def test_loading_twice_changes_nothing_and_the_dump_round_trips(lippe, write_config):
    again = config_load(path=KREIS_LIPPE)
    counts = again.sections["process_chains"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
    traeger = Traeger.objects.get(slug="kreis-lippe")
    dumped = config_as_data(traeger=traeger)["process_chains"]
    assert [c["key"] for c in dumped] == ["kind-schulplatz", "durchstarten"]
    assert dumped[0]["steps"][4]["deadline"] == "innerhalb von 4 Schulwochen"


def test_changed_and_removed_steps(lippe, write_config):
    text = LIPPE.replace(
        "        deadline: innerhalb von 4 Schulwochen\n",
        "        deadline: innerhalb von 3 Schulwochen\n",
    ).replace(
        "      - key: schulbesuch\n        title: Schulbesuch\n        responsible: Schule\n"
        "        description: Das Kind ist an der Schule angekommen; der Integrationsprozess "
        "beginnt.\n",
        "",
    )
    report = config_load(path=write_config(text, "neu.yaml"))
    assert report.sections["process_chains"].updated == 1
    school = ProcessChain.objects.get(key="kind-schulplatz")
    assert school.steps.get(key="zuweisung").deadline == "innerhalb von 3 Schulwochen"
    assert not school.steps.filter(key="schulbesuch").exists()


def test_unknown_step_in_a_branch_names_the_line(lippe, write_config):
    text = LIPPE.replace("          - step: koordinierung\n", "          - step: warteschleife\n")
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, "kaputt.yaml"))
    [issue] = excinfo.value.issues
    assert issue.line == line_of(text, "- step: warteschleife")
    assert "Der Schritt „warteschleife“ ist in dieser Prozesskette unbekannt." in issue.message
    # nothing changed
    assert ProcessStep.objects.get(key="beratung").next_steps[1]["step"] == "koordinierung"


def test_unknown_organisation_names_the_line(lippe, write_config):
    text = LIPPE.replace(
        "        responsible_organisation: ki-kreis-lippe\n",
        "        responsible_organisation: ki-nirgendwo\n",
    )
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, "org.yaml"))
    [issue] = excinfo.value.issues
    assert issue.line == line_of(text, "responsible_organisation: ki-nirgendwo")
    assert issue.path[0] == "process_chains"


def test_a_schema_error_names_the_line(lippe, write_config):
    text = LIPPE.replace(
        "        deadline: innerhalb von 4 Schulwochen\n",
        "        deadline: [innerhalb von 4 Schulwochen]\n",
    )
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, "schema.yaml"))
    assert excinfo.value.issues[0].line == line_of(text, "deadline: [innerhalb")


def test_detail_page_has_svg_and_full_text_alternative(lippe, django_assert_max_num_queries):
    from lotse.accounts.models import Role
    from tests.factories import UserFactory

    traeger = Traeger.objects.get(slug="kreis-lippe")
    partner = UserFactory(traeger=traeger, roles=[Role.PARTNER])
    chain = ProcessChain.objects.get(key="kind-schulplatz")
    client = client_as(partner)
    client.get(reverse("portal:chains"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:chain_detail", args=[chain.pk]))
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'aria-hidden="true"' in svg and "viewBox" in svg
    assert "<title" in html and "<desc" in html
    assert html.count('class="lotse-flow__box"') == 6
    # The list carries everything: responsible, deadline, branches.
    steps = html.split('<ol class="kern-list lotse-flow-steps"')[1]
    assert "innerhalb von 4 Schulwochen" in steps
    assert "Schulaufsicht" in steps
    assert "Warteliste: Schritt 4 (Koordinierungsgespräch" in steps
    assert not re.search(r"\sstyle=", html.split("<main", 1)[-1]), "no inline styles (CSP)"
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:chains")).status_code == 200


def test_servicestelle_edits_and_reorders_steps(region):
    chain = ProcessChain.objects.create(traeger=region.traeger, key="k", title="Kette")
    client = client_as(region.coordinator)
    for title in ("Anmeldung", "Beratung", "Zuweisung"):
        response = client.post(reverse("portal:step_add", args=[chain.pk]), {"title": title})
        assert response.status_code == 302
    steps = list(chain.steps.order_by("order"))
    assert [s.key for s in steps] == ["anmeldung", "beratung", "zuweisung"]
    response = client.post(
        reverse("portal:step_edit", args=[steps[0].pk]),
        {
            "title": "Anmeldung im Bürgerbüro",
            "responsible_organisation": region.jobcenter.pk,
            "deadline": "sofort",
            "next_steps": "Platz frei: Zuweisung\nWarteliste: beratung",
        },
    )
    assert response.status_code == 302
    steps[0].refresh_from_db()
    assert steps[0].next_steps == [
        {"step": "zuweisung", "condition": "Platz frei"},
        {"step": "beratung", "condition": "Warteliste"},
    ]
    response = client.post(
        reverse("portal:step_edit", args=[steps[0].pk]),
        {"title": "Anmeldung", "next_steps": "Sonst: Nirgendwo"},
    )
    assert response.status_code == 422
    assert "Zeile 1: Es gibt keinen Schritt „Nirgendwo“ in dieser Prozesskette." in (
        response.content.decode()
    )
    client.post(reverse("portal:step_move", args=[steps[2].pk]), {"direction": "up"})
    assert [s.key for s in chain.steps.order_by("order")] == [
        "anmeldung",
        "zuweisung",
        "beratung",
    ]
    client.post(reverse("portal:step_delete", args=[steps[2].pk]))
    steps[0].refresh_from_db()
    assert steps[0].next_steps == [{"step": "beratung", "condition": "Warteliste"}]
    # a partner reads, but cannot edit
    partner = client_as(region.partner)
    assert partner.get(reverse("portal:chain_detail", args=[chain.pk])).status_code == 200
    assert (
        partner.post(reverse("portal:step_add", args=[chain.pk]), {"title": "X"}).status_code == 403
    )
