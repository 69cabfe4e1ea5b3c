"""The guide's questions drive the checking of answers: types, options, required, unknown keys."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.intake.guide import check_answers, display_value, parse_sections
from tests.intake.conftest import GUIDE_SECTIONS, complete_answers

SECTIONS = parse_sections(GUIDE_SECTIONS)


def test_parse_sections_reads_types_options_and_required():
    rahmen, leben = SECTIONS
    assert [q.key for q in rahmen.questions] == ["freiwilligkeit", "sprache"]
    assert rahmen.questions[0].answer_type == "yes_no"
    assert rahmen.questions[0].required is True
    assert rahmen.questions[1].required is False
    assert leben.questions[2].options == ("keine Kenntnisse", "A1", "A2")


def test_missing_and_unknown_answer_types_read_as_text():
    sections = parse_sections(
        [
            {
                "key": "s",
                "title": "S",
                "questions": [
                    {"key": "a", "text": "A"},
                    {"key": "b", "text": "B", "answer_type": "x"},
                ],
            }
        ]
    )
    assert [q.answer_type for q in sections[0].questions] == ["text", "text"]


def test_valid_answers_are_stored_as_json_values():
    answers, errors = check_answers(
        SECTIONS,
        {
            "rahmen": {"freiwilligkeit": "yes", "sprache": "  Arabisch "},
            "lebenssituation": {
                "anmeldung": dt.date(2026, 9, 1),
                "kinder": "2",
                "deutsch": "A1",
                "wohnen": "",
            },
        },
        complete=True,
    )
    assert errors == {}
    assert answers == {
        "rahmen": {"freiwilligkeit": True, "sprache": "Arabisch"},
        "lebenssituation": {"anmeldung": "2026-09-01", "kinder": 2, "deutsch": "A1"},
    }


@pytest.mark.parametrize(
    ("section", "question", "value"),
    [
        ("rahmen", "freiwilligkeit", "vielleicht"),
        ("rahmen", "freiwilligkeit", 1.5),
        ("rahmen", "sprache", 42),
        ("lebenssituation", "anmeldung", "01.09.2026"),
        ("lebenssituation", "anmeldung", "2026-02-30"),
        ("lebenssituation", "kinder", "zwei"),
        ("lebenssituation", "kinder", True),
        ("lebenssituation", "kinder", "NaN"),
        ("lebenssituation", "deutsch", "B2"),
    ],
)
def test_wrong_types_are_errors_keyed_by_question(section, question, value):
    raw = complete_answers()
    raw[section][question] = value
    _answers, errors = check_answers(SECTIONS, raw, complete=False)
    assert set(errors) == {f"{section}__{question}"}


def test_required_questions_only_block_completion():
    raw = {"rahmen": {"sprache": "Arabisch"}}
    answers, errors = check_answers(SECTIONS, raw, complete=False)
    assert errors == {}
    assert answers == {"rahmen": {"sprache": "Arabisch"}}

    _answers, errors = check_answers(SECTIONS, raw, complete=True)
    assert set(errors) == {"rahmen__freiwilligkeit", "lebenssituation__deutsch"}


def test_a_false_answer_counts_as_answered():
    raw = complete_answers()
    raw["rahmen"]["freiwilligkeit"] = False
    answers, errors = check_answers(SECTIONS, raw, complete=True)
    assert errors == {}
    assert answers["rahmen"]["freiwilligkeit"] is False


def test_answers_outside_the_guide_are_refused():
    raw = complete_answers()
    raw["rahmen"]["geheim"] = "x"
    raw["unbekannt"] = {"a": "b"}
    _answers, errors = check_answers(SECTIONS, raw, complete=False)
    assert set(errors) == {"rahmen__geheim", "unbekannt"}


def test_answers_must_be_grouped():
    _answers, errors = check_answers(SECTIONS, ["a"], complete=False)
    assert set(errors) == {"answers"}


def test_display_values():
    yes_no, _text = SECTIONS[0].questions
    date_q, number_q = SECTIONS[1].questions[:2]
    assert display_value(yes_no, True) != display_value(yes_no, False)
    assert display_value(date_q, "2026-09-01") == "01.09.2026"
    assert display_value(number_q, 2.5) == "2,5"
    assert display_value(number_q, None) == ""
