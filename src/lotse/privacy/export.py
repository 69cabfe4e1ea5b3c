"""The Art. 15 GDPR export: everything held about one person within their Träger.

``build_export(person)`` walks ``graph.person_related_querysets`` (so a new model with a foreign
key to Person, Case or below is included without a change here) and returns a plain structure:

.. code-block:: text

    {
      "format": "lotse-art15-export", "format_version": 1,
      "generated_at": ISO time, "controller": the configured controller (else the Träger),
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

import contextlib
import datetime as dt
import decimal
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from lotse.consent.selectors import notice_parties
from lotse.core.reference import country_name, language_name
from lotse.privacy.graph import person_related_querysets
from lotse.privacy.registry import Registry, load

FORMAT = "lotse-art15-export"
FORMAT_VERSION = 1

# Never exported: the Träger key (the controller is named once) and derived search keys.
SKIPPED_FIELDS = frozenset({"traeger", "search_name", "first_key", "last_key", "name_key"})


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


#: German labels for fields whose model gives no verbose name (Django would print the field name,
#: "created at"). The Art. 15 print-out is read by the person, so every label is German.
FIELD_LABELS: dict[str, str] = {
    "added_at": "hinzugefügt am",
    "added_by": "hinzugefügt von",
    "answers": "Antworten",
    "assessment": "Einschätzung",
    "author": "verfasst von",
    "author_organisation": "Organisation der Verfasserin / des Verfassers",
    "automatic_reason": "automatisch ermittelter Grund",
    "budget": "Budget",
    "case": "Fall",
    "changed_by": "geändert von",
    "checked_at": "geprüft am",
    "checked_by": "geprüft von",
    "code_hash": "Prüfwert des Codes",
    "completed_by": "erledigt von",
    "consent": "Einwilligung",
    "created_at": "angelegt am",
    "created_by": "angelegt von",
    "data": "Angaben",
    "deadline": "Frist",
    "decided_at": "entschieden am",
    "decided_by": "entschieden von",
    "eligibility_check": "Prüfung der Voraussetzungen",
    "entry_hash": "Prüfwert des Eintrags",
    "evaluated_by": "ausgewertet von",
    "evaluation": "Auswertung",
    "executed_at": "ausgeführt am",
    "executed_by": "ausgeführt von",
    "field_of_action": "Handlungsfeld",
    "for_date": "für den Tag",
    "forwarded_by": "weitergeleitet von",
    "from_status": "vorheriger Stand",
    "from_user": "von",
    "goal": "Ziel",
    "handed_by": "übergeben von",
    "interview": "Gespräch",
    "ip_address": "IP-Adresse",
    "key": "Schlüssel",
    "kind": "Art",
    "last_challenge": "letzte Abfrage",
    "last_used_step": "zuletzt verwendeter Schritt",
    "lifted_at": "aufgehoben am",
    "lifted_by": "aufgehoben von",
    "occurred_at": "Zeitpunkt",
    "overridden_by": "übersteuert von",
    "participation": "Teilnahme",
    "person": "Person",
    "previous_hash": "Prüfwert des vorigen Eintrags",
    "programme": "Programm",
    "recipient": "Empfänger",
    "recorded_at": "erfasst am",
    "recorded_by": "erfasst von",
    "referral": "Zusteuerung",
    "removed_by": "entfernt von",
    "request": "Antrag",
    "requested_at": "beantragt am",
    "requested_by": "beantragt von",
    "resolved_by": "erledigt von",
    "reviewed_by": "geprüft von",
    "salt": "Zufallswert",
    "sent_at": "gesendet am",
    "session_epoch": "Sitzungsstand",
    "set_at": "gesetzt am",
    "set_by": "gesetzt von",
    "since": "seit",
    "sort_order": "Reihenfolge",
    "task": "Aufgabe",
    "timeline_entry": "Verlaufseintrag",
    "to_status": "neuer Stand",
    "to_user": "an",
    "tombstone": "Löschvermerk",
    "transfer": "Übermittlung",
    "transferred_by": "übermittelt von",
    "updated_at": "geändert am",
    "updated_by": "geändert von",
    "used_at": "verwendet am",
    "user": "Benutzerkonto",
    "username": "Benutzername",
    "version": "Fassung",
    "withdrawn_by": "widerrufen von",
}

#: Fields holding language or country codes (ISO 639 / ISO 3166), shown by their German name.
LANGUAGE_FIELDS = frozenset({"language", "languages", "interpreter_language"})
COUNTRY_FIELDS = frozenset({"nationalities", "nationality", "country", "country_of_origin"})

#: Longer texts are cut in the PDF (a 1 MB note must not stall the print-out); the JSON export
#: keeps them whole.
MAX_SHOWN_TEXT = 4000
TRUNCATED = " … gekürzt, vollständiger Text in der Datenübernahme/JSON-Export"

_DEFAULT_STR = re.compile(r" object \((\d+)\)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def field_label(f: Any) -> str:
    """The German label of a field (its verbose name, or :data:`FIELD_LABELS`)."""
    label = str(f.verbose_name)
    if label == f.name.replace("_", " "):
        return FIELD_LABELS.get(f.name, label)
    return label


def _object_label(target: models.Model) -> str:
    """``str(target)``, or "<German model name> Nr. <id>" for a model without ``__str__``."""
    text = str(target)
    if _DEFAULT_STR.search(text):
        return f"{target._meta.verbose_name} Nr. {target.pk}"
    return text


def _plain(value: Any) -> str:
    """A stored string as a person reads it: ISO dates as DD.MM.YYYY, long texts cut."""
    text = str(value)
    if _ISO_DATE.match(text):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
    elif _ISO_DATETIME.match(text):
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d.%m.%Y %H:%M")
    if len(text) > MAX_SHOWN_TEXT:
        return text[:MAX_SHOWN_TEXT] + TRUNCATED
    return text


def _display_value(obj: models.Model, f: models.Field[Any, Any]) -> str:
    if f.is_relation:
        target = getattr(obj, f.name)
        return "" if target is None else _object_label(target)
    value = getattr(obj, f.attname)
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if f.name in LANGUAGE_FIELDS and value:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(language_name(str(code)) for code in codes)
    if f.name in COUNTRY_FIELDS and value:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(country_name(str(code)) for code in codes)
    if f.name == "automatic_reason" and value:
        reason = getattr(obj, "reason_text", "")
        return str(reason or value)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if value is None:
        return ""
    return _plain(value)


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
            cells.append(Cell(label=field_label(f), value=shown))
    for m2m in obj._meta.many_to_many:
        related = list(getattr(obj, m2m.name).all())
        values[m2m.name] = [_json_value(r) for r in related]
        if related:
            cells.append(
                Cell(
                    label=field_label(m2m),
                    value=", ".join(_object_label(r) for r in related),
                )
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
        controller=notice_parties(person.traeger).controller_name,
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
