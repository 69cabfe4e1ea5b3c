"""What an evaluation rates: the SMART goals of the agreement in force and the case's fields.

Kept apart from ``cases.selectors`` because it reads the agreements and the assessments, whose
selectors themselves build on ``cases.selectors`` (importing them there would be a circle).
The case is already authorised by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from lotse.agreements.models import Agreement, AgreementGoal
from lotse.agreements.selectors import latest_agreed
from lotse.cases.models import Case
from lotse.cases.selectors import field_processes
from lotse.directory.models import FieldOfAction
from lotse.intake.selectors import assessments_of


@dataclass(frozen=True)
class EvaluationBasis:
    """The agreement version in force (None: no agreed plan), its goals and the case's fields."""

    agreement: Agreement | None
    goals: list[AgreementGoal]
    fields: list[FieldOfAction]

    def goal(self, pk: int) -> AgreementGoal | None:
        return next((g for g in self.goals if g.pk == pk), None)


def evaluation_basis(case: Case) -> EvaluationBasis:
    """Goals of the agreement in force; fields covered by its goals, field processes, assessments."""
    agreement = latest_agreed(case)
    goals = list(agreement.goals.all()) if agreement is not None else []
    fields: dict[int, FieldOfAction] = {}
    for field in (
        *(goal.field_of_action for goal in goals),
        *(process.field_of_action for process in field_processes(case)),
        *(assessment.field_of_action for assessment in assessments_of(case)),
    ):
        fields.setdefault(field.pk, field)
    ordered = sorted(fields.values(), key=lambda f: (f.sort_order, f.name))
    return EvaluationBasis(agreement=agreement, goals=goals, fields=ordered)
