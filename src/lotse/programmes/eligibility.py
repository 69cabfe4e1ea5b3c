"""Eligibility for a participation programme such as "Durchstarten in Ausbildung und Arbeit".

Three criteria, all from the Träger's configuration (``directory.Programme``), none hard-coded:

- **Age on the intake date**, inclusive at both ends: a person is ``min_age`` from their
  ``min_age``-th birthday and still ``max_age`` until the day before their ``max_age + 1``-th
  birthday. For 18–27 this means: from the 18th birthday up to and including the day before
  the 28th birthday. Age counts in completed years (§ 187 Abs. 2 Satz 2, § 188 Abs. 2 BGB);
  someone born on 29 February completes a year on 1 March in a common year.
- **Residence status valid on the intake date** (the record with the newest ``valid_from`` on or
  before that date, not expired) is one of the programme's ``eligible_statuses``.
- **Municipality covered**: a ``ProgrammeProvider`` exists for the person's municipality; that
  provider is the suggested responsible organisation. No row means not covered (Barntrup).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lotse.directory.models import Organisation, Programme, ProgrammeProvider
from lotse.people.models import Person, ResidenceStatusRecord


@dataclass(frozen=True)
class Criterion:
    key: str
    met: bool | None
    reason: str


@dataclass(frozen=True)
class EligibilityResult:
    programme: Programme
    intake_date: dt.date
    criteria: list[Criterion] = field(default_factory=list)
    provider: Organisation | None = None

    @property
    def eligible(self) -> bool:
        return all(criterion.met is True for criterion in self.criteria)

    def criteria_data(self) -> list[dict[str, Any]]:
        return [asdict(criterion) for criterion in self.criteria]


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day`` (a birthday counts from its start)."""
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def status_on(person: Person, day: dt.date) -> ResidenceStatusRecord | None:
    """The status record in force on ``day``, from the person's (prefetched) history."""
    records = sorted(
        (r for r in person.residence_statuses.all() if r.valid_from <= day),
        key=lambda r: (r.valid_from, r.pk or 0),
        reverse=True,
    )
    return records[0] if records else None


def _age_criterion(programme: Programme, person: Person, day: dt.date) -> Criterion:
    low, high = programme.min_age, programme.max_age
    if low is None and high is None:
        # de: Das Programm setzt keine Altersgrenze.
        return Criterion("age", True, _("The programme sets no age limit."))
    if person.date_of_birth is None:
        # de: Das Geburtsdatum ist nicht erfasst.
        return Criterion("age", None, _("The date of birth is not recorded."))
    age = age_on(person.date_of_birth, day)
    met = (low is None or age >= low) and (high is None or age <= high)
    # de: Alter am Aufnahmedatum: %(age)s Jahre (erlaubt: %(low)s–%(high)s, jeweils einschließlich).
    reason = _("Age on the intake date: %(age)s (allowed: %(low)s–%(high)s, inclusive).") % {
        "age": age,
        "low": low if low is not None else "–",
        "high": high if high is not None else "–",
    }
    return Criterion("age", met, reason)


def _status_criterion(
    programme: Programme, person: Person, day: dt.date, eligible_ids: set[int]
) -> Criterion:
    record = status_on(person, day)
    if not eligible_ids:
        # de: Das Programm setzt keinen bestimmten Aufenthaltsstatus voraus.
        return Criterion(
            "status", True, _("The programme requires no particular residence status.")
        )
    if record is None:
        # de: Für das Aufnahmedatum ist kein Aufenthaltsstatus erfasst.
        return Criterion("status", None, _("No residence status is recorded for the intake date."))
    if record.valid_until is not None and record.valid_until < day:
        # de: Der Aufenthaltsstatus %(status)s war am Aufnahmedatum abgelaufen.
        return Criterion(
            "status",
            False,
            _("The residence status %(status)s had expired on the intake date.")
            % {"status": record.status.name},
        )
    if record.status_id in eligible_ids:
        # de: Aufenthaltsstatus %(status)s gehört zu den Voraussetzungen des Programms.
        return Criterion(
            "status",
            True,
            _("Residence status %(status)s is one the programme accepts.")
            % {"status": record.status.name},
        )
    # de: Aufenthaltsstatus %(status)s gehört nicht zu den Voraussetzungen des Programms.
    return Criterion(
        "status",
        False,
        _("Residence status %(status)s is not one the programme accepts.")
        % {"status": record.status.name},
    )


def _coverage_criterion(
    programme: Programme, person: Person, provider: ProgrammeProvider | None
) -> Criterion:
    if person.municipality is None:
        # de: Der Wohnort ist nicht erfasst.
        return Criterion("municipality", None, _("The municipality of residence is not recorded."))
    if provider is None:
        # de: %(municipality)s nimmt nicht am Programm teil.
        reason = _("%(municipality)s is not covered by the programme.") % {
            "municipality": person.municipality.name
        }
        if programme.coverage_note:
            reason = f"{reason} {programme.coverage_note}"
        return Criterion("municipality", False, reason)
    # de: %(municipality)s wird von %(provider)s betreut.
    return Criterion(
        "municipality",
        True,
        _("%(municipality)s is served by %(provider)s.")
        % {"municipality": person.municipality.name, "provider": provider.organisation},
    )


def check_eligibility(
    *, person: Person, programme: Programme, intake_date: dt.date
) -> EligibilityResult:
    """Evaluate every criterion (never stop at the first failure: the user sees all reasons).

    ``person`` should come from ``people.selectors.get_person_for_user`` (status history
    prefetched); the check costs two queries (eligible statuses, provider).
    """
    eligible_ids = set(programme.eligible_statuses.values_list("pk", flat=True))
    provider = None
    if person.municipality_id is not None:
        provider = (
            ProgrammeProvider.objects.filter(
                traeger_id=programme.traeger_id,
                programme=programme,
                municipality_id=person.municipality_id,
            )
            .select_related("organisation")
            .first()
        )
    criteria = [
        _age_criterion(programme, person, intake_date),
        _status_criterion(programme, person, intake_date, eligible_ids),
        _coverage_criterion(programme, person, provider),
    ]
    return EligibilityResult(
        programme=programme,
        intake_date=intake_date,
        criteria=criteria,
        provider=provider.organisation if provider else None,
    )


CRITERION_LABELS = {
    # de: Alter am Aufnahmedatum
    "age": gettext_noop("Age on the intake date"),
    # de: Aufenthaltsstatus
    "status": gettext_noop("Residence status"),
    # de: Wohnort im Programmgebiet
    "municipality": gettext_noop("Municipality covered"),
}


def criterion_label(key: str) -> str:
    return _(CRITERION_LABELS.get(key, key))
