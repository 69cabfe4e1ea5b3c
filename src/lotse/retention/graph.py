"""Everything that belongs to a person (or a case), found by walking the foreign keys.

Starting from the root rows, every model with a foreign key to a collected row is visited when
that key deletes with it or protects it (CASCADE, PROTECT, RESTRICT): those rows cannot outlive
the root. Keys that are set to NULL (e.g. an erasure request, an author) are left to Django.
Generic on purpose: a table that a later feature hangs off a person or a case is erased
without a change here. The access log has no foreign key to persons (only ``person_id``) and is
never reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import CASCADE, PROTECT, RESTRICT, ProtectedError, RestrictedError

FOLLOWED = (CASCADE, PROTECT, RESTRICT)

Collected = dict[type[models.Model], set[Any]]


def collect(model: type[models.Model], pks: Iterable[Any]) -> Collected:
    """The rows (per model, in discovery order) that go when ``pks`` of ``model`` go."""
    found: Collected = {}
    queue: list[tuple[type[models.Model], set[Any]]] = [(model, set(pks))]
    while queue:
        current, ids = queue.pop(0)
        new = ids - found.get(current, set())
        if not new:
            continue
        found.setdefault(current, set()).update(new)
        for relation in current._meta.related_objects:
            if relation.many_to_many or relation.on_delete not in FOLLOWED:
                continue
            related = relation.related_model
            field = relation.field
            children = set(
                related._base_manager.filter(**{f"{field.name}__in": new}).values_list(
                    "pk", flat=True
                )
            )
            if children:
                queue.append((related, children))
    return found


def counts(collected: Collected) -> dict[str, int]:
    return {model._meta.label: len(ids) for model, ids in collected.items() if ids}


def file_names(collected: Collected) -> list[tuple[Any, str]]:
    """(storage, name) of every stored file of the collected rows."""
    files: list[tuple[Any, str]] = []
    for model, ids in collected.items():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names = model._base_manager.filter(pk__in=ids).values_list(field.attname, flat=True)
                files.extend((field.storage, name) for name in names if name)
    return files


def delete_collected(collected: Collected) -> None:
    """Delete the rows, children first; protected keys inside the set are resolved by order.

    Runs inside the caller's transaction. Each attempt is a savepoint, so a refused delete
    (a row protected by another row of the set, e.g. a consent superseded by a newer version)
    leaves nothing half done and is retried after the rows that protect it are gone.
    """
    remaining = {model: set(ids) for model, ids in reversed(list(collected.items()))}
    while remaining:
        progress = False
        for model in list(remaining):
            ids = set(
                model._base_manager.filter(pk__in=remaining[model]).values_list("pk", flat=True)
            )
            if not ids:
                del remaining[model]
                progress = True
                continue
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk__in=ids).delete()
            except (ProtectedError, RestrictedError):
                for pk in sorted(ids, reverse=True):
                    try:
                        with transaction.atomic():
                            model._base_manager.filter(pk=pk).delete()
                    except (ProtectedError, RestrictedError):
                        continue
                    progress = True
                remaining[model] = set(
                    model._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
                )
                if not remaining[model]:
                    del remaining[model]
            else:
                del remaining[model]
                progress = True
        if not progress:
            blocked = ", ".join(sorted(model._meta.label for model in remaining))
            raise ProtectedError(f"Rows outside the erased data protect: {blocked}", set())
