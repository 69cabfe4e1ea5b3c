"""Eligibility of a client for an offer, evaluated from data (no rules in code).

The general conditions of the offer (age range, municipalities served) must all hold; then, if
the offer has access paths, at least one of them must hold in full. The result names every
condition that fails, so the case manager sees *why* and can decide on an override with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lotse.directory.models import TargetGroup
from lotse.offers.models import AccessPath, Offer
from lotse.people.models import Person, ResidenceStatusRecord


@dataclass(frozen=True)
class ClientFacts:
    """What eligibility looks at, taken from the person on the day of the check."""

    age: int | None
    municipality_id: int | None
    status_id: int | None
    status_name: str
    nationalities: frozenset[str]
    target_group_ids: frozenset[int]  # the person's group and all its parents


@dataclass(frozen=True)
class Failure:
    code: str  # min_age, max_age, municipality, status, nationality, target_group
    message: str
    path: str = ""  # label of the access path, empty for general conditions

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "path": self.path}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    failures: list[Failure] = field(default_factory=list)
    matched_path: str = ""

    def messages(self) -> list[str]:
        return [f"{f.path}: {f.message}" if f.path else f.message for f in self.failures]


def age_on(date_of_birth: dt.date | None, day: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def current_status(person: Person, day: dt.date) -> ResidenceStatusRecord | None:
    """The newest status record valid on ``day`` (an expired one does not count)."""
    return (
        ResidenceStatusRecord.objects.filter(
            traeger_id=person.traeger_id, person=person, valid_from__lte=day
        )
        .exclude(valid_until__lt=day)
        .select_related("status")
        .order_by("-valid_from", "-id")
        .first()
    )


def _with_parents(target_group_id: int | None, traeger_id: int) -> frozenset[int]:
    if target_group_id is None:
        return frozenset()
    parents = dict(TargetGroup.objects.filter(traeger_id=traeger_id).values_list("id", "parent_id"))
    found: set[int] = set()
    current: int | None = target_group_id
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return frozenset(found)


def client_facts(person: Person, day: dt.date) -> ClientFacts:
    status = current_status(person, day)
    return ClientFacts(
        age=age_on(person.date_of_birth, day),
        municipality_id=person.municipality_id,
        status_id=status.status_id if status else None,
        status_name=str(status.status) if status else "",
        nationalities=frozenset(str(code).upper() for code in person.nationalities or []),
        target_group_ids=_with_parents(person.target_group_id, person.traeger_id),
    )


def _age_failures(
    facts: ClientFacts, min_age: int | None, max_age: int | None, path: str
) -> list[Failure]:
    failures = []
    if min_age is not None and (facts.age is None or facts.age < min_age):
        failures.append(
            Failure(
                "min_age",
                # de: Mindestalter {min} Jahre (Alter: {age}).
                _("Minimum age {min} years (age: {age}).").format(
                    min=min_age, age=facts.age if facts.age is not None else "?"
                ),
                path,
            )
        )
    if max_age is not None and (facts.age is None or facts.age > max_age):
        failures.append(
            Failure(
                "max_age",
                # de: Höchstalter {max} Jahre (Alter: {age}).
                _("Maximum age {max} years (age: {age}).").format(
                    max=max_age, age=facts.age if facts.age is not None else "?"
                ),
                path,
            )
        )
    return failures


def _path_failures(facts: ClientFacts, path: AccessPath) -> list[Failure]:
    label = path.label
    failures = _age_failures(facts, path.min_age, path.max_age, label)
    statuses = list(path.statuses.all())
    if statuses and facts.status_id not in {s.pk for s in statuses}:
        failures.append(
            Failure(
                "status",
                # de: Aufenthaltsstatus muss sein: {allowed} (derzeit: {current}).
                _("Residence status must be one of: {allowed} (currently: {current}).").format(
                    allowed=", ".join(str(s) for s in statuses),
                    current=facts.status_name or _("none recorded"),  # de: keiner erfasst
                ),
                label,
            )
        )
    nationalities = {str(code).upper() for code in path.nationalities or []}
    if nationalities and not (facts.nationalities & nationalities):
        failures.append(
            Failure(
                "nationality",
                # de: Staatsangehörigkeit muss sein: {allowed} (derzeit: {current}).
                _("Nationality must be one of: {allowed} (currently: {current}).").format(
                    allowed=", ".join(sorted(nationalities)),
                    current=", ".join(sorted(facts.nationalities)) or _("none recorded"),
                ),
                label,
            )
        )
    groups = list(path.target_groups.all())
    if groups and not (facts.target_group_ids & {g.pk for g in groups}):
        failures.append(
            Failure(
                "target_group",
                # de: Zielgruppe muss sein: {allowed}.
                _("Target group must be one of: {allowed}.").format(
                    allowed=", ".join(str(g) for g in groups)
                ),
                label,
            )
        )
    return failures


def check(offer: Offer, facts: ClientFacts) -> Eligibility:
    """Evaluate ``offer``'s conditions; prefetch ``municipalities`` and ``access_paths`` with
    their statuses and target groups to check many offers without a query per offer."""
    general = _age_failures(facts, offer.min_age, offer.max_age, "")
    served: Iterable[Any] = offer.municipalities.all()
    served_ids = {m.pk for m in served}
    if served_ids and facts.municipality_id not in served_ids:
        general.append(
            Failure(
                "municipality",
                # de: Das Angebot gibt es am Wohnort nicht (nur: {places}).
                _("The offer is not available at the place of residence (only: {places}).").format(
                    places=", ".join(sorted(str(m) for m in served))
                ),
            )
        )
    paths = list(offer.access_paths.all())
    path_failures: list[Failure] = []
    matched = ""
    if paths:
        for path in paths:
            failures = _path_failures(facts, path)
            if not failures:
                matched = path.label
                break
            path_failures.extend(failures)
        else:
            return Eligibility(eligible=False, failures=general + path_failures)
    return Eligibility(eligible=not general, failures=general, matched_path=matched)
