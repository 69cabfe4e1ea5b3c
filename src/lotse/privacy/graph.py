"""Everything held about one person, found generically from the Django relations.

Starting at ``people.Person``, the traversal follows every reverse foreign key and one-to-one
relation (Person → Case → TimelineEntry → ..., recursively). A model added later with a foreign
key to Person, Case or any model below them is covered without changing this module.

Besides the rows *owned* through foreign keys, the result names

- ``reference`` sets: rows a person's row points to that hold data about clients but are shared
  with other persons (the household): they are shown by reference and must not be erased with
  one person;
- ``linked`` sets: rows that name the person by an integer id declared as ``person_link`` in the
  registry (the access log ``audit.AuditEntry.person_id``); the access log is append-only.

Models the registry declares ``not_person_related`` (staff data, import runs) are not followed.

API::

    for related in person_related_querysets(person):   # parents before children
        related.model, related.kind, related.via, related.queryset

Every queryset is limited to the person's Träger. Callers are responsible for authorisation
(the export and the erasure check the access policy before calling this).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models
from django.db.models import Q, QuerySet

from lotse.privacy.registry import Registry, load, lotse_models

Kind = Literal["person", "owned", "reference", "linked"]


@dataclass(frozen=True)
class Edge:
    """``child.<field>`` points to a row of ``parent``."""

    child: type[models.Model]
    field: str
    parent: type[models.Model]


@dataclass
class ReachableModel:
    model: type[models.Model]
    kind: Kind
    # The foreign keys through which rows of this model belong to the person (owned), the
    # forward foreign keys that point to it (reference) or the id field (linked).
    edges: list[Edge] = field(default_factory=list)
    person_link: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def via(self) -> list[str]:
        """Readable paths, e.g. ``cases.TimelineEntry.case → cases.Case``."""
        if self.person_link:
            return [f"{self.label}.{self.person_link} = Person.id"]
        return [f"{e.child._meta.label}.{e.field} → {e.parent._meta.label}" for e in self.edges]


@dataclass(frozen=True)
class RelatedSet:
    model: type[models.Model]
    kind: Kind
    via: tuple[str, ...]
    queryset: QuerySet[Any]

    @property
    def label(self) -> str:
        return self.model._meta.label


def _person_model() -> type[models.Model]:
    from lotse.people.models import Person

    return Person


def _is_lotse(model: type[models.Model]) -> bool:
    return model in set(lotse_models())


def _skipped(reg: Registry, model: type[models.Model]) -> bool:
    return reg.has_model(model) and reg.model(model).not_person_related is not None


def _refers_to_clients(reg: Registry, model: type[models.Model]) -> bool:
    if not reg.has_model(model):
        return False
    info = reg.model(model)
    return info.personal and "clients" in info.subjects and info.not_person_related is None


def _reverse_relations(model: type[models.Model]) -> list[Any]:
    """Reverse foreign keys and one-to-ones, including hidden ones (``related_name="+"``)."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def reachable_models(reg: Registry | None = None) -> list[ReachableModel]:
    """The models holding data about a person, parents before children (model level)."""
    reg = reg or load()
    person_model = _person_model()
    known = set(lotse_models())
    found: dict[type[models.Model], ReachableModel] = {
        person_model: ReachableModel(model=person_model, kind="person")
    }
    queue: list[type[models.Model]] = [person_model]
    while queue:
        parent = queue.pop(0)
        for rel in _reverse_relations(parent):
            child = rel.related_model
            if not isinstance(child, type) or child not in known:
                continue
            if child is parent or _skipped(reg, child):
                continue
            edge = Edge(child=child, field=rel.field.name, parent=parent)
            entry = found.get(child)
            if entry is None:
                found[child] = ReachableModel(model=child, kind="owned", edges=[edge])
                queue.append(child)
            elif entry.kind == "owned" and edge not in entry.edges:
                entry.edges.append(edge)
    owned = [m for m in found.values() if m.kind in ("person", "owned")]
    # Forward references from owned rows to shared client data (the household).
    references: dict[type[models.Model], ReachableModel] = {}
    for entry in owned:
        for f in entry.model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if not isinstance(target, type) or target in found or target not in known:
                continue
            if not _refers_to_clients(reg, target):
                continue
            ref = references.setdefault(target, ReachableModel(model=target, kind="reference"))
            ref.edges.append(Edge(child=entry.model, field=f.name, parent=target))
    linked = [
        ReachableModel(model=m, kind="linked", person_link=reg.model(m).person_link)
        for m in lotse_models()
        if reg.has_model(m) and reg.model(m).person_link and m not in found
    ]
    return [*_topological(owned), *references.values(), *linked]


def _topological(entries: list[ReachableModel]) -> list[ReachableModel]:
    """Order so that every parent comes before its children (the owned graph is acyclic)."""
    remaining = {e.model: e for e in entries}
    ordered: list[ReachableModel] = []
    while remaining:
        ready = [
            e
            for e in remaining.values()
            if all(edge.parent not in remaining for edge in e.edges if edge.parent is not e.model)
        ]
        if not ready:
            cycle = ", ".join(sorted(m._meta.label for m in remaining))
            raise RuntimeError(f"cyclic ownership between {cycle}")
        for e in ready:
            ordered.append(e)
            del remaining[e.model]
    return ordered


def _scoped(model: type[models.Model], traeger_id: int) -> QuerySet[Any]:
    qs = model._default_manager.all()
    if any(f.name == "traeger" for f in model._meta.concrete_fields):
        qs = qs.filter(traeger_id=traeger_id)
    return qs


def person_related_querysets(person: Any, reg: Registry | None = None) -> list[RelatedSet]:
    """One queryset per model holding data about ``person``, parents before children.

    ``kind``: ``person`` (the person row), ``owned`` (rows belonging to the person through
    foreign keys), ``reference`` (shared rows the person points to, e.g. the household),
    ``linked`` (rows naming the person by id, e.g. the access log).
    """
    traeger_id = person.traeger_id
    querysets: dict[type[models.Model], QuerySet[Any]] = {}
    result: list[RelatedSet] = []
    for entry in reachable_models(reg):
        model = entry.model
        qs = _scoped(model, traeger_id)
        if entry.kind == "person":
            qs = qs.filter(pk=person.pk)
        elif entry.kind == "owned":
            qs = qs.filter(
                _any_of(
                    Q(**{f"{edge.field}__in": querysets[edge.parent].values("pk")})
                    for edge in entry.edges
                )
            )
        elif entry.kind == "reference":
            qs = qs.filter(
                _any_of(
                    Q(pk__in=querysets[edge.child].values(edge.field))
                    for edge in entry.edges
                    if edge.child in querysets
                )
            )
        else:
            qs = qs.filter(**{str(entry.person_link): person.pk})
        querysets[model] = qs
        result.append(RelatedSet(model=model, kind=entry.kind, via=tuple(entry.via), queryset=qs))
    return result


def _any_of(conditions: Iterable[Q]) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined
