"""The tamper-evident hash chain of the access log.

Every entry stores the hash of its predecessor in the same chain and a SHA-256 over its own
content plus that hash. Changing, inserting or removing an entry breaks the chain from there
on; ``lotse verifyaudit`` finds the first broken link. Entries are never updated or deleted (on
PostgreSQL and SQLite a trigger refuses UPDATE and DELETE).

Writing and linking are two steps (issue 14). A request inserts its entries *unlinked*
(``sequence`` NULL) in its own transaction, without touching the chain head, so page views of
one Träger never queue behind each other's lock. :func:`link_pending` then appends the
committed unlinked entries to their chains under the head's lock: every 30 seconds from
``lotse scheduler``, and before ``lotse verifyaudit`` and the daily checkpoint. The only UPDATE
the database triggers allow is this one step, unlinked → linked, with every other column
unchanged; the chain's order is the order of linking.
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


def append(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Insert ``entries`` unlinked, in the caller's transaction (one INSERT, no lock)."""
    for entry in entries:
        entry.chain = chain_for(entry.traeger_id)
        entry.sequence = None
        entry.previous_hash = ""
        entry.entry_hash = ""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return entries


#: Entries linked per transaction, so that one link step holds the head's lock only briefly.
LINK_BATCH = 5000


def link_pending(*, batch: int = LINK_BATCH) -> int:
    """Append every committed unlinked entry to the end of its chain; the number linked.

    One transaction per chain and batch, under the chain head's lock: concurrent link steps
    take turns, writers never wait. Read through the partial index of unlinked entries.
    """
    linked = 0
    chains = sorted(
        set(
            AuditEntry.objects.filter(sequence__isnull=True)
            .order_by()
            .values_list("chain", flat=True)
            .distinct()
        )
    )
    for chain in chains:
        while True:
            count = _link_batch(chain, batch)
            linked += count
            if count < batch:
                break
    return linked


@transaction.atomic
def _link_batch(chain: str, batch: int) -> int:
    head = _head(chain)
    pending = list(
        AuditEntry.objects.filter(chain=chain, sequence__isnull=True).order_by("id")[:batch]
    )
    for entry in pending:
        head.sequence += 1
        entry.sequence = head.sequence
        entry.previous_hash = head.entry_hash
        entry.entry_hash = entry_digest(entry, head.entry_hash)
        head.entry_hash = entry.entry_hash
    AuditEntry.objects.bulk_update(
        pending, ["sequence", "previous_hash", "entry_hash"], batch_size=500
    )
    AuditChainHead.objects.filter(pk=head.pk).update(
        sequence=head.sequence, entry_hash=head.entry_hash
    )
    return len(pending)


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    sequence: int
    entry_id: int | None
    problem: str


def verify(chunk_size: int = 5000) -> Iterator[ChainBreak]:
    """Yield the first break of every chain (altered, inserted or removed entries).

    Entries not yet linked (:func:`link_pending`) are not part of a chain yet and not checked.
    """
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chains = set(heads) | set(
        AuditEntry.objects.order_by().values_list("chain", flat=True).distinct()
    )
    for chain in sorted(chains):
        expected_sequence = 1
        previous_hash = GENESIS
        broken = None
        rows = (
            AuditEntry.objects.filter(chain=chain, sequence__isnull=False)
            .order_by("sequence")
            .iterator(chunk_size)
        )
        for entry in rows:
            sequence = int(entry.sequence or 0)  # never NULL here: linked entries only
            if sequence != expected_sequence:
                problem = "removed" if sequence > expected_sequence else "inserted"
                broken = ChainBreak(chain, expected_sequence, entry.pk, problem)
                break
            if entry.previous_hash != previous_hash:
                broken = ChainBreak(chain, sequence, entry.pk, "inserted")
                break
            if entry_digest(entry, previous_hash) != entry.entry_hash:
                broken = ChainBreak(chain, sequence, entry.pk, "altered")
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
