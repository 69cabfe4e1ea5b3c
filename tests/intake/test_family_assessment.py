"""Families (issue 10): assessments per person and field with the field's configured questions
fitting the person's age; German tests and the work status drive the deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.deadlines.services import deadlines_refresh_for_person
from lotse.intake import services
from lotse.intake.models import Assessment, AssessmentRevision
from lotse.intake.questions import clean_answers, parse_questions, questions_for
from lotse.people.models import Household, Person
from tests.api.conftest import client_for  # noqa: F401  (fixture)
from tests.deadlines.conftest import lippe_goals  # noqa: F401  (fixture)
from tests.factories import CaseFactory, FieldOfActionFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

KITA_SCHULE_QUESTIONS = [
    {"key": "kita-platz", "label": "Kita-Platz", "type": "choice",
     "choices": ["vorhanden", "beantragt"], "max_age": 6},
    {"key": "kita-stunden", "label": "Betreuungsstunden", "type": "number", "max_age": 6},
    {"key": "schulform", "label": "Schulform", "type": "choice",
     "choices": ["Grundschule", "Gymnasium"], "min_age": 5, "max_age": 21},
    {"key": "seiteneinstieg", "label": "Seiteneinstiegsberatung", "type": "boolean",
     "min_age": 5, "max_age": 18},
    {"key": "beratung-am", "label": "Beratung am", "type": "date", "min_age": 5},
    {"key": "studium", "label": "Hochschulabschluss", "min_age": 18},
]  # fmt: skip


def born_years_ago(years: int) -> dt.date:
    today = TODAY()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


@pytest.fixture
def household_case(traeger, organisation, case_manager):
    registered = TODAY() - dt.timedelta(days=7)
    household = Household.objects.create(traeger=traeger, label="Haddad")
    members = [
        PersonFactory(
            traeger=traeger,
            organisation=organisation,
            first_name=name,
            last_name="Haddad",
            date_of_birth=born_years_ago(age),
            registered_on=registered,
            household=household,
            household_role=role,
        )
        for name, age, role in (
            ("Amina", 36, Person.HouseholdRole.HEAD),
            ("Lina", 7, Person.HouseholdRole.CHILD),
            ("Omar", 3, Person.HouseholdRole.CHILD),
        )
    ]
    case = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=members[0],
        case_manager=case_manager,
        opened_on=registered,
    )
    return case, *members


@pytest.fixture
def kita_schule(traeger):
    return FieldOfActionFactory(
        traeger=traeger,
        key="kita-schule",
        name="Kita/Schule",
        assessment_questions=KITA_SCHULE_QUESTIONS,
    )


@pytest.fixture
def sprache(traeger):
    return FieldOfActionFactory(traeger=traeger, key="sprache", name="Sprache")


@pytest.fixture
def arbeit(traeger):
    return FieldOfActionFactory(traeger=traeger, key="arbeit", name="Arbeit")


def save(actor, case, field, person=None, values=None, answers=None, version=None):
    current = Assessment.objects.filter(
        case=case, person=person or case.person, field_of_action=field
    ).first()
    return services.assessment_save(
        actor=actor,
        case=case,
        field_of_action=field,
        person=person,
        expected_version=version if version is not None else (current.version if current else 0),
        values=values or {},
        answers=answers,
        authorities=[],
    )


# -- questions ------------------------------------------------------------------------------------


def test_questions_fit_the_age():
    keys = lambda age: [q.key for q in questions_for(KITA_SCHULE_QUESTIONS, age)]  # noqa: E731
    assert keys(3) == ["kita-platz", "kita-stunden"]
    assert keys(7) == ["schulform", "seiteneinstieg", "beratung-am"]
    assert keys(36) == ["beratung-am", "studium"]
    assert len(keys(None)) == len(KITA_SCHULE_QUESTIONS)  # unknown age: ask everything


def test_answers_are_typed_and_checked():
    questions = parse_questions(KITA_SCHULE_QUESTIONS)
    answers, errors = clean_answers(
        questions,
        {
            "kita-platz": "beantragt",
            "kita-stunden": "35",
            "seiteneinstieg": "true",
            "beratung-am": dt.date(2026, 11, 2),
            "studium": "  ",
            "unbekannt": "x",
        },
    )
    assert errors == {}
    assert answers == {
        "kita-platz": "beantragt",
        "kita-stunden": 35,
        "seiteneinstieg": True,
        "beratung-am": "2026-11-02",
    }
    _answers, errors = clean_answers(
        questions, {"kita-platz": "erfunden", "kita-stunden": "viele", "beratung-am": "2.11."}
    )
    assert set(errors) == {"q__kita-platz", "q__kita-stunden", "q__beratung-am"}


# -- service --------------------------------------------------------------------------------------


def test_each_person_has_their_own_assessment_per_field(case_manager, household_case, kita_schule):
    case, mother, pupil, toddler = household_case
    save(case_manager, case, kita_schule, pupil, answers={"schulform": "Grundschule"})
    save(case_manager, case, kita_schule, toddler, answers={"kita-platz": "beantragt"})
    save(case_manager, case, kita_schule, answers={"studium": "Pharmazie"})

    stored = {
        a.person_id: a.answers
        for a in Assessment.objects.filter(case=case, field_of_action=kita_schule)
    }
    assert stored == {
        pupil.pk: {"schulform": "Grundschule"},
        toddler.pk: {"kita-platz": "beantragt"},
        mother.pk: {"studium": "Pharmazie"},
    }
    revision = AssessmentRevision.objects.get(assessment__person=toddler)
    assert revision.data["answers"] == {"kita-platz": "beantragt"}


def test_a_question_not_asked_at_that_age_is_not_stored(case_manager, household_case, kita_schule):
    case, _mother, pupil, _toddler = household_case
    assessment = save(
        case_manager, case, kita_schule, pupil, answers={"studium": "Jura", "klasse": "2"}
    )
    assert assessment.answers == {}


def test_a_bad_answer_changes_nothing(case_manager, household_case, kita_schule):
    case, _mother, _pupil, toddler = household_case
    with pytest.raises(ValidationError) as error:
        save(case_manager, case, kita_schule, toddler, answers={"kita-stunden": "-3"})
    assert "q__kita-stunden" in error.value.message_dict
    assert not Assessment.objects.exists()


def test_a_person_outside_the_household_is_refused(
    traeger, organisation, case_manager, household_case, kita_schule
):
    case, *_ = household_case
    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        save(case_manager, case, kita_schule, stranger, answers={})
    assert "person" in error.value.message_dict


# -- deadlines ------------------------------------------------------------------------------------


def deadline(person, key) -> PersonGoalDeadline:
    return PersonGoalDeadline.objects.get(person=person, goal__key=key)


def test_a_recorded_german_test_meets_sprache_iii_and_a2_meets_sprache_i(
    case_manager,
    household_case,
    sprache,
    lippe_goals,  # noqa: F811
):
    case, mother, *_children = household_case
    deadlines_refresh_for_person(mother)
    tested = TODAY() - dt.timedelta(days=2)
    assessment = save(
        case_manager,
        case,
        sprache,
        values={"german_level": "A1", "german_test_date": tested, "german_test_provider": "VHS"},
    )
    test = deadline(mother, "sprache-iii")
    assert test.status == DeadlineStatus.MET and test.met_on == tested
    assert "VHS" not in test.evidence and "A1" in test.evidence
    assert test.evidence_url == (
        reverse("intake:assessment_edit", args=[case.pk, sprache.pk]) + f"?person={mother.pk}"
    )
    assert deadline(mother, "sprache-i").status == DeadlineStatus.OPEN

    save(
        case_manager,
        case,
        sprache,
        values={"german_level": "B1", "german_test_date": TODAY(), "german_test_provider": "telc"},
        version=assessment.version,
    )
    level = deadline(mother, "sprache-i")
    assert level.status == DeadlineStatus.MET and level.met_on == TODAY()
    assert deadline(mother, "sprache-iii").met_on == tested  # met once, kept


def test_not_available_for_work_makes_arbeit_i_not_applicable_and_back(
    case_manager,
    household_case,
    arbeit,
    lippe_goals,  # noqa: F811
):
    case, mother, *_children = household_case
    deadlines_refresh_for_person(mother)
    assert deadline(mother, "arbeit-i").status == DeadlineStatus.OPEN

    assessment = save(case_manager, case, arbeit, values={"work_status": "not_available"})
    row = deadline(mother, "arbeit-i")
    assert row.status == DeadlineStatus.NOT_APPLICABLE and row.automatic
    assert row.reason_text == "laut Assessment nicht verfügbar für Arbeit"

    save(
        case_manager,
        case,
        arbeit,
        values={"work_status": "job_seeker"},
        version=assessment.version,
    )
    assert deadline(mother, "arbeit-i").status == DeadlineStatus.OPEN


# -- pages ----------------------------------------------------------------------------------------


def edit_url(case, field, person) -> str:
    return reverse("intake:assessment_edit", args=[case.pk, field.pk]) + f"?person={person.pk}"


def test_the_childs_form_asks_only_its_questions(client, case_manager, household_case, kita_schule):
    case, mother, pupil, toddler = household_case
    client.force_login(case_manager)

    form = client.get(edit_url(case, kita_schule, toddler)).context["form"]
    assert "q__kita-platz" in form.fields and "q__studium" not in form.fields
    assert "work_status" not in form.fields and "vocational_qualifications" not in form.fields
    assert "german_level" in form.fields

    form = client.get(edit_url(case, kita_schule, mother)).context["form"]
    assert "q__studium" in form.fields and "work_status" in form.fields
    assert "q__kita-platz" not in form.fields

    response = client.post(
        edit_url(case, kita_schule, pupil),
        {"version": 0, "q__schulform": "Grundschule", "q__seiteneinstieg": "true"},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(person=pupil)
    assert assessment.case == case
    assert assessment.answers == {"schulform": "Grundschule", "seiteneinstieg": True}

    overview = client.get(reverse("intake:assessment", args=[case.pk])).content.decode()
    assert "Lina Haddad" in overview and "Grundschule" in overview
    history = client.get(
        reverse("intake:assessment_history", args=[case.pk, kita_schule.pk]) + f"?person={pupil.pk}"
    ).content.decode()
    assert "Seiteneinstiegsberatung" in history and "Grundschule" in history


def test_bad_answers_come_back_with_422(client, case_manager, household_case, kita_schule):
    case, _mother, _pupil, toddler = household_case
    client.force_login(case_manager)
    response = client.post(
        edit_url(case, kita_schule, toddler), {"version": 0, "q__kita-platz": "erfunden"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["q__kita-platz"]
    assert not Assessment.objects.exists()


def test_a_person_outside_the_household_is_not_found(
    client, traeger, organisation, case_manager, household_case, kita_schule
):
    case, *_ = household_case
    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    client.force_login(case_manager)
    assert client.get(edit_url(case, kita_schule, stranger)).status_code == 404


def test_the_api_reads_and_writes_a_childs_assessment(
    client_for,  # noqa: F811
    traeger,
    organisation,
    case_manager,
    household_case,
    kita_schule,
):
    case, mother, _pupil, toddler = household_case
    api = client_for(case_manager)
    url = f"/api/v1/cases/{case.pk}/assessments/{kita_schule.pk}/"

    response = api.put(
        f"{url}?person={toddler.pk}",
        {"version": 0, "answers": {"kita-platz": "beantragt", "kita-stunden": 25}},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"] == toddler.pk and body["answers"]["kita-stunden"] == 25

    mine = api.get(url).json()
    assert mine["person"] == mother.pk and mine["version"] == 0 and mine["answers"] == {}

    stranger = PersonFactory(traeger=traeger, organisation=organisation)
    assert api.get(f"{url}?person={stranger.pk}").status_code == 404
