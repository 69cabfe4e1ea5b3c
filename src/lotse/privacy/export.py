"""The Art. 15 GDPR export: everything held about one person within their Träger.

``build_export(person)`` walks ``graph.person_related_querysets`` (so a new model with a foreign
key to Person, Case or below is included without a change here) and returns a plain structure:

.. code-block:: text

    {
      "format": "lotse-art15-export", "format_version": 1,
      "generated_at": ISO time, "controller": Träger name,
      "person": {"id", "first_name", "last_name", "date_of_birth"},
      "sections": [                      # one per model, parents before children
        {"model": "cases.Case", "title": "Fälle", "kind": "owned|person|reference",
         "purpose", "legal_basis": [...], "retention", "categories": [...],
         "rows": [{"id": 1, "<field>": value, ...}]}      # foreign keys: {"id", "label"}
      ],
      "transfers": [{"transferred_at", "recipient", "basis", "statute", "reason",
                     "categories", "purpose", "consent_document_id", "consent_version"}],
      "access_report": [{"occurred_at", "username", "organisation", "roles", "action",
                         "object_type", "object_id", "categories", "channel"}]
    }

Values are the stored values (encrypted fields decrypt transparently); files are listed with
their metadata, not their content. The caller authorises (case team, ``Action.VIEW``) and
audits (see ``services.export_person``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from lotse.privacy.graph import person_related_querysets
from lotse.privacy.registry import Registry, load

FORMAT = "lotse-art15-export"
FORMAT_VERSION = 1

# Never exported: the Träger key (the controller is named once) and derived search keys.
SKIPPED_FIELDS = frozenset({"traeger", "search_name"})


@dataclass
class Cell:
    label: str
    value: str


@dataclass
class Section:
    model: str
    title: str
    kind: str
    purpose: str
    legal_basis: list[str]
    retention: str
    categories: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    # For the PDF: per row the fields as (German label, readable value).
    display: list[list[Cell]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "title": self.title,
            "kind": self.kind,
            "purpose": self.purpose,
            "legal_basis": self.legal_basis,
            "retention": self.retention,
            "categories": self.categories,
            "rows": self.rows,
        }


@dataclass
class Export:
    generated_at: dt.datetime
    controller: str
    person: dict[str, Any]
    sections: list[Section]
    transfers: list[dict[str, Any]]
    access_report: list[dict[str, Any]]

    @property
    def models(self) -> list[str]:
        return [s.model for s in self.sections]

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "generated_at": self.generated_at.isoformat(),
            "controller": self.controller,
            "person": self.person,
            "sections": [s.as_dict() for s in self.sections],
            "transfers": self.transfers,
            "access_report": self.access_report,
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    return value


def _display_value(obj: models.Model, f: models.Field[Any, Any]) -> str:
    if f.is_relation:
        target = getattr(obj, f.name)
        return "" if target is None else str(target)
    value = getattr(obj, f.attname)
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _row(
    obj: models.Model, fields: list[models.Field[Any, Any]]
) -> tuple[dict[str, Any], list[Cell]]:
    values: dict[str, Any] = {}
    cells: list[Cell] = []
    for f in fields:
        if f.is_relation:
            target = getattr(obj, f.name)
            values[f.name] = None if target is None else _json_value(target)
        else:
            values[f.name] = _json_value(getattr(obj, f.attname))
        shown = _display_value(obj, f)
        if shown != "":
            cells.append(Cell(label=str(f.verbose_name), value=shown))
    for m2m in obj._meta.many_to_many:
        related = list(getattr(obj, m2m.name).all())
        values[m2m.name] = [_json_value(r) for r in related]
        if related:
            cells.append(
                Cell(label=str(m2m.verbose_name), value=", ".join(str(r) for r in related))
            )
    return values, cells


def _exported_fields(model: type[models.Model], reg: Registry) -> list[models.Field[Any, Any]]:
    info = reg.model(model) if reg.has_model(model) else None
    result = []
    for f in model._meta.concrete_fields:
        if f.name in SKIPPED_FIELDS:
            continue
        if info is not None and f.name in info.fields and info.fields[f.name].category == "none":
            continue
        result.append(f)
    return result


def _section(model: type[models.Model], kind: str, reg: Registry) -> Section:
    label = model._meta.label
    info = reg.model(model) if reg.has_model(model) else None
    retention = ""
    if info is not None:
        record = reg.record_types[info.retention]
        retention = f"{record.label}: {record.retention}"
    return Section(
        model=label,
        title=str(model._meta.verbose_name_plural),
        kind=kind,
        purpose=info.purpose if info else "",
        legal_basis=list(info.legal_basis) if info else [],
        retention=retention,
        categories=[reg.category_label(c) for c in info.categories] if info else [],
    )


def _access_report(queryset: Any) -> list[dict[str, Any]]:
    return [
        {
            "occurred_at": entry.occurred_at.isoformat(),
            "username": entry.username,
            "organisation": entry.organisation,
            "roles": entry.roles,
            "action": entry.action,
            "action_label": str(entry.get_action_display()),
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "categories": entry.categories,
            "channel": entry.channel,
        }
        for entry in queryset.order_by("occurred_at", "id")
    ]


def _transfers(queryset: Any) -> list[dict[str, Any]]:
    return [
        {
            "transferred_at": transfer.transferred_at.isoformat(),
            "recipient": transfer.recipient.name,
            "basis": transfer.basis,
            "basis_label": str(transfer.get_basis_display()),
            "statute": transfer.statute,
            "reason": transfer.reason,
            "categories": list(transfer.categories),
            "category_labels": transfer.category_labels(),
            "purpose": transfer.purpose,
            "consent_document_id": transfer.consent.document_id if transfer.consent else "",
            "consent_version": transfer.consent_version,
            "transferred_by": transfer.transferred_by.username,
        }
        for transfer in queryset.select_related("recipient", "consent", "transferred_by").order_by(
            "transferred_at", "id"
        )
    ]


def build_export(person: Any, reg: Registry | None = None) -> Export:
    """Everything held about ``person`` (already authorised by the caller)."""
    reg = reg or load()
    sections: list[Section] = []
    access_report: list[dict[str, Any]] = []
    transfers: list[dict[str, Any]] = []
    for related in person_related_querysets(person, reg):
        model = related.model
        if related.kind == "linked":
            if model._meta.label == "audit.AuditEntry":
                access_report = _access_report(related.queryset)
                continue
        if model._meta.label == "consent.Transfer":
            transfers = _transfers(related.queryset)
        section = _section(model, related.kind, reg)
        fields = _exported_fields(model, reg)
        for obj in related.queryset.order_by("pk"):
            values, cells = _row(obj, fields)
            if related.kind == "reference" and model._meta.label == "people.Household":
                # Other members only by reference (their id), never their data.
                members = obj.members.exclude(pk=person.pk).order_by("pk")  # type: ignore[attr-defined]
                values["other_member_ids"] = list(members.values_list("pk", flat=True))
            section.rows.append(values)
            section.display.append(cells)
        sections.append(section)
    return Export(
        generated_at=timezone.now(),
        controller=str(person.traeger),
        person={
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        },
        sections=sections,
        transfers=transfers,
        access_report=access_report,
    )
