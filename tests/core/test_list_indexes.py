"""Every keyset list has an index that matches its filter and its sort (issue 14), so every
page of every list is an index range, whatever its depth."""

from __future__ import annotations

import pytest

from lotse.assignments.models import Task
from lotse.assignments.selectors import TASK_ORDER
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, TimelineEntry
from lotse.cases.selectors import CASE_LIST_ORDER, TIMELINE_ORDER
from lotse.deadlines.models import PersonGoalDeadline
from lotse.offers.models import Referral
from lotse.offers.selectors import OVERDUE_ORDER
from lotse.people.models import Person
from lotse.people.selectors import PERSON_ORDER

LISTS = [
    # (model, the filter columns after the Träger, the list's keyset order)
    (Person, ["post"], PERSON_ORDER),
    (Case, ["post"], CASE_LIST_ORDER),
    (Case, ["case_manager"], CASE_LIST_ORDER),
    (TimelineEntry, ["case"], TIMELINE_ORDER),
    (PersonGoalDeadline, ["status"], ["due_on", "id"]),
    (PersonGoalDeadline, ["status"], ["-met_on", "-id"]),
    (PersonGoalDeadline, ["status"], ["-id"]),
    (Task, ["owner_user", "status"], TASK_ORDER),
    (Referral, [], OVERDUE_ORDER),
    (AuditEntry, [], ["-occurred_at", "-id"]),
    (AuditEntry, ["username"], ["-occurred_at", "-id"]),
]


@pytest.mark.parametrize(("model", "filters", "order"), LISTS)
def test_each_list_has_an_index_in_its_sort_order(model, filters, order):
    wanted = ["traeger", *filters, *order]
    indexes = [list(index.fields) for index in model._meta.indexes]
    assert wanted in indexes, f"{model.__name__}: no index {wanted}"
