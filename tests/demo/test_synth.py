"""``lotse synth``: the generated NRW is data the app can open (PostgreSQL only: COPY)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lotse.accounts.models import User
from lotse.audit.chain import verify
from lotse.cases.models import Case, Phase
from lotse.demo.synth.generator import _TEXTS
from lotse.demo.synth.nrw import SIZES, TRAEGER, persons_per_traeger
from lotse.people.models import Person, PersonNameVariant

pytestmark = pytest.mark.django_db


def test_the_state_is_uneven_like_nrw_and_sums_to_the_size():
    counts = dict(
        zip((s.slug for s in TRAEGER), persons_per_traeger(SIZES["nrw"], TRAEGER), strict=True)
    )
    assert len(TRAEGER) == 54
    assert sum(counts.values()) == 3_300_000
    assert 19.9 < counts["synth-koeln"] / counts["synth-coesfeld"] < 20.1


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
def test_sqlite_is_refused_with_a_message():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("synth", "--size", "300", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lotse synth writes through COPY")
def test_generated_persons_and_cases_open_for_their_case_manager(client):
    out = io.StringIO()
    call_command(
        "synth",
        "--size",
        "300",
        "--traeger",
        "1",
        "--seed",
        "7",
        "--today",
        "2026-12-07",
        stdout=out,
    )
    assert "people_person: 300" in out.getvalue()
    assert Person.objects.count() == 300
    manager = User.objects.get(username="koeln-cm1")
    case = (
        Case.objects.filter(case_manager=manager).exclude(phase=Phase.CLOSED).order_by("id").first()
    )
    assert case is not None
    client.force_login(manager)

    person_page = client.get(f"/personen/{case.person_id}/")
    assert person_page.status_code == 200
    assert case.person.last_name in person_page.content.decode()
    case_page = client.get(f"/faelle/{case.pk}/")
    assert case_page.status_code == 200
    assert any(text in case_page.content.decode() for text in _TEXTS)  # decrypted timeline
    assert list(verify()) == []  # the access log's hash chain holds
    # Persons were last changed in their history, not at the load: a weekday's deadline run
    # recomputes only the day's birthdays, not the whole generated state.
    from lotse.deadlines.services import changed_since

    changed = Person.objects.filter(
        changed_since(dt.date(2026, 12, 6), dt.date(2026, 12, 7))
    ).count()
    assert changed < 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT family) FROM synth_name_family")
        assert cursor.fetchone()[0] >= 2
    # The name search finds generated persons by their names and their former names: the
    # search's key table is filled although COPY ran with the triggers off.
    person = case.person
    found = client.get("/personen/", {"q": f"{person.last_name} {person.first_name}"})
    assert f"/personen/{person.pk}/" in found.content.decode()
    variant = (
        PersonNameVariant.objects.filter(person__post=person.post)
        .exclude(last_name="")
        .select_related("person")
        .first()
    )
    if variant is not None:
        found = client.get("/personen/", {"q": f"{variant.last_name} {variant.person.first_name}"})
        assert f"/personen/{variant.person_id}/" in found.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT person_id) FROM people_name_token")
        assert cursor.fetchone()[0] == 300
