"""Writes of the privacy app: the Art. 15 export is audited as ``export`` with all categories."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from lotse.audit.services import audit_log
from lotse.privacy.export import Export, build_export
from lotse.privacy.registry import NON_PERSONAL_CATEGORIES, load


def all_categories() -> list[str]:
    return [key for key in load().categories if key not in NON_PERSONAL_CATEGORIES]


@transaction.atomic
def export_person(
    *, user: Any, person: Any, request: HttpRequest | None, output: str, channel: str = ""
) -> Export:
    """Build the export of an authorised person and log it (``output``: json or pdf)."""
    export = build_export(person)
    audit_log(
        user=user,
        action="export",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=all_categories(),
        request=request,
        channel=channel,
        detail=f"Art. 15 DSGVO ({output})",
    )
    return export
