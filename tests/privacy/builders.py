"""Builds a person with at least one row in every model the traversal reaches.

The rows are filled generically from the model fields (required fields get a value of their
type, foreign keys point to the rows made before or to configuration rows made on demand), so a
new model with a foreign key to Person, Case or below gets a row without a change here. Only
rows whose constraints need a choice the field types cannot tell are listed in ``OVERRIDES``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from lotse.audit.services import audit_log
from lotse.people.models import Household, Person
from lotse.privacy.graph import reachable_models
from tests.factories import PersonFactory, UserFactory

_counter = itertools.count(1)

Made = dict[type[models.Model], models.Model]

# Per model label: values that a check constraint needs (given the rows made so far).
OVERRIDES: dict[str, Callable[[Made, Any], dict[str, Any]]] = {
    # Exactly one conversation: the timeline entry, not the interview.
    "intake.InterpreterUse": lambda made, user: {"interview": None},
    # Exactly one owner: the user.
    "assignments.Task": lambda made, user: {"owner_user": user, "owner_organisation": None},
    # A hold on either the person or one case: here the case (reached through the case).
    "retention.LegalHold": lambda made, user: {"person": None},
    # A final evaluation names the reason for ending.
    "cases.CaseEvaluation": lambda made, user: {"ending_reason": "goals_reached"},
}


def _value(field: models.Field[Any, Any]) -> Any:
    if field.choices:
        return field.choices[0][0]
    kind = field.get_internal_type()
    n = next(_counter)
    if kind in ("DateField",):
        return dt.date(2026, 3, 2)
    if kind in ("DateTimeField",):
        return dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    if kind in ("BooleanField",):
        return False
    if kind.endswith("IntegerField"):
        return 1
    if kind == "DecimalField":
        return decimal.Decimal("1")
    if kind == "JSONField":
        return []
    text = f"Wert {n}"
    max_length = getattr(field, "max_length", None)
    if kind == "SlugField":
        text = f"wert-{n}"
    return text[:max_length] if max_length else text


def _needs_value(field: models.Field[Any, Any]) -> bool:
    if field.primary_key or field.null or field.has_default():
        return False
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    return not (
        field.blank and field.get_internal_type() in ("CharField", "TextField", "FileField")
    )


class Builder:
    def __init__(self, person: Person, user: Any) -> None:
        self.person = person
        self.user = user
        self.traeger = person.traeger
        self.config: dict[type[models.Model], models.Model] = {}

    def other_row(self, model: type[models.Model]) -> models.Model:
        """A configuration row (organisation, programme, goal …) of the person's Träger."""
        if model is get_user_model():
            return self.user
        if model._meta.label == "tenancy.Traeger":
            return self.traeger
        if model not in self.config:
            self.config[model] = self.create(model, {})
        return self.config[model]

    def create(self, model: type[models.Model], made: Made) -> models.Model:
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.name == "traeger":
                values["traeger"] = self.traeger
            elif field.is_relation:
                target = field.related_model
                assert isinstance(target, type)
                if target in made and target is not model:
                    values[field.name] = made[target]
                elif not field.null and target is not model:
                    values[field.name] = self.other_row(target)
            elif _needs_value(field):
                values[field.name] = _value(field)
        override = OVERRIDES.get(model._meta.label)
        if override is not None:
            values.update(override(made, self.user))
        return model._default_manager.create(**values)


def person_with_everything(traeger: Any = None) -> tuple[Person, dict[str, models.Model]]:
    """A person with one row in every model the traversal reaches; returns the rows by label."""
    kwargs = {"traeger": traeger} if traeger is not None else {}
    person = PersonFactory(**kwargs, health_notes="Schwangerschaft, 24. Woche")
    user = UserFactory(traeger=person.traeger, organisation=person.organisation)
    builder = Builder(person, user)
    made: Made = {Person: person}
    rows: dict[str, models.Model] = {"people.Person": person}
    for entry in reachable_models():
        if entry.kind == "person":
            continue
        if entry.kind == "owned":
            row = builder.create(entry.model, made)
        elif entry.model is Household:
            row = Household.objects.create(traeger=person.traeger, label="Haushalt Haddad")
            person.household = row
            person.save()
        elif entry.label == "audit.AuditEntry":
            row = audit_log(
                user=user,
                action="view",
                object_type="person",
                object_id=person.pk,
                person_id=person.pk,
                categories=["identity"],
            )
        else:
            raise AssertionError(
                f"no builder for {entry.label} ({entry.kind}); add one in tests/privacy/builders.py"
            )
        made[entry.model] = row
        rows[entry.label] = row
    return person, rows
