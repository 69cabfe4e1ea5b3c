"""The retention job: apply each Träger's retention rules on a given day.

Rules per record type (periods per Träger, see ``models.DEFAULT_PERIODS``):
- person: a person without an open case is erased (tombstone) when the period has passed since
  their last case was closed, or since they were recorded if they never had a case;
- closed case: a closed case is erased with everything below it when the period has passed
  since ``closed_on`` — but only while the person keeps another case; a person's last case
  goes with the person under the person rule, so the date it was closed is never lost;
- ended consent: a consent whose current version was withdrawn or expired before the period
  goes with all its versions and scans, unless a transfer was made on it (proof: it stays until
  the person goes);
- import job: the job row and its file, once it is no longer running.

Legal holds always win. A restricted person (Art. 18 GDPR) is kept too: restriction means the
data is stored and nothing else happens to it, often because the person asked to keep it
(Art. 18 (1) b, c). Both are counted as ``skipped_hold``.

Idempotent: what was erased is gone, so a second run on the same day finds nothing and logs 0.
A dry run reads only and writes nothing (no log, no access-log entry).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from lotse.cases.models import Case, Phase
from lotse.consent.models import Consent, Transfer
from lotse.people.models import Person
from lotse.retention import erasure
from lotse.retention.models import (
    DEFAULT_PERIODS,
    Basis,
    DeletionLog,
    RecordType,
    Restriction,
    RetentionRule,
)
from lotse.spreadsheets.models import ImportJob
from lotse.tenancy.models import Traeger


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + (day.month - 1) - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass
class EffectiveRule:
    record_type: str
    period_months: int
    active: bool
    rule: RetentionRule | None


def effective_rules(traeger_id: int) -> list[EffectiveRule]:
    """The Träger's saved rules, the defaults for record types it has not saved."""
    saved = {r.record_type: r for r in RetentionRule.objects.filter(traeger_id=traeger_id)}
    rules = []
    for record_type in RecordType:
        rule = saved.get(record_type)
        if rule is None:
            rules.append(EffectiveRule(record_type, DEFAULT_PERIODS[record_type], True, None))
        else:
            rules.append(EffectiveRule(record_type, rule.period_months, rule.active, rule))
    return rules


@dataclass
class Candidate:
    record_type: str
    object_id: int
    reference: dt.date | None = None


@dataclass
class TypeReport:
    record_type: str
    period_months: int
    cutoff: dt.date
    candidates: list[Candidate] = field(default_factory=list)
    skipped: int = 0
    deleted: int = 0
    details: dict[str, int] = field(default_factory=dict)
    files: int = 0


@dataclass
class RunReport:
    run_id: str
    today: dt.date
    dry_run: bool
    per_traeger: dict[str, list[TypeReport]] = field(default_factory=dict)

    @property
    def deleted(self) -> int:
        return sum(t.deleted for reports in self.per_traeger.values() for t in reports)


def _restricted(traeger_id: int) -> Any:
    return Restriction.objects.filter(traeger_id=traeger_id, lifted_at__isnull=True).values(
        "person_id"
    )


def _held_persons(traeger_id: int, today: dt.date) -> set[int]:
    """Persons that must stay: a hold on them or one of their cases, or a restriction."""
    holds = erasure.active_holds(traeger_id, today=today)
    held = set(holds.filter(person__isnull=False).values_list("person_id", flat=True))
    held |= set(
        Case.objects.filter(pk__in=holds.filter(case__isnull=False).values("case_id")).values_list(
            "person_id", flat=True
        )
    )
    held |= set(_restricted(traeger_id).values_list("person_id", flat=True))
    return held


def _person_candidates(traeger_id: int, cutoff: dt.date) -> list[Candidate]:
    open_cases = Case.objects.filter(person_id=OuterRef("pk")).exclude(phase=Phase.CLOSED)
    undated = Case.objects.filter(person_id=OuterRef("pk"), closed_on__isnull=True)
    persons = (
        Person.objects.filter(traeger_id=traeger_id)
        .exclude(Exists(open_cases))
        .exclude(Exists(undated))
        .annotate(last_closed=Max("cases__closed_on"), n_cases=Count("cases"))
        .filter(
            Q(n_cases__gt=0, last_closed__lte=cutoff) | Q(n_cases=0, created_at__date__lte=cutoff)
        )
        .order_by("pk")
    )
    return [
        Candidate(RecordType.PERSON, p.pk, p.last_closed or timezone.localdate(p.created_at))
        for p in persons
    ]


