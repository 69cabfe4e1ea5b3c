"""Signed checkpoints of the access log's hash chains, kept outside the database.

A checkpoint pins one chain: how many entries it had, the hash and id of its newest entry and
when. It is signed with the Ed25519 key of ``LOTSE_AUDIT_SIGNING_KEY_FILE`` (``signing.py``),
appended as one JSON line to ``LOTSE_AUDIT_CHECKPOINT_FILE``, written to the logger
``lotse.audit.checkpoint`` (syslog) and mailed to the data protection officers of the Träger.

``lotse verifyaudit`` compares the database with the newest checkpoint of every chain. Someone
with write access to the database but not to the key can then no longer

- recompute the chain after changing an old entry: the entry at the checkpoint's position has
  another hash ("recomputed"), or
- delete the newest entries and rewind the head: the chain is shorter than the checkpoint
  ("rewound").

A checkpoint is only signed for a chain that verifies and agrees with its previous checkpoint,
so a rewritten state is never signed after the fact.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import smtplib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.audit import chain as audit_chain
from lotse.audit.models import AuditChainHead, AuditEntry
from lotse.audit.signing import SigningKey, read_signing_key

logger = logging.getLogger("lotse.audit.checkpoint")

RECORD_FORMAT = "lotse-audit-checkpoint"


def signing_key_path() -> str:
    return str(getattr(settings, "LOTSE_AUDIT_SIGNING_KEY_FILE", "") or "")


def checkpoint_path() -> str:
    configured = getattr(settings, "LOTSE_AUDIT_CHECKPOINT_FILE", "") or ""
    return str(configured or Path(settings.DATA_DIR) / "audit-checkpoints.jsonl")


def signing_key() -> SigningKey:
    return read_signing_key(signing_key_path())


@dataclass(frozen=True)
class Checkpoint:
    chain: str
    count: int
    head_hash: str
    head_entry_id: int | None
    created_at: str
    key_id: str
    signature: str = ""

    def payload(self) -> bytes:
        """The signed bytes: every field but the signature, in a canonical JSON form."""
        content = asdict(self)
        content.pop("signature")
        content["format"] = RECORD_FORMAT
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def to_line(self) -> str:
        return json.dumps({"format": RECORD_FORMAT, **asdict(self)}, sort_keys=True)

    @property
    def traeger_id(self) -> int | None:
        prefix = "traeger-"
        return int(self.chain[len(prefix) :]) if self.chain.startswith(prefix) else None


@dataclass(frozen=True)
class CheckpointProblem:
    chain: str
    problem: str  # "signature", "unreadable", "rewound", "recomputed", "no_key"
    line: int | None = None
    checkpoint: Checkpoint | None = None


@dataclass
class CheckpointFile:
    path: str
    latest: dict[str, Checkpoint] = field(default_factory=dict)
    problems: list[CheckpointProblem] = field(default_factory=list)
    lines: int = 0


def _parse(raw: str) -> Checkpoint:
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        raise ValueError("not a checkpoint")
    head_entry_id = data["head_entry_id"]
    return Checkpoint(
        chain=str(data["chain"]),
        count=int(data["count"]),
        head_hash=str(data["head_hash"]),
        head_entry_id=int(head_entry_id) if head_entry_id is not None else None,
        created_at=str(data["created_at"]),
        key_id=str(data["key_id"]),
        signature=str(data["signature"]),
    )


def read_checkpoints(path: str, key: SigningKey | None) -> CheckpointFile:
    """Every line's signature is checked; the newest valid checkpoint per chain is kept.

    "Newest" is the one with the most entries: a chain only grows, so a later checkpoint with
    fewer entries than an earlier one is itself evidence of a rewound chain (reported by
    :func:`compare_with_database` against the larger one).
    """
    result = CheckpointFile(path=path)
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return result
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            result.lines += 1
            try:
                checkpoint = _parse(raw)
            except (ValueError, KeyError, TypeError):
                result.problems.append(CheckpointProblem("?", "unreadable", number))
                continue
            if key is None or checkpoint.key_id != key.key_id:
                result.problems.append(
                    CheckpointProblem(checkpoint.chain, "no_key", number, checkpoint)
                )
                continue
            if not key.verify(checkpoint.payload(), checkpoint.signature):
                result.problems.append(
                    CheckpointProblem(checkpoint.chain, "signature", number, checkpoint)
                )
                continue
            known = result.latest.get(checkpoint.chain)
            if known is None or checkpoint.count >= known.count:
                result.latest[checkpoint.chain] = checkpoint
    return result


def compare_with_database(checkpoints: Iterable[Checkpoint]) -> list[CheckpointProblem]:
    """Does every chain still contain, unchanged, what its checkpoint pinned?"""
    problems = []
    for checkpoint in checkpoints:
        if checkpoint.count == 0:
            continue
        entries = AuditEntry.objects.filter(chain=checkpoint.chain)
        head = AuditChainHead.objects.filter(chain=checkpoint.chain).first()
        pinned = entries.filter(sequence=checkpoint.count).first()
        if (
            pinned is None
            or head is None
            or head.sequence < checkpoint.count
            or entries.filter(sequence__lte=checkpoint.count).count() < checkpoint.count
        ):
            problems.append(CheckpointProblem(checkpoint.chain, "rewound", checkpoint=checkpoint))
        elif pinned.entry_hash != checkpoint.head_hash or pinned.pk != checkpoint.head_entry_id:
            problems.append(
                CheckpointProblem(checkpoint.chain, "recomputed", checkpoint=checkpoint)
            )
    return problems


def current_checkpoints(key: SigningKey, *, now: dt.datetime | None = None) -> list[Checkpoint]:
    """A signed checkpoint of every chain's present head (not yet written anywhere)."""
    created_at = (now or timezone.now()).isoformat(timespec="seconds")
    result = []
    for head in AuditChainHead.objects.filter(sequence__gt=0).order_by("chain"):
        entry = AuditEntry.objects.filter(chain=head.chain, sequence=head.sequence).first()
        unsigned = Checkpoint(
            chain=head.chain,
            count=head.sequence,
            head_hash=head.entry_hash,
            head_entry_id=entry.pk if entry is not None else None,
            created_at=created_at,
            key_id=key.key_id,
        )
        result.append(Checkpoint(**{**asdict(unsigned), "signature": key.sign(unsigned.payload())}))
    return result


