from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from lotse.audit import chain
from lotse.audit.models import AuditChainHead, AuditEntry
from lotse.audit.services import audit_log


def _disable_append_only() -> None:
    """Tests play the attacker with direct database access (rolled back after the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")


def _linked(entries: list[AuditEntry]) -> list[AuditEntry]:
    chain.link_pending()
    return [AuditEntry.objects.get(pk=entry.pk) for entry in entries]


@pytest.fixture
def entries(case_manager):
    return _linked(
        [
            audit_log(
                user=case_manager, action="view", object_type="case", object_id=n, person_id=n
            )
            for n in range(1, 6)
        ]
    )


@pytest.mark.django_db
def test_writing_an_entry_takes_no_lock_and_linking_chains_it(
    case_manager, django_assert_num_queries
):
    """A page view inserts its entry (one query, no lock on the chain head); the link step
    appends it to the chain afterwards, in the order of linking."""
    with django_assert_num_queries(1):
        first = audit_log(user=case_manager, action="view", object_type="case", object_id=1)
    second = audit_log(user=case_manager, action="view", object_type="case", object_id=2)
    assert AuditEntry.objects.get(pk=first.pk).sequence is None
    assert list(chain.verify()) == []  # unlinked entries are no break
    assert chain.link_pending() == 2
    first, second = _linked([first, second])
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.previous_hash == first.entry_hash
    assert chain.link_pending() == 0
    assert list(chain.verify()) == []


@pytest.mark.django_db
def test_linking_is_the_only_update_the_database_allows(case_manager):
    entry = audit_log(user=case_manager, action="view", object_type="case", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(sequence=1, detail="manipuliert")
    (entry,) = _linked([entry])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(sequence=7)
    assert AuditEntry.objects.get(pk=entry.pk).sequence == 1


@pytest.mark.django_db
def test_scheduler_round_links_new_entries(case_manager):
    from lotse.deadlines.scheduler import run_frequent_jobs

    entry = audit_log(user=case_manager, action="view", object_type="case", object_id=1)
    run_frequent_jobs()
    assert AuditEntry.objects.get(pk=entry.pk).sequence == 1


@pytest.mark.django_db
def test_intact_chain_verifies(entries, capsys):
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert list(chain.verify()) == []
    call_command("verifyaudit")
    assert "5" in capsys.readouterr().out


@pytest.mark.django_db
def test_maintenance_mode_may_delete_but_never_update(entries):
    from lotse.audit.maintenance import audit_maintenance

    with audit_maintenance():
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=entries[0].pk).update(detail="manipuliert")
        AuditEntry.objects.filter(pk=entries[0].pk).delete()
    assert not AuditEntry.objects.filter(pk=entries[0].pk).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[1].pk).delete()


@pytest.mark.django_db
def test_database_refuses_update_and_delete(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).update(detail="manipuliert")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).delete()
    assert AuditEntry.objects.get(pk=entries[0].pk).detail == ""


@pytest.mark.django_db
def test_altered_entry_is_named(entries, capsys):
    _disable_append_only()
    AuditEntry.objects.filter(pk=entries[2].pk).update(username="someone-else")
    assert list(chain.verify()) == [chain.ChainBreak(entries[2].chain, 3, entries[2].pk, "altered")]
    with pytest.raises(CommandError):
        call_command("verifyaudit")
    assert f"{entries[2].pk}" in capsys.readouterr().err


@pytest.mark.django_db
def test_removed_entry_is_found(entries):
    _disable_append_only()
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    (found,) = chain.verify()
    assert (found.sequence, found.problem) == (2, "removed")


@pytest.mark.django_db
def test_removed_newest_entry_is_found(entries):
    _disable_append_only()
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    (found,) = chain.verify()
    assert (found.sequence, found.problem) == (5, "removed")


@pytest.mark.django_db
def test_forged_entry_is_found(entries, case_manager):
    last = entries[-1]
    forged = AuditEntry(
        traeger_id=last.traeger_id,
        username="cm",
        action="view",
        object_type="case",
        occurred_at=last.occurred_at,
        chain=last.chain,
        sequence=6,
        previous_hash=last.entry_hash,
    )
    forged.entry_hash = chain.entry_digest(forged, last.entry_hash)
    forged.save()
    (found,) = chain.verify()
    assert (found.sequence, found.problem) == (6, "inserted")


@pytest.mark.django_db
def test_each_traeger_has_its_own_chain(case_manager):
    from tests.factories import UserFactory

    other = UserFactory()
    a, b = _linked(
        [
            audit_log(user=case_manager, action="view", object_type="case", object_id=1),
            audit_log(user=other, action="view", object_type="case", object_id=2),
        ]
    )
    assert a.chain != b.chain and a.sequence == b.sequence == 1
    assert AuditChainHead.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(case_manager):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises writers by locking tables")
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for n in range(8):
                with transaction.atomic():
                    audit_log(
                        user=case_manager,
                        action="view",
                        object_type="case",
                        object_id=offset * 100 + n,
                    )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    chain.link_pending()
    sequences = sorted(AuditEntry.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 33))
    assert list(chain.verify()) == []
