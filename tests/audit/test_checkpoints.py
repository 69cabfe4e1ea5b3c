"""Signed checkpoints outside the database: an attacker with database write access is caught.

The attacker is played with raw SQL after dropping the append-only triggers (like
test_chain.py); everything is rolled back after each test.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lotse.accounts.models import Role
from lotse.audit import chain
from lotse.audit.models import AuditChainHead, AuditEntry
from lotse.audit.services import audit_log
from lotse.audit.signing import create_signing_key_file, read_signing_key
from tests.audit.test_chain import _disable_append_only
from tests.factories import UserFactory


@pytest.fixture
def entries(case_manager):
    written = [
        audit_log(user=case_manager, action="view", object_type="case", object_id=n, person_id=n)
        for n in range(1, 7)
    ]
    chain.link_pending()
    return [AuditEntry.objects.get(pk=entry.pk) for entry in written]


@pytest.fixture
def checkpointed(entries, capsys):
    call_command("auditcheckpoint")
    capsys.readouterr()
    return entries


def _lines() -> list[dict]:
    text = Path(settings.LOTSE_AUDIT_CHECKPOINT_FILE).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _recompute_chain_in_sql(chain_name: str) -> None:
    """What someone with database access but without the signing key can do."""
    previous = chain.GENESIS
    rows = list(AuditEntry.objects.filter(chain=chain_name).order_by("sequence"))
    with connection.cursor() as cursor:
        for entry in rows:
            digest = chain.entry_digest(entry, previous)
            cursor.execute(
                "UPDATE audit_auditentry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
                [previous, digest, entry.pk],
            )
            previous = digest
        cursor.execute(
            "UPDATE audit_auditchainhead SET entry_hash = %s, sequence = %s WHERE chain = %s",
            [previous, len(rows), chain_name],
        )


@pytest.mark.django_db
def test_checkpoint_is_signed_written_logged_and_mailed(entries, case_manager, caplog):
    officer = UserFactory(
        traeger=case_manager.traeger, roles=[Role.DATA_PROTECTION], email="dsb@kreis.example"
    )
    UserFactory(traeger=case_manager.traeger, roles=[Role.CASE_MANAGEMENT], email="cm@x.example")
    caplog.set_level("INFO", logger="lotse.audit.checkpoint")

    call_command("auditcheckpoint")

    (line,) = _lines()
    head = AuditChainHead.objects.get(chain=entries[0].chain)
    assert (line["chain"], line["count"], line["head_hash"], line["head_entry_id"]) == (
        head.chain,
        6,
        entries[-1].entry_hash,
        entries[-1].pk,
    )
    key = read_signing_key(settings.LOTSE_AUDIT_SIGNING_KEY_FILE)
    assert line["key_id"] == key.key_id
    assert stat.S_IMODE(os.stat(settings.LOTSE_AUDIT_CHECKPOINT_FILE).st_mode) == 0o600
    assert entries[-1].entry_hash in caplog.text
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert entries[-1].entry_hash in message.body
    assert "Prüfpunkt" in message.subject


@pytest.mark.django_db
def test_intact_log_verifies_against_its_checkpoint(checkpointed, case_manager, capsys):
    audit_log(user=case_manager, action="view", object_type="case", object_id=99)
    call_command("verifyaudit")
    out = capsys.readouterr().out
    assert "1 signierte" in out and "7 Einträge" in out


@pytest.mark.django_db
def test_recomputed_chain_fails_only_because_of_the_checkpoint(checkpointed, capsys):
    _disable_append_only()
    changed = checkpointed[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET username = %s WHERE id = %s", ["jemand", changed.pk]
        )
    _recompute_chain_in_sql(changed.chain)

    assert list(chain.verify()) == []  # the chain alone no longer shows anything
    with pytest.raises(CommandError, match="nicht unversehrt"):
        call_command("verifyaudit")
    err = capsys.readouterr().err
    assert "neu berechnet" in err and changed.chain in err


@pytest.mark.django_db
def test_rewound_head_fails(checkpointed, capsys):
    _disable_append_only()
    newest = checkpointed[-2:]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [e.pk for e in newest])
        cursor.execute(
            "UPDATE audit_auditchainhead SET entry_hash = %s, sequence = %s WHERE chain = %s",
            [checkpointed[3].entry_hash, 4, checkpointed[0].chain],
        )

    assert list(chain.verify()) == []
    with pytest.raises(CommandError):
        call_command("verifyaudit")
    assert "weniger Einträge" in capsys.readouterr().err


@pytest.mark.django_db
def test_tampered_checkpoint_file_fails(checkpointed, capsys):
    path = Path(settings.LOTSE_AUDIT_CHECKPOINT_FILE)
    (line,) = _lines()
    line["count"] = 3  # make a later rewind to 3 entries look legitimate
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("verifyaudit")
    assert "Signatur ist ungültig" in capsys.readouterr().err


@pytest.mark.django_db
def test_checkpoint_signed_with_another_key_fails(checkpointed, tmp_path, settings, capsys):
    settings.LOTSE_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "other-key.json")
    create_signing_key_file(settings.LOTSE_AUDIT_SIGNING_KEY_FILE)
    with pytest.raises(CommandError):
        call_command("verifyaudit")
    assert "nicht verfügbar" in capsys.readouterr().err


@pytest.mark.django_db
def test_no_checkpoint_is_signed_for_a_tampered_chain(checkpointed, capsys):
    _disable_append_only()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET username = %s WHERE id = %s",
            ["jemand", checkpointed[0].pk],
        )
    _recompute_chain_in_sql(checkpointed[0].chain)

    with pytest.raises(CommandError, match="Kein Prüfpunkt"):
        call_command("auditcheckpoint")
    assert len(_lines()) == 1  # the recomputed state was not certified


@pytest.mark.django_db
def test_daily_scheduler_writes_the_checkpoint(entries, django_capture_on_commit_callbacks):
    from lotse.deadlines.scheduler import enqueue_daily

    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_daily(ignore_time=True)
    (line,) = _lines()
    assert line["count"] == len(entries)


def test_init_creates_an_owner_only_key_and_never_overwrites(tmp_path, settings, capsys):
    settings.LOTSE_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "keys" / "audit.json")
    call_command("auditcheckpoint", "init")
    path = Path(settings.LOTSE_AUDIT_SIGNING_KEY_FILE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_text()
    with pytest.raises(CommandError, match="existiert bereits"):
        call_command("auditcheckpoint", "init")
    call_command("auditcheckpoint", "init", "--if-missing")
    assert path.read_text() == before
    call_command("auditcheckpoint", "publickey")
    assert read_signing_key(path).public_b64 in capsys.readouterr().out


def test_broken_key_file_is_a_german_error(tmp_path, settings):
    settings.LOTSE_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "audit.json")
    Path(settings.LOTSE_AUDIT_SIGNING_KEY_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="ungültig"):
        call_command("auditcheckpoint", "init", "--if-missing")
    with pytest.raises(CommandError, match="ungültig"):
        call_command("auditcheckpoint")


def test_production_refuses_to_start_without_the_signing_key(tmp_path):
    from lotse.core import fieldcrypto
    from tests.core.test_fieldcrypto import _production

    keys = tmp_path / "field-keys.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(keys))

    missing = _production(tmp_path, LOTSE_FIELD_KEYS_FILE=str(keys))
    assert missing.returncode != 0
    assert "LOTSE_AUDIT_SIGNING_KEY_FILE" in missing.stderr and "fehlt" in missing.stderr

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "lotse-audit-signing-key", "private_key": "eA=="}', "utf-8")
    invalid = _production(
        tmp_path, LOTSE_FIELD_KEYS_FILE=str(keys), LOTSE_AUDIT_SIGNING_KEY_FILE=str(broken)
    )
    assert invalid.returncode != 0 and "ungültig" in invalid.stderr