def append_to_file(path: str, checkpoints: Iterable[Checkpoint]) -> None:
    """Append one line per checkpoint; the file is created readable by its owner only."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        for checkpoint in checkpoints:
            handle.write(checkpoint.to_line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def data_protection_officers(traeger_id: int) -> list[Any]:
    from lotse.accounts.models import Role, User

    return list(
        User.objects.filter(
            traeger_id=traeger_id,
            is_active=True,
            role_assignments__role=Role.DATA_PROTECTION,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def mail_to_officers(checkpoint: Checkpoint, key: SigningKey) -> int:
    """Send the checkpoint to the Träger's data protection officers; returns the mails sent."""
    if checkpoint.traeger_id is None:
        return 0
    officers = data_protection_officers(checkpoint.traeger_id)
    if not officers:
        return 0
    with translation.override("de"):
        subject = _("Lotse: checkpoint of the access log (%(count)s entries)") % {
            "count": checkpoint.count
        }
        body = _(
            "This is the daily signed checkpoint of your access log. Keep this mail: it lets "
            "you prove later that no entry up to this point was changed or deleted.\n\n"
            "Chain: %(chain)s\nEntries: %(count)s\nHash of the newest entry: %(hash)s\n"
            "Id of the newest entry: %(id)s\nTime: %(time)s\n"
            "Signing key: %(key_id)s (public key %(public_key)s)\n\n"
            "The checkpoint as one line (for “lotse verifyaudit --checkpoint-file”):\n"
            "%(line)s\n"
        ) % {
            "chain": checkpoint.chain,
            "count": checkpoint.count,
            "hash": checkpoint.head_hash,
            "id": checkpoint.head_entry_id,
            "time": checkpoint.created_at,
            "key_id": checkpoint.key_id,
            "public_key": key.public_b64,
            "line": checkpoint.to_line(),
        }
    return send_mail(subject, body, None, [officer.email for officer in officers])


@dataclass
class CheckpointRun:
    written: list[Checkpoint] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # chains that did not verify
    breaks: list[audit_chain.ChainBreak] = field(default_factory=list)
    problems: list[CheckpointProblem] = field(default_factory=list)
    mails: int = 0


def write_checkpoints(*, now: dt.datetime | None = None) -> CheckpointRun:
    """Verify, then sign, append, log and mail a checkpoint of every intact chain.

    A chain that is broken, or disagrees with its previous checkpoint, gets no new checkpoint:
    signing it would certify the tampering. The run reports it instead (the command exits
    non-zero; the logger records an error).
    """
    key = signing_key()
    path = checkpoint_path()
    run = CheckpointRun()
    audit_chain.link_pending()  # the checkpoint pins every entry written so far
    run.breaks = list(audit_chain.verify())
    existing = read_checkpoints(path, key)
    run.problems = existing.problems + compare_with_database(existing.latest.values())
    broken = {found.chain for found in run.breaks} | {p.chain for p in run.problems}
    for checkpoint in current_checkpoints(key, now=now):
        if checkpoint.chain in broken:
            run.refused.append(checkpoint.chain)
            logger.error(
                "checkpoint refused: chain %s does not verify (lotse verifyaudit)",
                checkpoint.chain,
            )
            continue
        run.written.append(checkpoint)
    append_to_file(path, run.written)
    for checkpoint in run.written:
        logger.info("%s", checkpoint.to_line())
        try:
            run.mails += mail_to_officers(checkpoint, key)
        except (smtplib.SMTPException, OSError):  # the file and the log have it already
            logger.exception("checkpoint of chain %s not mailed", checkpoint.chain)
    return run
