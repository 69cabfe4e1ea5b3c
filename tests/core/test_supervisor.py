"""``lotse run``: the web server serves several requests per process (issue 14)."""

from __future__ import annotations

from lotse.core.supervisor import default_programs, default_web_workers


def test_the_web_server_runs_threaded_workers_sized_to_the_cores(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 6)
    assert default_web_workers() == 6
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert default_web_workers() == 2

    (web, *_others) = default_programs(
        lotse="lotse", gunicorn="gunicorn", bind="127.0.0.1:8000", workers=3, threads=5
    )
    command = list(web.argv)
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--worker-class") + 1] == "gthread"
    assert command[command.index("--threads") + 1] == "5"
