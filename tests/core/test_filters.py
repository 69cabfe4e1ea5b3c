"""One filter definition per list: every filter reaches the page, the XLSX export and the API.

The tests walk the definitions themselves, so a filter added to a definition without an example
here fails, and a filter the export or the API ignored would leave its result unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.cases.models import Phase
from lotse.cases.selectors import CASE_FILTERS, CaseFilter, case_list_for_user
from lotse.deadlines.selectors import WORKLIST_FILTERS, WorklistFilter
from lotse.people.selectors import PERSON_FILTERS, PersonFilter
from lotse.spreadsheets import exports
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(traeger, organisation, case_manager) -> dict[str, Any]:
    """The case manager's open cases differ in every filter; a colleague's and a closed case."""
    colleague = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT]
    )
    p1, p2 = ProgrammeFactory(traeger=traeger), ProgrammeFactory(traeger=traeger)
    m1 = MunicipalityFactory(traeger=traeger, name="Detmold")
    m2 = MunicipalityFactory(traeger=traeger, name="Lemgo")

    def case(name: str, **fields: Any) -> Any:
        person = PersonFactory(
            traeger=traeger, organisation=organisation, last_name=name, municipality=fields.pop("m")
        )
        return CaseFactory(traeger=traeger, organisation=organisation, person=person, **fields)

    case("Zander", phase=Phase.INTAKE, programme=p1, m=m1, case_manager=case_manager)
    case("Adler", phase=Phase.ASSESSMENT, programme=p2, m=m2, case_manager=case_manager)
    case("Berg", phase=Phase.CLOSED, programme=p1, m=m1, case_manager=case_manager)
    case("Cramer", phase=Phase.INTAKE, programme=p1, m=m1, case_manager=colleague)
    return {"p1": p1, "m1": m1}


def _case_examples(caseload: dict[str, Any]) -> dict[str, Any]:
    """One value per filter that changes the list (by attribute name)."""
    return {
        "search": "Zander",
        "phase": Phase.ASSESSMENT,
        "programme_id": caseload["p1"].pk,
        "municipality_id": caseload["m1"].pk,
        "mine": None,  # the flag: "alle=1" on the page, "mine=true" in the API
        "include_closed": None,
    }


def _export_names(user: Any, query: dict[str, str]) -> list[str]:
    return [c.person.last_name for c in exports.cases_for_export(user, query)]


def _api_names(user: Any, params: dict[str, str]) -> list[str]:
    client = APIClient()
    client.force_login(user)
    response = client.get("/api/v1/cases/", params)
    assert response.status_code == 200, response.content
    return sorted(row["person_name"] for row in response.json()["results"])


def test_every_case_filter_changes_the_export_and_the_api(caseload, case_manager):
    examples = _case_examples(caseload)
    assert {f.name for f in CASE_FILTERS.fields} == set(examples)  # a new filter needs an example
    export_base = _export_names(case_manager, {})
    api_base = _api_names(case_manager, {})
    for item in CASE_FILTERS.fields:
        value = examples[item.name]
        page_value = "1" if item.kind == "flag" else str(value)
        api_value = "true" if item.kind == "flag" else str(value)
        exported = _export_names(case_manager, {item.param: page_value})
        assert exported != export_base, f"the export ignores {item.param}"
        assert item.api_param, f"{item.name} is not offered by the API"
        assert _api_names(case_manager, {item.api_param: api_value}) != api_base, (
            f"the API ignores {item.api_param}"
        )
        # the page reads the same definition as the export
        parsed = CASE_FILTERS.parse({item.param: page_value})
        assert parsed.errors == {}
        assert sorted(
            c.person.last_name for c in case_list_for_user(case_manager, filters=parsed.values)
        ) == sorted(exported)


def test_the_case_page_export_link_and_next_page_keep_the_filters(client, caseload, case_manager):
    client.force_login(case_manager)
    response = client.get("/faelle/", {"programm": caseload["p1"].pk, "alle": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"programm={caseload['p1'].pk}&amp;alle=1" in html  # the export link


def test_querystring_round_trip():
    values = CaseFilter(mine=False, phase=Phase.LINKING, programme_id=3, search="Ali")
    query = CASE_FILTERS.query(values)
    assert query == {"q": "Ali", "phase": "linking", "programm": "3", "alle": "1"}
    assert CASE_FILTERS.parse(query).values == values
    assert CASE_FILTERS.parse({}).values == CaseFilter()


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"phase": "erledigt"}, "phase"),
        ({"programm": "abc"}, "programm"),
        ({"kommune": "-1"}, "kommune"),
    ],
)
def test_bad_values_fall_back_with_a_german_message(params, param):
    with translation.override("de"):
        parsed = CASE_FILTERS.parse(params)
        message = parsed.errors[param][0]
    assert parsed.values == CaseFilter()
    assert "Bitte einen Wert aus der Liste wählen" in message


def test_worklist_definition():
    parsed = WORKLIST_FILTERS.parse({"status": "met", "ziel": "7", "alle": "1"})
    assert parsed.values == WorklistFilter(mine=False, status="met", goal_id=7)
    assert WORKLIST_FILTERS.parse({"status": "bogus"}).errors.keys() == {"status"}
    assert WORKLIST_FILTERS.parse({}).values == WorklistFilter()


def test_person_filter_changes_the_export_and_the_api(traeger, organisation, case_manager):
    for name in ("Zander", "Adler"):
        PersonFactory(traeger=traeger, organisation=organisation, last_name=name)
    assert {f.name for f in PERSON_FILTERS.fields} == {"search"}
    full = [p.last_name for p in exports.persons_for_export(case_manager, {})]
    found = [p.last_name for p in exports.persons_for_export(case_manager, {"q": "Zander"})]
    assert full == ["Adler", "Zander"] and found == ["Zander"]
    client = APIClient()
    client.force_login(case_manager)
    rows = client.get("/api/v1/persons/", {"q": "Zander"}).json()["results"]
    assert [r["last_name"] for r in rows] == ["Zander"]
    assert PERSON_FILTERS.parse({"q": " Zander "}).values == PersonFilter(search="Zander")
