"""A small process supervisor for the embedded default (``lotse run``, used by ``make run``).

It starts the web server (gunicorn), the background worker and the scheduler with the private
umask, restarts any of them that exits (waiting 1 s, doubling up to 30 s while it keeps dying
quickly), and on Ctrl+C or SIGTERM stops all of them and exits.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lotse.core.datadir import use_private_umask
from lotse.core.resilience import Backoff

logger = logging.getLogger("lotse.supervisor")

#: A process that ran at least this long before it exited is restarted without delay growth.
STABLE_AFTER = 60.0
#: How long the processes get to stop before they are killed.
STOP_TIMEOUT = 10.0


@dataclass
class Program:
    name: str
    argv: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    backoff: Backoff = field(default_factory=lambda: Backoff(initial=1.0, maximum=30.0))


class Supervisor:
    def __init__(
        self,
        programs: Sequence[Program],
        *,
        clock: Callable[[], float] = time.monotonic,
        popen: Callable[..., subprocess.Popen[bytes]] = subprocess.Popen,
        say: Callable[[str], Any] = print,
    ) -> None:
        self.programs = list(programs)
        self.clock = clock
        self.popen = popen
        self.say = say
        self.stopping = False

    def start(self, program: Program) -> None:
        program.process = self.popen(list(program.argv))
        program.started = self.clock()
        program.restart_at = None

    def request_stop(self, *_: Any) -> None:
        self.stopping = True

    def poll(self) -> None:
        """One round: notice exits, schedule restarts, start what is due."""
        now = self.clock()
        for program in self.programs:
            if program.process is not None and program.process.poll() is not None:
                code = program.process.returncode
                program.process = None
                if self.stopping:
                    continue
                if now - program.started >= STABLE_AFTER:
                    program.backoff.reset()
                delay = program.backoff.next_delay()
                program.restart_at = now + delay
                self.say(
                    f"lotse run: {program.name} exited (code {code}); restarting in {delay:.0f} s"
                )
            if (
                not self.stopping
                and program.process is None
                and program.restart_at is not None
                and now >= program.restart_at
            ):
                program.restarts += 1
                self.start(program)

    def stop_all(self) -> None:
        self.stopping = True
        running = [p.process for p in self.programs if p.process and p.process.poll() is None]
        for process in running:
            try:
                process.terminate()
            except ProcessLookupError:
                pass
        deadline = self.clock() + STOP_TIMEOUT
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def run(self, *, sleep: Callable[[float], Any] = time.sleep) -> None:
        use_private_umask()
        previous = {
            sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for program in self.programs:
                self.start(program)
            while not self.stopping:
                self.poll()
                sleep(0.5)
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)


#: Threads per web worker: a request mostly waits on the database, so one process serves
#: several at once (gunicorn's gthread workers) instead of queueing them behind one.
DEFAULT_THREADS = 4


def default_web_workers() -> int:
    """One web worker process per core (at least two, so that one restart is no outage)."""
    return max(2, os.cpu_count() or 1)


def default_programs(
    *, lotse: str, gunicorn: str, bind: str, workers: int, threads: int = DEFAULT_THREADS
) -> list[Program]:
    return [
        Program(
            "web",
            [
                gunicorn,
                "lotse.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s',
            ],
        ),
        Program("worker", [lotse, "worker", "--interval", "1"]),
        Program("scheduler", [lotse, "scheduler"]),
    ]


def executable_next_to(python_bin: str, name: str) -> str:
    candidate = os.path.join(os.path.dirname(python_bin), name)
    return candidate if os.path.exists(candidate) else name
