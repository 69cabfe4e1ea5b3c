"""``fields_of_action[].assessment``: the configured assessment questions are loaded, dumped
and checked (issue 10, "Families")."""

from __future__ import annotations

import pytest

from lotse.directory.config import ConfigError, config_load
from lotse.directory.models import FieldOfAction
from lotse.intake.questions import questions_for
from tests.directory.conftest import KREIS_LIPPE, line_of

LIPPE = KREIS_LIPPE.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_kreis_lippe_asks_children_about_school_and_kita_not_about_degrees(kreis_lippe):
    field = FieldOfAction.objects.get(traeger__slug="kreis-lippe", key="kita-schule")
    for_7 = {q.key for q in questions_for(field.assessment_questions, 7)}
    for_3 = {q.key for q in questions_for(field.assessment_questions, 3)}
    assert {"schulform", "klasse", "seiteneinstiegsberatung"} <= for_7
    assert {"kita-platz", "kita-stunden"} <= for_3 and "schulform" not in for_3
    arbeit = FieldOfAction.objects.get(traeger__slug="kreis-lippe", key="arbeit")
    assert questions_for(arbeit.assessment_questions, 7) == []
    assert {"berufsabschluss", "arbeitserlaubnis"} <= {
        q.key for q in questions_for(arbeit.assessment_questions, 36)
    }


@pytest.mark.django_db
def test_an_inverted_age_range_is_rejected(kreis_lippe, write_config):
    ages = "        min_age: 0\n        max_age: 6\n"
    assert ages in LIPPE
    text = LIPPE.replace(ages, "        min_age: 9\n        max_age: 4\n", 1)
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, "fragen.yaml"))
    messages = [issue.message for issue in excinfo.value.issues]
    assert any("Höchstalter (4) liegt unter dem Mindestalter (9)" in m for m in messages)


@pytest.mark.django_db
def test_choices_are_required_for_choice_questions_only(kreis_lippe, write_config):
    text = LIPPE.replace(
        "      - key: klasse\n        label: Klasse\n",
        "      - key: klasse\n        label: Klasse\n        type: choice\n",
        1,
    ).replace(
        "      - key: kita-stunden\n        label: Betreuungsumfang (Stunden pro Woche)\n"
        "        type: number\n",
        "      - key: kita-stunden\n        label: Betreuungsumfang (Stunden pro Woche)\n"
        "        type: number\n        choices: [zehn, zwanzig]\n",
        1,
    )
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, "fragen.yaml"))
    issues = excinfo.value.issues
    assert any("„choices“" in i.message and i.line == line_of(text, "key: klasse") for i in issues)
    assert any("Nur Auswahlfragen" in i.message for i in issues)
