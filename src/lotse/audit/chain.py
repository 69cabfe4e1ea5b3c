"""The tamper-evident hash chain of the access log.

Every entry stores the hash of its predecessor in the same chain and a SHA-256 over its own
content plus that hash. Changing, inserting or removing an entry breaks the chain from there
on; ``lotse verifyaudit`` finds the first broken link. Entries are never updated or deleted (on
PostgreSQL and SQLite a trigger refuses UPDATE and DELETE).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from lotse.audit.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HASHED_FIELDS = (
    "chain",
    "sequence",
    "traeger_id",
    "user_id",
    "username",
    "organisation",
    "roles",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "categories",
    "channel",
    "request_id",
    "detail",
)


def chain_for(traeger_id: int | None) -> str:
    return f"traeger-{traeger_id}" if traeger_id else "system"


def entry_digest(entry: AuditEntry, previous_hash: str) -> str:
    content = {name: getattr(entry, name) for name in HASHED_FIELDS}
    content["occurred_at"] = entry.occurred_at.isoformat(timespec="microseconds")
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def _head(chain: str) -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(chain=chain)
    except AuditChainHead.DoesNotExist:
        AuditChainHead.objects.get_or_create(chain=chain)
        return AuditChainHead.objects.select_for_update().get(chain=chain)


@transaction.atomic
def append(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Link and insert ``entries`` (in order) at the end of their chains."""
    by_chain: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        entry.chain = chain_for(entry.traeger_id)
        by_chain.setdefault(entry.chain, []).append(entry)
    for chain in sorted(by_chain):
        head = _head(chain)
        for entry in by_chain[chain]:
            head.sequence += 1
            entry.sequence = head.sequence
            entry.previous_hash = head.entry_hash
            entry.entry_hash = entry_digest(entry, head.entry_hash)
            head.entry_hash = entry.entry_hash
        AuditEntry.objects.bulk_create(by_chain[chain], batch_size=1000)
        AuditChainHead.objects.filter(pk=head.pk).update(
            sequence=head.sequence, entry_hash=head.entry_hash
        )
    return entries


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    sequence: int
    entry_id: int | None
    problem: str


def verify(chunk_size: int = 5000) -> Iterator[ChainBreak]:
    """Yield the first break of every chain (altered, inserted or removed entries)."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chains = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        expected_sequence = 1
        previous_hash = GENESIS
        broken = None
        rows = AuditEntry.objects.filter(chain=chain).order_by("sequence").iterator(chunk_size)
        for entry in rows:
            if entry.sequence != expected_sequence:
                problem = "removed" if entry.sequence > expected_sequence else "inserted"
                broken = ChainBreak(chain, expected_sequence, entry.pk, problem)
                break
            if entry.previous_hash != previous_hash:
                broken = ChainBreak(chain, entry.sequence, entry.pk, "inserted")
                break
            if entry_digest(entry, previous_hash) != entry.entry_hash:
                broken = ChainBreak(chain, entry.sequence, entry.pk, "altered")
                break
            previous_hash = entry.entry_hash
            expected_sequence += 1
        if broken is not None:
            yield broken
            continue
        last = expected_sequence - 1
        head = heads.get(chain)
        head_sequence = head.sequence if head is not None else 0
        if last > head_sequence:  # entries appended behind the head's back
            yield ChainBreak(chain, head_sequence + 1, None, "inserted")
        elif last < head_sequence:  # the newest entries are gone
            yield ChainBreak(chain, last + 1, None, "removed")
        elif head is not None and head.entry_hash != previous_hash:
            yield ChainBreak(chain, last, None, "altered")
