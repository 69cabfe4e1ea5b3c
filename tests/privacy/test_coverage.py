"""Every model holding personal data is covered by the Art. 15 export (or says why not)."""

from __future__ import annotations

import pytest

from lotse.privacy.export import build_export
from lotse.privacy.graph import reachable_models
from lotse.privacy.registry import load
from tests.privacy.builders import person_with_everything


def test_every_personal_model_is_exported_or_declared_not_person_related() -> None:
    registry = load()
    reached = {m.label for m in reachable_models(registry)}
    problems = [
        f"{info.label}: personal data not reached by the export; give it a foreign key to "
        "Person/Case (or a model below) or declare `not_person_related: <reason>` in "
        "src/lotse/privacy/registry.yaml"
        for info in registry.personal_models()
        if info.label not in reached and not info.not_person_related
    ]
    problems += [
        f"{label}: reached by the export but not classified as personal in the registry"
        for label in sorted(reached)
        if registry.has_model(label) and not registry.model(label).personal
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_row_in_every_reached_model_appears_in_the_export_and_nobody_elses() -> None:
    person, rows = person_with_everything()
    other, other_rows = person_with_everything(traeger=person.traeger)

    export = build_export(person)
    exported = {s.model: {row["id"] for row in s.rows} for s in export.sections}
    access_ids = {entry["object_id"] for entry in export.access_report}

    missing = []
    for label, row in rows.items():
        if label == "audit.AuditEntry":
            if str(person.pk) not in access_ids:
                missing.append(label)
        elif row.pk not in exported.get(label, set()):
            missing.append(label)
    assert not missing, f"rows missing from the export: {', '.join(missing)}"

    leaked = [
        label
        for label, row in other_rows.items()
        if label != "audit.AuditEntry" and row.pk in exported.get(label, set())
    ]
    assert not leaked, f"another person's rows in the export: {', '.join(leaked)}"
    assert {e["object_id"] for e in export.access_report} == {str(person.pk)}
