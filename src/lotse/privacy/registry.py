"""The registry of personal data: every field of every model, classified (``registry.yaml``).

Typed, read-only access::

    from lotse.privacy.registry import registry
    registry.models()                       # every ModelInfo, in file order
    registry.model("people.Person")         # one model (label or model class)
    registry.field("people.Person", "health_notes").art9  # -> True

``check_against_models()`` lists what is unclassified or stale; the tests fail on it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.db.models import Model

REGISTRY_PATH = Path(__file__).resolve().parent / "registry.yaml"

# The apps whose models the registry must cover.
LOTSE_PREFIX = "lotse."

CATEGORY_KEYS = (
    "identity",
    "residence_status",
    "education_work",
    "benefits",
    "family",
    "health",
    "youth_welfare",
    "case_work",
    "staff",
    "technical",
    "none",
)
# Categories that do not say anything about a person (technical keys, configuration).
NON_PERSONAL_CATEGORIES = frozenset({"technical", "none"})


class RegistryError(ValueError):
    """The registry file is malformed (unknown key, category, record type ...)."""


@dataclass(frozen=True)
class FieldInfo:
    model: str
    name: str
    category: str
    art9: bool = False

    @property
    def personal(self) -> bool:
        return self.category not in NON_PERSONAL_CATEGORIES


@dataclass(frozen=True)
class RecordType:
    key: str
    label: str
    retention: str


@dataclass(frozen=True)
class ModelInfo:
    label: str
    personal: bool
    activity: str
    purpose: str
    legal_basis: tuple[str, ...]
    retention: str
    subjects: tuple[str, ...]
    recipients: tuple[str, ...]
    fields: dict[str, FieldInfo]
    person_link: str | None = None
    not_person_related: str | None = None

    @property
    def personal_fields(self) -> list[FieldInfo]:
        return [f for f in self.fields.values() if f.personal]

    @property
    def categories(self) -> list[str]:
        """The data categories of this model's personal fields, in registry order."""
        return list(dict.fromkeys(f.category for f in self.personal_fields))

    @property
    def art9(self) -> bool:
        return any(f.art9 for f in self.fields.values())


@dataclass(frozen=True)
class Registry:
    categories: dict[str, str]
    subjects: dict[str, str]
    recipients: dict[str, str]
    record_types: dict[str, RecordType]
    activities: dict[str, str]
    _models: dict[str, ModelInfo]

    def models(self) -> list[ModelInfo]:
        return list(self._models.values())

    def personal_models(self) -> list[ModelInfo]:
        return [m for m in self._models.values() if m.personal]

    def has_model(self, model: str | type[Model]) -> bool:
        return _label(model) in self._models

    def model(self, model: str | type[Model]) -> ModelInfo:
        return self._models[_label(model)]

    def field(self, model: str | type[Model], name: str) -> FieldInfo:
        return self.model(model).fields[name]

    def category_label(self, key: str) -> str:
        return self.categories.get(key, key)


def _label(model: str | type[Model]) -> str:
    return model if isinstance(model, str) else model._meta.label


def _field(label: str, name: str, raw: Any, categories: dict[str, str]) -> FieldInfo:
    if isinstance(raw, str):
        category, art9 = raw, False
    elif isinstance(raw, dict) and set(raw) <= {"category", "art9"}:
        category, art9 = raw.get("category", ""), bool(raw.get("art9", False))
    else:
        raise RegistryError(f"{label}.{name}: expected a category or {{category, art9}}")
    if category not in categories:
        raise RegistryError(f"{label}.{name}: unknown category {category!r}")
    return FieldInfo(model=label, name=name, category=category, art9=art9)


_MODEL_KEYS = {
    "personal",
    "activity",
    "purpose",
    "legal_basis",
    "retention",
    "subjects",
    "recipients",
    "person_link",
    "not_person_related",
    "fields",
}


def parse(data: dict[str, Any]) -> Registry:
    categories = {str(k): str(v) for k, v in data["categories"].items()}
    if set(categories) != set(CATEGORY_KEYS):
        raise RegistryError(f"categories must be exactly {', '.join(CATEGORY_KEYS)}")
    subjects = {str(k): str(v) for k, v in data["subjects"].items()}
    recipients = {str(k): str(v) for k, v in data["recipients"].items()}
    activities = {str(k): str(v) for k, v in data["activities"].items()}
    record_types = {
        str(k): RecordType(key=str(k), label=str(v["label"]), retention=str(v["retention"]))
        for k, v in data["record_types"].items()
    }
    parsed: dict[str, ModelInfo] = {}
    for label, raw in data["models"].items():
        unknown = set(raw) - _MODEL_KEYS
        if unknown:
            raise RegistryError(f"{label}: unknown keys {', '.join(sorted(unknown))}")
        if not isinstance(raw.get("personal"), bool):
            raise RegistryError(f"{label}: personal must be true or false")
        info = ModelInfo(
            label=label,
            personal=raw["personal"],
            activity=raw["activity"],
            purpose=raw["purpose"],
            legal_basis=tuple(raw["legal_basis"]),
            retention=raw["retention"],
            subjects=tuple(raw.get("subjects") or ()),
            recipients=tuple(raw.get("recipients") or ()),
            fields={
                name: _field(label, name, value, categories)
                for name, value in (raw.get("fields") or {}).items()
            },
            person_link=raw.get("person_link"),
            not_person_related=raw.get("not_person_related"),
        )
        for key, known, what in (
            ((info.activity,), activities, "activity"),
            ((info.retention,), record_types, "record type"),
            (info.subjects, subjects, "subject"),
            (info.recipients, recipients, "recipient"),
        ):
            for value in key:
                if value not in known:
                    raise RegistryError(f"{label}: unknown {what} {value!r}")
        if info.personal and not info.personal_fields:
            raise RegistryError(f"{label}: personal: true but no personal field")
        if not info.personal and info.personal_fields:
            raise RegistryError(f"{label}: personal: false but has personal fields")
        if info.personal and not info.legal_basis:
            raise RegistryError(f"{label}: personal model without legal basis")
        parsed[label] = info
    return Registry(
        categories=categories,
        subjects=subjects,
        recipients=recipients,
        record_types=record_types,
        activities=activities,
        _models=parsed,
    )


@functools.cache
def load(path: Path = REGISTRY_PATH) -> Registry:
    with path.open(encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))


class _LazyRegistry:
    """``registry`` reads the file on first use (and after ``load.cache_clear()``)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(load(), name)


registry: Registry = _LazyRegistry()  # type: ignore[assignment]


def lotse_models() -> list[type[Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith(LOTSE_PREFIX) and not m._meta.auto_created
    ]


def check_against_models(reg: Registry | None = None) -> list[str]:
    """Every problem between the registry and the models, as readable lines (empty = in sync)."""
    reg = reg or load()
    problems: list[str] = []
    seen: set[str] = set()
    for model in lotse_models():
        label = model._meta.label
        seen.add(label)
        if not reg.has_model(label):
            problems.append(f"model {label} is not classified in the registry")
            continue
        info = reg.model(label)
        names = [f.name for f in model._meta.concrete_fields]
        for name in names:
            if name not in info.fields:
                problems.append(f"field {label}.{name} is not classified in the registry")
        for name in info.fields:
            if name not in names:
                problems.append(f"registry entry {label}.{name} names no existing field")
        if info.person_link and info.person_link not in names:
            problems.append(f"{label}: person_link {info.person_link!r} is no field")
    for info in reg.models():
        if info.label not in seen:
            problems.append(f"registry entry {info.label} names no existing model")
    return problems