def _case_candidates(traeger_id: int, cutoff: dt.date) -> list[tuple[Candidate, int]]:
    """Closed cases past the period whose person keeps another case (see the module doc)."""
    expired = list(
        Case.objects.filter(traeger_id=traeger_id, phase=Phase.CLOSED, closed_on__lte=cutoff)
        .order_by("pk")
        .values_list("pk", "person_id", "closed_on")
    )
    person_ids = {person_id for _, person_id, _ in expired}
    totals = dict(
        Case.objects.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    expired_per_person: dict[int, int] = {}
    for _, person_id, _ in expired:
        expired_per_person[person_id] = expired_per_person.get(person_id, 0) + 1
    return [
        (Candidate(RecordType.CLOSED_CASE, pk, closed_on), person_id)
        for pk, person_id, closed_on in expired
        if totals.get(person_id, 0) > expired_per_person[person_id]
    ]


def _consent_candidates(traeger_id: int, cutoff: dt.date) -> list[tuple[Candidate, int, list[int]]]:
    """Current versions ended before ``cutoff``, with every version of their chain."""
    consents = list(
        Consent.objects.filter(traeger_id=traeger_id).values(
            "pk", "person_id", "supersedes_id", "withdrawn_at", "valid_until"
        )
    )
    by_pk = {c["pk"]: c for c in consents}
    superseded = {c["supersedes_id"] for c in consents if c["supersedes_id"]}
    with_transfers = set(
        Transfer.objects.filter(traeger_id=traeger_id, consent__isnull=False).values_list(
            "consent_id", flat=True
        )
    )
    found = []
    for head in consents:
        if head["pk"] in superseded:
            continue
        ended: dt.date | None = None
        if head["withdrawn_at"] is not None:
            ended = timezone.localdate(head["withdrawn_at"])
        elif head["valid_until"] is not None:
            ended = head["valid_until"]
        if ended is None or ended > cutoff:
            continue
        chain = [head["pk"]]
        while by_pk[chain[-1]]["supersedes_id"]:
            chain.append(by_pk[chain[-1]]["supersedes_id"])
        if with_transfers.intersection(chain):
            continue
        found.append(
            (Candidate(RecordType.ENDED_CONSENT, head["pk"], ended), head["person_id"], chain)
        )
    return found


def _import_candidates(traeger_id: int, cutoff: dt.date) -> list[Candidate]:
    jobs = (
        ImportJob.objects.filter(traeger_id=traeger_id, created_at__date__lte=cutoff)
        .exclude(
            status__in=[
                ImportJob.Status.CHECKING,
                ImportJob.Status.QUEUED,
                ImportJob.Status.RUNNING,
            ]
        )
        .order_by("pk")
    )
    return [
        Candidate(RecordType.IMPORT_JOB, job.pk, timezone.localdate(job.created_at)) for job in jobs
    ]


def _apply_type(
    traeger_id: int, rule: EffectiveRule, today: dt.date, *, dry_run: bool
) -> TypeReport:
    cutoff = months_before(today, rule.period_months)
    report = TypeReport(rule.record_type, rule.period_months, cutoff)
    held = _held_persons(traeger_id, today)

    def _keep(candidate: Candidate, person_id: int | None) -> bool:
        if person_id is not None and person_id in held:
            report.skipped += 1
            return False
        report.candidates.append(candidate)
        return True

    def _record(result: erasure.ErasureResult) -> None:
        report.deleted += 1
        report.files += result.files
        for label, count in result.counts.items():
            report.details[label] = report.details.get(label, 0) + count

    if rule.record_type == RecordType.PERSON:
        for candidate in _person_candidates(traeger_id, cutoff):
            if _keep(candidate, candidate.object_id) and not dry_run:
                person = Person.objects.get(pk=candidate.object_id)
                _record(
                    erasure.erase_person(
                        person=person, basis=Basis.RETENTION, rule=rule.rule, today=today
                    )
                )
    elif rule.record_type == RecordType.CLOSED_CASE:
        for candidate, person_id in _case_candidates(traeger_id, cutoff):
            if _keep(candidate, person_id) and not dry_run:
                case = Case.objects.get(pk=candidate.object_id)
                _record(erasure.erase_case(case=case, today=today))
    elif rule.record_type == RecordType.ENDED_CONSENT:
        for candidate, person_id, chain in _consent_candidates(traeger_id, cutoff):
            if _keep(candidate, person_id) and not dry_run:
                _record(erasure.erase_rows(model=Consent, pks=chain))
    elif rule.record_type == RecordType.IMPORT_JOB:
        for candidate in _import_candidates(traeger_id, cutoff):
            if _keep(candidate, None) and not dry_run:
                _record(erasure.erase_rows(model=ImportJob, pks=[candidate.object_id]))
    return report


# Persons first: their closed cases go with them, so the case rule never erases a person's
# last case (see the module doc).
ORDER = [RecordType.PERSON, RecordType.CLOSED_CASE, RecordType.ENDED_CONSENT, RecordType.IMPORT_JOB]


def apply_retention(
    *, today: dt.date, dry_run: bool = False, traeger: Traeger | None = None
) -> RunReport:
    """Apply the rules of every Träger (or one) as of ``today``; one transaction per Träger."""
    report = RunReport(run_id=uuid.uuid4().hex, today=today, dry_run=dry_run)
    traegers = [traeger] if traeger is not None else list(Traeger.objects.order_by("pk"))
    for current in traegers:
        rules = {r.record_type: r for r in effective_rules(current.pk)}
        with transaction.atomic():
            reports = [
                _apply_type(current.pk, rules[record_type], today, dry_run=dry_run)
                for record_type in ORDER
                if rules[record_type].active
            ]
            if not dry_run:
                now = timezone.now()
                DeletionLog.objects.bulk_create(
                    DeletionLog(
                        traeger=current,
                        run_id=report.run_id,
                        ran_at=now,
                        run_date=today,
                        trigger=DeletionLog.Trigger.JOB,
                        record_type=r.record_type,
                        deleted=r.deleted,
                        skipped_hold=r.skipped,
                        details=r.details,
                        files_deleted=r.files,
                    )
                    for r in reports
                )
        report.per_traeger[str(current.slug)] = reports
    return report
