"""The demo generator without a database: deterministic, stable per key, plausible data."""

from __future__ import annotations

import dataclasses
import datetime as dt

from lotse.cases.models import Phase
from lotse.cases.phases import find_step
from lotse.demo.generator import ClientSpec, generate
from lotse.demo.region import PlaceRef, PostRef

TODAY = dt.date(2026, 11, 22)
CODES = frozenset(
    {
        "asylum_pending",
        "asylum_granted",
        "refugee",
        "subsidiary",
        "deportation_ban",
        "toleration",
        "training_toleration",
        "well_integrated",
        "eu_free_movement",
        "family_reunification",
        "skilled_worker",
        "blue_card",
        "temporary_protection",
    }
)
PLACES = (PlaceRef("detmold", "Detmold", 75_000), PlaceRef("lage", "Lage", 35_000))
POSTS = [
    PostRef("cm-a", "Case Management A", False, "org", "Regionalbüro", 100, PLACES),
    PostRef("tm-a", "Teilhabemanagement A", True, "org", "Servicestelle", 100, PLACES),
]


def _generate(seed: int = 2026, size: int = 10) -> list[ClientSpec]:
    return generate(
        seed=seed, size=size, posts=POSTS, own_post="cm-a", status_codes=CODES, today=TODAY
    )


def test_same_seed_same_data_and_other_seed_other_data():
    first, second = _generate(), _generate()
    assert [dataclasses.asdict(c) for c in first] == [dataclasses.asdict(c) for c in second]
    other = _generate(seed=7)
    assert [c.head.last_name for c in first] != [c.head.last_name for c in other]


def test_a_client_does_not_depend_on_the_size():
    small = {c.key: dataclasses.asdict(c) for c in _generate(size=4)}
    large = {c.key: dataclasses.asdict(c) for c in _generate(size=12)}
    assert small.keys() <= large.keys()
    assert all(large[key] == value for key, value in small.items())


def test_own_post_gets_exactly_size_open_cases():
    clients = [c for c in _generate(size=12) if c.post_key == "cm-a"]
    assert sum(1 for c in clients if c.case.phase != Phase.CLOSED) == 12
    assert any(c.case.phase == Phase.CLOSED for c in clients)


def test_dates_and_journal_are_consistent():
    for client in _generate(size=40):
        case = client.case
        for person in client.persons:
            assert person.date_of_birth <= person.registered_on <= TODAY
            for status in person.statuses:
                assert status.valid_until is None or status.valid_until >= status.valid_from
        assert client.head.registered_on <= case.opened_on < TODAY
        if case.participation_agreed_on:
            assert case.participation_offered_on <= case.participation_agreed_on < TODAY
        phase = Phase.INTAKE
        previous = None
        for step in case.transitions:
            assert step.from_phase == phase
            assert find_step(step.from_phase, step.to_phase) is not None
            assert bool(step.reason) == find_step(step.from_phase, step.to_phase).backwards
            assert previous is None or step.at > previous
            previous, phase = step.at, step.to_phase
        assert phase == case.phase
        if case.transitions:
            assert case.participation_agreed_on is not None
            assert case.transitions[0].at.date() > case.participation_agreed_on


def test_participation_clients_are_young_and_tolerated_or_in_procedure():
    clients = [c for c in _generate(size=40) if c.post_key == "tm-a"]
    assert clients
    for client in clients:
        age = (client.case.opened_on - client.head.date_of_birth).days / 365.25
        assert 18 <= age < 28
        assert client.head.current_status in {"toleration", "asylum_pending", "training_toleration"}


def test_names_have_transliterations_and_households_have_children():
    clients = _generate(size=40)
    variants = [v for c in clients for p in c.persons for v in p.variants]
    assert any(v.kind == "transliteration" for v in variants)
    assert any(v.kind == "original_script" for v in variants)
    children = [p for c in clients for p in c.persons if p.household_role == "child"]
    ages = {(TODAY - child.date_of_birth).days // 365 for child in children}
    assert ages & set(range(6, 16)), "children of school age"
    assert ages & set(range(1, 6)), "children of Kita age"
    interpreters = [p for c in clients for p in c.persons if p.interpreter_needed]
    assert interpreters and all(p.interpreter_language for p in interpreters)
    assert all("de" not in p.languages for p in interpreters)
