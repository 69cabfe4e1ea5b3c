"""The DGCC phase model as a state machine.

Forward steps go to the next phase, or straight to Evaluation when a case ends early; a step back to an earlier phase is allowed from any open
phase but needs a reason ("real cases loop back"). A case is closed only from Evaluation, so
every ending is evaluated. A closed case cannot be moved (reopening is a separate, authorised act).
"""

from __future__ import annotations

from dataclasses import dataclass

from lotse.cases.models import Phase

ORDER: list[str] = [
    Phase.INTAKE,
    Phase.ASSESSMENT,
    Phase.SERVICE_PLANNING,
    Phase.LINKING,
    Phase.MONITORING,
    Phase.EVALUATION,
    Phase.CLOSED,
]


@dataclass(frozen=True)
class Step:
    to_phase: str
    backwards: bool

    @property
    def needs_reason(self) -> bool:
        return self.backwards

    @property
    def label(self) -> str:
        return str(Phase(self.to_phase).label)


def allowed_steps(current: str) -> list[Step]:
    """Next phase; Evaluation directly (an early end is evaluated too); any earlier phase back."""
    if current == Phase.CLOSED:
        return []
    index = ORDER.index(current)
    steps = [Step(to_phase=ORDER[index + 1], backwards=False)]
    if index + 1 < ORDER.index(Phase.EVALUATION):
        steps.append(Step(to_phase=Phase.EVALUATION, backwards=False))
    steps.extend(Step(to_phase=ORDER[i], backwards=True) for i in range(index - 1, -1, -1))
    return steps


def find_step(current: str, to_phase: str) -> Step | None:
    return next((step for step in allowed_steps(current) if step.to_phase == to_phase), None)


def next_phase(current: str) -> str | None:
    if current == Phase.CLOSED:
        return None
    return ORDER[ORDER.index(current) + 1]
