"""Interview guides are edited in a form in the admin, not as raw JSON (issue 11)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.directory.config import config_load
from lotse.directory.config.dumper import config_dump
from lotse.directory.guide_forms import rows_from_sections, sections_from_rows
from lotse.directory.models import InterviewGuide, Organisation
from lotse.intake.guide import parse_sections
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE
from tests.factories import UserFactory


@pytest.fixture
def guide(db) -> InterviewGuide:
    config_load(path=KREIS_LIPPE)
    return InterviewGuide.objects.get(traeger__slug="kreis-lippe")


@pytest.fixture
def admin_client(guide, client):
    lippe = Traeger.objects.get(slug="kreis-lippe")
    user = UserFactory(
        username="admin-lippe",
        traeger=lippe,
        organisation=Organisation.objects.get(traeger=lippe, key="servicestelle"),
        is_staff=True,
        roles=[Role.ADMINISTRATION],
    )
    client.force_login(user)
    return client


def _post_data(guide: InterviewGuide, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": guide.key,
        "name": guide.name,
        "guide_version": "2027-1",
        "description": guide.description,
        "sort_order": guide.sort_order,
        "questions-TOTAL_FORMS": len(rows),
        "questions-INITIAL_FORMS": 0,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if name == "required":
                if value:
                    data[f"questions-{index}-required"] = "on"
            else:
                data[f"questions-{index}-{name}"] = value
    return data


def _errors(response) -> str:
    form = response.context["adminform"].form
    return f"{form.errors} {form.questions.non_form_errors()} {form.questions.errors}"


def _row(**values: Any) -> dict[str, Any]:
    row = {
        "section_key": "arbeit",
        "section_title": "",
        "section_description": "",
        "key": "",
        "text": "",
        "hint": "",
        "answer_type": "text",
        "options": "",
        "required": False,
    }
    row.update(values)
    return row


def test_rows_round_trip_the_shipped_guide(guide):
    assert sections_from_rows(
        [
            {**row, "options": [o for o in row["options"].splitlines() if o]}
            for row in rows_from_sections(guide.sections)
        ]
    ) == [
        {
            key: value
            for key, value in section.items()
            if key in {"key", "title", "description", "questions"}
        }
        | {"questions": [_normalised(q) for q in section["questions"]]}
        for section in guide.sections
    ]


def _normalised(question: dict[str, Any]) -> dict[str, Any]:
    result = {"key": question["key"], "text": question["text"]}
    if question.get("hint"):
        result["hint"] = question["hint"]
    result["answer_type"] = question.get("answer_type") or "text"
    if result["answer_type"] == "choice":
        result["options"] = question["options"]
    if question.get("required"):
        result["required"] = True
    return result


def test_change_form_shows_the_questions_as_fields_not_json(admin_client, guide):
    response = admin_client.get(reverse("admin:directory_interviewguide_change", args=[guide.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="sections"' not in content
    first = guide.sections[0]["questions"][0]
    assert 'name="questions-0-text"' in content
    assert first["text"] in content
    assert re.search(r'<label[^>]+for="id_questions-0-answer_type"', content)


def test_saving_the_form_writes_the_guide_structure(admin_client, guide):
    rows = [
        _row(section_title="Arbeit und Beruf", key="beruf", text="Welchen Beruf haben Sie?"),
        _row(
            key="anerkennung",
            text="Ist der Abschluss anerkannt?",
            answer_type="choice",
            options="ja\n\nnein\nbeantragt\n",
            required=True,
        ),
        _row(section_key="familie", section_title="Familie", key="kinder", text="Kinder?"),
        _row(section_key="", key="", text=""),  # an empty extra row is ignored
    ]
    url = reverse("admin:directory_interviewguide_change", args=[guide.pk])
    response = admin_client.post(url, _post_data(guide, rows))

    assert response.status_code == 302, _errors(response)
    guide.refresh_from_db()
    assert guide.guide_version == "2027-1"
    assert guide.sections == [
        {
            "key": "arbeit",
            "title": "Arbeit und Beruf",
            "questions": [
                {"key": "beruf", "text": "Welchen Beruf haben Sie?", "answer_type": "text"},
                {
                    "key": "anerkennung",
                    "text": "Ist der Abschluss anerkannt?",
                    "answer_type": "choice",
                    "options": ["ja", "nein", "beantragt"],
                    "required": True,
                },
            ],
        },
        {
            "key": "familie",
            "title": "Familie",
            "questions": [{"key": "kinder", "text": "Kinder?", "answer_type": "text"}],
        },
    ]
    assert [s.key for s in parse_sections(guide.sections)] == ["arbeit", "familie"]


def test_saved_guide_is_written_back_by_dumpconfig_and_loads_again(admin_client, guide, tmp_path):
    rows = [_row(section_title="Arbeit", key="beruf", text="Beruf?", hint="Zuletzt ausgeübt")]
    url = reverse("admin:directory_interviewguide_change", args=[guide.pk])
    assert admin_client.post(url, _post_data(guide, rows)).status_code == 302

    path = tmp_path / "kreis-lippe.yaml"
    path.write_text(config_dump(traeger_slug="kreis-lippe"), encoding="utf-8")
    config_load(path=path)  # raises ConfigError if the written guide broke the schema

    guide.refresh_from_db()
    assert guide.sections[0]["questions"][0]["hint"] == "Zuletzt ausgeübt"


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        (
            [_row(section_title="Arbeit", key="beruf", text="x", answer_type="choice")],
            "questions-0-options",
            "Eine Auswahlfrage braucht mindestens eine Antwortmöglichkeit.",
        ),
        (
            [_row(section_title="Arbeit", key="beruf", text="x", options="a\nb")],
            "questions-0-options",
            "Antwortmöglichkeiten gibt es nur beim Antworttyp „Auswahl“.",
        ),
        (
            [_row(key="beruf", text="x")],
            "questions-0-section_title",
            "Bitte geben Sie in der ersten Frage des Abschnitts seinen Titel ein.",
        ),
        (
            [
                _row(section_title="Arbeit", key="beruf", text="x"),
                _row(key="beruf", text="y"),
            ],
            "questions-1-key",
            "Dieser Schlüssel ist in diesem Abschnitt schon vergeben.",
        ),
        (
            [_row(section_title="Arbeit", key="Beruf Frage", text="x")],
            "questions-0-key",
            "Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche",
        ),
    ],
)
def test_bad_questions_are_refused_with_a_german_message_at_the_field(
    admin_client, guide, rows, field, message
):
    before = guide.sections
    url = reverse("admin:directory_interviewguide_change", args=[guide.pk])
    response = admin_client.post(url, _post_data(guide, rows))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    form = response.context["adminform"].form
    index, name = field.removeprefix("questions-").split("-", 1)
    assert form.questions.forms[int(index)].errors[name]
    guide.refresh_from_db()
    assert guide.sections == before
    assert guide.guide_version != "2027-1"


def test_a_guide_without_questions_is_refused(admin_client, guide):
    url = reverse("admin:directory_interviewguide_change", args=[guide.pk])
    response = admin_client.post(url, _post_data(guide, [_row(section_key="")]))

    assert response.status_code == 200
    assert "Ein Gesprächsleitfaden braucht mindestens eine Frage." in response.content.decode()


def test_deleting_a_saved_question_removes_it(admin_client, guide):
    rows = rows_from_sections(guide.sections)
    data = _post_data(guide, rows)
    data["questions-INITIAL_FORMS"] = len(rows)
    data["questions-1-DELETE"] = "on"
    removed = rows[1]["key"]
    url = reverse("admin:directory_interviewguide_change", args=[guide.pk])

    assert admin_client.post(url, data).status_code == 302
    guide.refresh_from_db()
    keys = [q["key"] for s in guide.sections for q in s["questions"]]
    assert removed not in keys
    assert len(keys) == len(rows) - 1


def test_a_new_guide_is_added_with_its_questions(admin_client, guide):
    url = reverse("admin:directory_interviewguide_add")
    assert 'name="questions-1-text"' in admin_client.get(url).content.decode()  # empty rows
    data = _post_data(guide, [_row(section_title="Arbeit", key="beruf", text="Beruf?")])
    data.update({"key": "kurzleitfaden", "name": "Kurzleitfaden"})

    response = admin_client.post(url, data)

    assert response.status_code == 302, _errors(response)
    added = InterviewGuide.objects.get(traeger=guide.traeger, key="kurzleitfaden")
    assert added.sections == [
        {
            "key": "arbeit",
            "title": "Arbeit",
            "questions": [{"key": "beruf", "text": "Beruf?", "answer_type": "text"}],
        }
    ]
