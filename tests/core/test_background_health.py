"""The embedded default keeps running: heartbeats and /healthz, retries on a locked database,
the supervisor of `lotse run`, a private data directory."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lotse.core import datadir, health
from lotse.core.models import ProcessHeartbeat
from lotse.core.resilience import Backoff, retry_transient, run_until_stopped
from lotse.core.supervisor import Program, Supervisor
from lotse.deadlines.scheduler import run_scheduler

LOCKED = OperationalError("database is locked")


def _heartbeat(role: str, age_seconds: float) -> None:
    now = timezone.now()
    ProcessHeartbeat.objects.create(
        role=role,
        host=f"host-{role}",
        pid=1,
        started_at=now - dt.timedelta(hours=1),
        last_seen=now - dt.timedelta(seconds=age_seconds),
    )


def _queue_task(age_seconds: float = 0) -> None:
    result = DBTaskResult.objects.create(
        task_path="lotse.spreadsheets.tasks.run_import",
        args_kwargs={"args": [1], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=None,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=age_seconds)
    )


# --- /healthz ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_ok_with_live_processes_and_reports_the_queue(client):
    _heartbeat("worker", 5)
    _heartbeat("scheduler", 8)
    _queue_task(age_seconds=30)

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["reasons"] == []
    assert body["worker"]["status"] == "ok" and body["worker"]["last_seen_seconds"] >= 5
    assert body["queue"]["waiting"] == 1 and body["queue"]["oldest_seconds"] >= 30


@pytest.mark.django_db
def test_healthz_is_degraded_when_the_worker_stopped(client):
    _heartbeat("worker", 120)
    _heartbeat("scheduler", 1)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["reasons"] == ["worker_stopped"]
    assert response.json()["worker"]["status"] == "stale"


@pytest.mark.django_db
def test_healthz_is_degraded_when_tasks_wait_and_no_worker_was_ever_seen(client):
    assert client.get("/healthz").json()["status"] == "ok"  # nothing waits: nothing missing

    _queue_task(age_seconds=3)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["reasons"] == ["no_worker"]
    assert response.json()["queue"]["waiting"] == 1


@pytest.mark.django_db
def test_healthz_reports_a_stopped_scheduler_and_forgets_hosts_gone_for_a_day(client):
    _heartbeat("scheduler", 300)
    assert client.get("/healthz").json()["reasons"] == ["scheduler_stopped"]

    ProcessHeartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(days=2))
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_scope_web_checks_the_database_only(client):
    _heartbeat("worker", 500)

    response = client.get("/healthz?scope=web")

    assert response.status_code == 200
    assert response.json()["status"] == "ok" and "worker" not in response.json()


@pytest.mark.django_db
def test_heartbeat_is_one_row_per_role_and_host_and_is_overwritten():
    beat = health.Heartbeat("worker", every=0)

    assert beat.maybe_beat() and beat.maybe_beat()

    row = ProcessHeartbeat.objects.get()
    assert (row.role, row.pid) == ("worker", os.getpid())
    assert timezone.now() - row.last_seen < dt.timedelta(seconds=30)


@pytest.mark.django_db
def test_a_failing_heartbeat_is_logged_not_raised(monkeypatch):
    def locked(*args: Any, **kwargs: Any) -> None:
        raise LOCKED

    monkeypatch.setattr(health, "beat", locked)

    assert health.Heartbeat("scheduler", every=0).maybe_beat() is False


# --- retries ----------------------------------------------------------------------------------


def test_backoff_doubles_up_to_the_maximum_and_resets():
    backoff = Backoff(initial=1, maximum=5)

    assert [backoff.next_delay() for _ in range(5)] == [1, 2, 4, 5, 5]
    backoff.reset()
    assert backoff.next_delay() == 1


@pytest.mark.django_db
def test_retry_transient_retries_a_locked_database_then_succeeds():
    calls: list[int] = []
    slept: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise LOCKED
        return "done"

    assert retry_transient(flaky, sleep=slept.append)() == "done"
    assert len(calls) == 3 and slept == [0.5, 1.0]


@pytest.mark.django_db
def test_retry_transient_gives_up_after_its_attempts_and_leaves_other_errors_alone():
    def always_locked() -> None:
        raise LOCKED

    def broken() -> None:
        raise ValueError("bug")

    with pytest.raises(OperationalError):
        retry_transient(always_locked, attempts=3, sleep=lambda _: None)()
    with pytest.raises(ValueError):
        retry_transient(broken, sleep=lambda _: None)()


def test_run_until_stopped_survives_locks_and_returns_when_the_step_returns():
    outcomes = [LOCKED, LOCKED, None]
    slept: list[float] = []

    def step() -> None:
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome

    run_until_stopped(step, name="t", should_stop=lambda: False, sleep=slept.append)

    assert outcomes == [] and slept == [1.0, 2.0]


def test_run_until_stopped_lets_a_programming_error_through():
    def step() -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_until_stopped(step, name="t", should_stop=lambda: False, sleep=lambda _: None)


@pytest.mark.django_db
def test_the_worker_loop_survives_database_is_locked(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from lotse.core.management.commands.worker import RobustWorker

    polls: list[int] = []

    def run(self: Any) -> None:
        polls.append(1)
        if len(polls) < 3:
            raise LOCKED
        self.running = False

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr("lotse.core.resilience.time.sleep", lambda _: None)
    worker = RobustWorker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )

    worker.run()

    assert len(polls) == 3


# Transactional: the loop closes the connections after a transient error, which would end the
# test's own transaction on PostgreSQL; without one, Django reconnects as in production.
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_loop_survives_database_is_locked_and_beats():
    calls: list[int] = []
    slept: list[float] = []

    def enqueue() -> bool:
        calls.append(1)
        if len(calls) <= 2:
            raise LOCKED
        return False

    run_scheduler(
        should_stop=lambda: len(calls) >= 4,
        interval=1,
        enqueue=enqueue,
        sleep=slept.append,
        heartbeat=health.Heartbeat("scheduler", every=0),
    )

    assert len(calls) == 4
    assert slept[:3] == [1.0, 1.0, 1.0]  # backoff 1 s, then 2 s (in steps of 1 s)
    assert ProcessHeartbeat.objects.filter(role="scheduler").exists()


# --- supervisor -------------------------------------------------------------------------------


class FakeProcess:
    def __init__(self) -> None:
        self.returncode: int | None = None
        self.terminated = False

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = -15

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode

    def kill(self) -> None:
        self.returncode = -9


def test_the_supervisor_restarts_a_dead_process_with_backoff_and_stops_all():
    now = [0.0]
    started: list[FakeProcess] = []

    def popen(argv: list[str]) -> FakeProcess:
        started.append(FakeProcess())
        return started[-1]

    supervisor = Supervisor(
        [Program("worker", ["w"]), Program("web", ["g"])],
        clock=lambda: now[0],
        popen=popen,  # type: ignore[arg-type]
        say=lambda _: None,
    )
    for program in supervisor.programs:
        supervisor.start(program)
    worker = supervisor.programs[0]

    started[0].returncode = 1  # the worker dies
    supervisor.poll()
    assert worker.process is None and len(started) == 2
    now[0] = 0.5
    supervisor.poll()
    assert len(started) == 2  # restarted after 1 s, not at once
    now[0] = 1.0
    supervisor.poll()
    assert len(started) == 3 and worker.restarts == 1

    started[2].returncode = 1  # dies again quickly: waits 2 s
    supervisor.poll()
    now[0] = 2.5
    supervisor.poll()
    assert len(started) == 3
    now[0] = 3.0
    supervisor.poll()
    assert len(started) == 4

    supervisor.stop_all()
    assert started[1].terminated and started[3].terminated
    started[3].returncode = 0
    supervisor.poll()
    assert len(started) == 4  # nothing restarts while stopping


# --- private data directory -------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_directory_and_the_sqlite_files_are_made_private(tmp_path):
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    database = data / "lotse.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").write_bytes(b"x")
        Path(f"{database}{suffix}").chmod(0o644)

    datadir.ensure_data_dir(data)
    datadir.secure_sqlite_files(database)

    assert _mode(data) == 0o700
    assert {_mode(Path(f"{database}{s}")) for s in ("", "-wal", "-shm")} == {0o600}


def test_a_new_data_directory_is_created_private(tmp_path):
    data = tmp_path / "new" / "var"

    datadir.ensure_data_dir(data)

    assert _mode(data) == 0o700


def test_lotse_processes_create_private_files(tmp_path):
    """The umask of every `lotse` process: a new SQLite database is 0600, with its WAL."""
    previous = os.umask(0o022)
    try:
        datadir.use_private_umask()
        database = sqlite3.connect(tmp_path / "db.sqlite3")
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("CREATE TABLE t (x)")
        database.commit()
        (tmp_path / "media").mkdir()
        assert _mode(tmp_path / "db.sqlite3") == 0o600
        assert _mode(tmp_path / "db.sqlite3-wal") == 0o600
        assert _mode(tmp_path / "media") == 0o700
        database.close()
    finally:
        os.umask(previous)


def test_uploads_are_stored_private(settings):
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


@pytest.mark.django_db
def test_every_sqlite_connection_waits_for_the_write_lock(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (timeout,) = cursor.fetchone()
    assert timeout == settings.LOTSE_SQLITE_BUSY_TIMEOUT_MS >= 10_000
