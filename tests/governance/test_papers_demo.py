"""The demo's papers: one adopted and published with a measure under "Arbeit I", one draft."""

from __future__ import annotations

import pytest

from lotse.demo.governance_papers import demo_papers
from lotse.directory.models import Measure
from lotse.governance.models import Decision, MeasureReport, Paper, PaperState

pytestmark = pytest.mark.django_db


def test_demo_papers_are_created_once(lippe, coordinator):
    lines = demo_papers()
    assert lines and "beschlossen" in lines[0]
    assert demo_papers() == []
    assert sorted(Paper.objects.values_list("state", flat=True)) == [
        PaperState.DECIDED,
        PaperState.DRAFT,
    ]
    decision = Decision.objects.get()
    assert decision.published_at is not None and decision.outcome == "adopted"
    measure = Measure.objects.get(origin="decision")
    assert measure.goal.key == "arbeit-i"
    assert MeasureReport.objects.filter(measure=measure).count() == 1
