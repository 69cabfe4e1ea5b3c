"""Many people saving the same case at once: exactly one save per version wins, none is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lotse.cases.models import Case
from lotse.cases.services import case_update
from lotse.core.locking import EditConflict


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_case_never_overwrite_silently(case, case_manager):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises writers by locking tables")
    start = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        try:
            mine = Case.objects.select_related("organisation").get(pk=case.pk)
            start.wait()
            case_update(
                actor=case_manager,
                case=mine,
                expected_version=1,
                organisation=mine.organisation,
                summary=f"Fassung {number}",
            )
            result = f"saved {number}"
        except EditConflict:
            result = "conflict"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [o for o in outcomes if o.startswith("saved")]
    assert len(saved) == 1 and outcomes.count("conflict") == 5
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == 2
    assert stored.summary == f"Fassung {saved[0].split()[1]}"
