"""Merging a duplicate person into the person that stays (``person_merge``).

Everything recorded about the duplicate B moves to the person A that stays: cases, timeline (it
hangs on the cases), consents and transfers, deadlines, referrals, tasks, assessments, field
processes, handovers, name variants, residence status history. B is not deleted: its row stays
as a tombstone with ``merged_into = A`` so that B's id, page URL and API id resolve to A, and the
access log keeps both ids (it is never rewritten). B's name becomes a name variant of A, so a
search for it still finds A.

Rows that would break a uniqueness rule are handled per kind: derived rows (the deadlines, which
the refresh recomputes for A) are dropped; recorded rows (e.g. an assessment of the same field of
action for both) stop the merge with a message, because picking one would lose the other.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core.access import Action, require
from lotse.people.events import person_changed
from lotse.people.models import Person, PersonNameVariant
from lotse.people.names import person_name_fields

#: Rows derived from the person's facts; recomputed for the person that stays.
DERIVED_ON_MERGE = frozenset({"deadlines.PersonGoalDeadline"})
#: Relations that are not moved (the tombstone chain is flattened separately).
NOT_MOVED = frozenset({("people.Person", "merged_into")})


def _person_relations() -> list[tuple[type[models.Model], str]]:
    relations = []
    for relation in Person._meta.related_objects:
        if relation.many_to_many or relation.one_to_one:
            continue
        model = relation.related_model
        if (model._meta.label, relation.field.name) in NOT_MOVED:
            continue
        relations.append((model, relation.field.name))
    return relations


def _unique_fields(model: type[models.Model], field: str) -> list[tuple[list[str], Any]]:
    """The other fields of each uniqueness rule that includes ``field`` (and its condition)."""
    rules = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field in constraint.fields:
            others = [name for name in constraint.fields if name not in {field, "traeger"}]
            rules.append((others, constraint.condition))
    for together in model._meta.unique_together:
        if field in together:
            rules.append(([name for name in together if name not in {field, "traeger"}], None))
    return rules


def _conflicting_rows(
    model: type[models.Model], field: str, source: Person, target: Person
) -> models.QuerySet[Any]:
    """Rows of ``source`` that would collide with a row of ``target`` after the move."""
    conflicting = model._default_manager.none()
    for others, condition in _unique_fields(model, field):
        kept = model._default_manager.filter(**{field: target})
        moved = model._default_manager.filter(**{field: source})
        if condition is not None:
            kept, moved = kept.filter(condition), moved.filter(condition)
        if not others:
            if kept.exists():
                conflicting |= moved
            continue
        taken = {tuple(row) for row in kept.values_list(*others)}
        ids = [row[0] for row in moved.values_list("pk", *others) if tuple(row[1:]) in taken]
        conflicting |= model._default_manager.filter(pk__in=ids)
    return conflicting


@transaction.atomic
def person_merge(*, actor: Any, target: Person, source: Person, request: Any = None) -> Person:
    """Merge ``source`` (the duplicate) into ``target`` (the person that stays).

    Both must have been loaded for the actor with ``Action.CHANGE`` (the case team of both).
    """
    require(actor, Action.CHANGE)
    if source.pk == target.pk:
        raise ValidationError({"source": _("A person cannot be merged with themselves.")})
    locked = {
        person.pk: person
        for person in Person.objects.select_for_update().filter(
            pk__in=[source.pk, target.pk], traeger_id=actor.traeger_id
        )
    }
    if len(locked) != 2:
        raise ValidationError({"source": _("This entry does not belong to your Träger.")})
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError({"source": _("This person has already been merged.")})

    relations = _person_relations()
    blocking = []
    for model, field in relations:
        conflicts = _conflicting_rows(model, field, source, target)
        if not conflicts.exists():
            continue
        if model._meta.label in DERIVED_ON_MERGE:
            conflicts.delete()
        else:
            blocking.append(str(model._meta.verbose_name_plural))
    if blocking:
        raise ValidationError(
            {
                "source": _(
                    "Both persons have entries that cannot be combined (%(kinds)s). Please "
                    "close or correct the entries of the duplicate first."
                )
                % {"kinds": ", ".join(sorted(set(blocking)))}
            }
        )
    for model, field in relations:
        model._default_manager.filter(**{field: source}).update(**{field: target})
    Person.objects.filter(merged_into=source).update(merged_into=target)

    derived = person_name_fields(source.first_name, source.last_name)
    if derived["search_name"] != target.search_name:  # the other spelling stays findable
        PersonNameVariant.objects.create(
            traeger_id=target.traeger_id,
            person=target,
            first_name=source.first_name,
            last_name=source.last_name,
            kind=PersonNameVariant.Kind.ALIAS,
            search_name=derived["search_name"],
            name_key=derived["name_key"],
        )
    target_fields = {}
    if target.household_id is None and source.household_id is not None:
        target_fields = {
            "household_id": source.household_id,
            "household_role": source.household_role,
        }
    if not target.external_key and source.external_key:
        target_fields["external_key"] = source.external_key
    Person.objects.filter(pk=source.pk).update(
        merged_into=target, household=None, household_role="", external_key=""
    )
    if target_fields:
        Person.objects.filter(pk=target.pk).update(**target_fields)
    target.refresh_from_db()
    person_changed(target)  # the deadlines of the person that stays, e.g. from B's facts
    for subject, other, detail in (
        (target, source, "merged_from"),
        (source, target, "merged_into"),
    ):
        audit_log(
            user=actor,
            action="update",
            object_type="person",
            object_id=subject.pk,
            person_id=subject.pk,
            categories=["identity"],
            request=request,
            detail=f"{detail}:{other.pk}",
        )
    return target
