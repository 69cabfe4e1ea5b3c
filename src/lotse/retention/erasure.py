"""The erasure executor: a person (or one case) and everything below, files after commit.

Decisions (§ 84 SGB X, Art. 17 GDPR):
- Everything that hangs off the person goes with them: cases and all their children, name
  variants, residence statuses, deadlines, eligibility checks, consents (with their scans) and
  the transfer journal. Consents and transfers are proof that earlier processing was lawful;
  once the person's data is gone they prove nothing about anyone, and keeping them would keep
  the person identifiable. Where proof is still needed (a dispute, an audit), a legal hold is
  set and nothing is erased.
- The access log is never touched: its entries hold the former person id and no values, and
  the hash chain must stay intact (``lotse verifyaudit``).
- A household left without members is deleted too (its label may name the family).
- Files are removed from storage only after the transaction commits, so a rollback never loses
  a file; a file that cannot be removed is logged, never retried into a half state.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.models import AuditEntry
from lotse.audit.services import audit_append_prepared, audit_log
from lotse.cases.models import Case
from lotse.people.models import Household, Person
from lotse.retention import graph
from lotse.retention.models import Basis, ErasureRequest, LegalHold, RetentionRule, Tombstone

logger = logging.getLogger(__name__)

SYSTEM_USER = "system (Aufbewahrung)"


@dataclass
class ErasureResult:
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    tombstone: Tombstone | None = None

    def add(self, other: ErasureResult) -> None:
        for label, count in other.counts.items():
            self.counts[label] = self.counts.get(label, 0) + count
        self.files += other.files


def active_holds(traeger_id: int, *, today: dt.date | None = None) -> Any:
    today = today or timezone.localdate()
    return (
        LegalHold.objects.filter(traeger_id=traeger_id, lifted_at__isnull=True)
        .exclude(until__lt=today)
        .order_by()
    )


def person_is_held(person: Person, *, today: dt.date | None = None) -> bool:
    holds = active_holds(person.traeger_id, today=today)
    case_ids = Case.objects.filter(traeger_id=person.traeger_id, person=person).values("pk")
    return holds.filter(person=person).exists() or holds.filter(case_id__in=case_ids).exists()


def case_is_held(case: Case, *, today: dt.date | None = None) -> bool:
    holds = active_holds(case.traeger_id, today=today)
    return holds.filter(case=case).exists() or holds.filter(person_id=case.person_id).exists()


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - storage trouble is logged, the rows are gone
            logger.exception("erasure: could not delete a stored file")


def _audit(
    *, actor: Any, traeger_id: int, object_type: str, object_id: Any, person_id: int, detail: str
) -> None:
    """An access-log entry for the erasure; a scheduled run writes it as the system."""
    if getattr(actor, "is_authenticated", False):
        audit_log(
            user=actor,
            action=AuditEntry.Action.DELETE,
            object_type=object_type,
            object_id=object_id,
            person_id=person_id,
            detail=detail,
            channel="web",
        )
        return
    audit_append_prepared(
        [
            AuditEntry(
                traeger_id=traeger_id,
                username=SYSTEM_USER,
                action=AuditEntry.Action.DELETE,
                object_type=object_type,
                object_id=str(object_id),
                person_id=person_id,
                channel="job",
                detail=detail[:300],
            )
        ]
    )


def _erase(collected: graph.Collected) -> ErasureResult:
    result = ErasureResult(counts=graph.counts(collected))
    files = graph.file_names(collected)
    graph.delete_collected(collected)
    result.files = len(files)
    transaction.on_commit(lambda: _remove_files(files))
    return result


def erase_person(
    *,
    person: Person,
    basis: str,
    actor: Any = None,
    request: ErasureRequest | None = None,
    rule: RetentionRule | None = None,
    today: dt.date | None = None,
) -> ErasureResult:
    """Erase ``person`` and everything that belongs to them; leave a tombstone.

    Refuses (``ValidationError``) while a legal hold applies to the person or one of their cases.
    Call inside a transaction (the services and the retention job do).
    """
    if person_is_held(person, today=today):
        raise ValidationError(
            # de: Für diese Person oder einen ihrer Fälle gilt eine Löschsperre. Sie muss zuerst aufgehoben werden.
            _("A legal hold applies to this person or one of their cases. Lift it first.")
        )
    traeger_id = int(person.traeger_id)
    person_id = int(person.pk)
    household_id = person.household_id
    result = _erase(graph.collect(Person, [person_id]))
    if household_id is not None and not Person.objects.filter(household_id=household_id).exists():
        result.add(_erase(graph.collect(Household, [household_id])))
    tombstone = Tombstone.objects.create(
        traeger_id=traeger_id,
        former_person_id=person_id,
        erased_at=timezone.now(),
        basis=basis,
        rule=rule,
        request=request,
        counts=result.counts,
        files_deleted=result.files,
        executed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    result.tombstone = tombstone
    label = Basis(basis).label
    _audit(
        actor=actor,
        traeger_id=traeger_id,
        object_type="person",
        object_id=person_id,
        person_id=person_id,
        detail=f"Löschung ({label}): {tombstone.pseudonym}",
    )
    return result


def erase_case(*, case: Case, actor: Any = None, today: dt.date | None = None) -> ErasureResult:
    """Erase one (closed) case and everything below it; the person stays."""
    if case_is_held(case, today=today):
        raise ValidationError(
            # de: Für diesen Fall gilt eine Löschsperre.
            _("A legal hold applies to this case.")
        )
    traeger_id, case_id, person_id = int(case.traeger_id), int(case.pk), int(case.person_id)
    result = _erase(graph.collect(Case, [case_id]))
    _audit(
        actor=actor,
        traeger_id=traeger_id,
        object_type="case",
        object_id=case_id,
        person_id=person_id,
        detail="Löschung (Aufbewahrungsfrist abgelaufen)",
    )
    return result


def erase_rows(*, model: Any, pks: list[Any]) -> ErasureResult:
    """Erase rows without a person of their own (e.g. import jobs) and what hangs off them."""
    if not pks:
        return ErasureResult()
    return _erase(graph.collect(model, pks))
