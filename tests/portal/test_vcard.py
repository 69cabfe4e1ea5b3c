"""vCard 3.0 export of the contact directory, checked by parsing with vobject."""

from __future__ import annotations

import pytest
import vobject
from django.urls import reverse

from lotse.directory.models import ContactPerson
from lotse.portal import vcard
from tests.portal.conftest import client_as


def _cards(text: str) -> list[vobject.base.Component]:
    return list(vobject.readComponents(text))


def test_escaping_and_folding_round_trip(region):
    org = region.jobcenter
    person = ContactPerson.objects.create(
        traeger=region.traeger,
        organisation=org,
        key="lang",
        name="Dr. Hans-Jürgen Müller",
        function="Sachgebiet; Ausländerrecht, Einbürgerung \\ Beratung und noch viel mehr "
        "Text, damit die Zeile weit über 75 Oktette hinausgeht – äöüß",
    )
    text = vcard.person_card(person)
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    [card] = _cards(text)
    assert card.version.value == "3.0"
    assert card.fn.value == "Dr. Hans-Jürgen Müller"
    assert card.n.value.family == "Müller"
    assert card.n.value.given == "Dr. Hans-Jürgen"
    assert card.title.value == person.function
    assert card.org.value == ["Jobcenter Lippe"]
    assert card.adr.value.code == "32758"
    assert card.adr.value.city == "Detmold"
    assert card.adr.value.street == "Wittekindstraße 2"
    assert card.url.value == "https://jobcenter.example"
    assert card.uid.value.startswith("urn:uuid:")


def test_uid_is_stable(region):
    person = ContactPerson.objects.get(key="meier")
    first = _cards(vcard.person_card(person))[0].uid.value
    assert _cards(vcard.person_card(person))[0].uid.value == first


def test_person_download(region):
    person = ContactPerson.objects.get(key="meier")
    response = client_as(region.partner).get(reverse("portal:contact_vcard", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kathe-meier-ozdemir.vcf"'
    [card] = _cards(response.content.decode("utf-8"))
    assert card.fn.value == "Käthe Meier-Özdemir"
    assert card.title.value == "Teamleitung Integration, Markt & Soziales"
    assert card.email.value == "k.meier@jobcenter.example"
    assert card.tel.value == "05231 1235"


def test_organisation_card_is_a_company(region):
    response = client_as(region.partner).get(
        reverse("portal:organisation_vcard", args=[region.jobcenter.pk])
    )
    [card] = _cards(response.content.decode("utf-8"))
    assert card.fn.value == card.org.value[0] == "Jobcenter Lippe"
    assert card.contents["x-abshowas"][0].value == "COMPANY"


def test_all_contacts_as_one_file_follows_the_search(region):
    client = client_as(region.partner)
    text = client.get(reverse("portal:contacts_vcard")).content.decode("utf-8")
    names = [card.fn.value for card in _cards(text)]
    assert names == ["Jobcenter Lippe", "Käthe Meier-Özdemir", "Servicestelle"]
    text = client.get(reverse("portal:contacts_vcard"), {"q": "ozdemir"}).content.decode()
    assert [card.fn.value for card in _cards(text)] == ["Jobcenter Lippe", "Käthe Meier-Özdemir"]


@pytest.mark.django_db
def test_other_traeger_gets_404(region):
    person = ContactPerson.objects.get(key="meier")
    client = client_as(region.outsider)
    assert client.get(reverse("portal:contact_vcard", args=[person.pk])).status_code == 404
    url = reverse("portal:organisation_vcard", args=[region.jobcenter.pk])
    assert client.get(url).status_code == 404
