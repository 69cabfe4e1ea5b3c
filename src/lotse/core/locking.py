"""Optimistic locking for objects edited by several people at once."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone else saved the object after the editor loaded it."""

    def __init__(self, obj: models.Model) -> None:
        self.obj = obj
        super().__init__(
            _(
                "This record was changed by someone else in the meantime. Your input was not "
                "saved but is kept in the form. Please load the current version and apply your "
                "changes again."
            )
        )


def save_versioned(obj: Any, *, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` only if the stored version still equals ``expected_version``.

    The compare-and-set happens in one UPDATE, so two concurrent writers can never both win.
    """
    model = type(obj)
    values = {name: getattr(obj, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        from django.utils import timezone

        obj.updated_at = timezone.now()
        values["updated_at"] = obj.updated_at
    updated = model._base_manager.filter(pk=obj.pk, version=expected_version).update(
        version=models.F("version") + 1, **values
    )
    if updated != 1:
        raise EditConflict(obj)
    obj.version = expected_version + 1
