"""The canary values of ``tests.canaries`` appear in no log output of the whole test run.

At the start of the session a :class:`CanaryDetector` is attached to the root logger and to
the ``django``, ``django.request``, ``django.security``, ``django.server`` and ``lotse``
loggers (so records of loggers that do not propagate are seen too). Django's and Lotse's loggers
are set to DEBUG for the run so that debug records are scanned as well (the root logger keeps
its level: third-party debug chatter is not ours); the handlers that were already
configured keep their own threshold through a filter, so the console output does not change.
``django.db.backends`` is deliberately left alone: its debug records carry SQL parameters, and
no settings of Lotse enable them (``tests/security/test_canaries.py`` checks that).

Each record is scanned fully formatted: the message, the traceback of ``exc_info``,
``stack_info`` and every ``extra`` attribute. Warnings (``pytest_warning_recorded``) and the
captured stdout/stderr/log sections of every test report are scanned too. A finding fails the
session (exit status 1) and is listed with the test and the logger at the end of the run.

With pytest-xdist every worker scans its own records and hands its findings to the
controller, which fails the session.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

import pytest

from tests.canaries import CANARIES

WATCHED_LOGGERS = ("", "django", "django.request", "django.security", "django.server", "lotse")
#: Ours and Django's speak at DEBUG during the run; third-party libraries keep their level.
DEBUG_LOGGERS = ("django", "django.request", "django.security", "django.server", "lotse")

#: The attributes every LogRecord has; everything else came in through ``extra``.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
}


def _forms(value: str) -> set[str]:
    """The value as it may appear in output: plain, URL-encoded, JSON- or repr-escaped."""
    return {value, quote(value), quote_plus(value), value.encode("unicode_escape").decode()}


_NEEDLES: tuple[tuple[str, str], ...] = tuple(
    (canary, form) for canary in CANARIES for form in _forms(canary)
)


def found_canaries(text: str) -> list[str]:
    return sorted({canary for canary, form in _NEEDLES if form in text})


@dataclass(frozen=True)
class Finding:
    test: str
    source: str
    canary: str
    excerpt: str


def format_record(record: logging.LogRecord) -> str:
    """Everything a log handler could write about ``record``."""
    parts: list[str] = []
    try:
        parts.append(record.getMessage())
    except Exception:  # a broken format string still shows its parts
        parts.append(f"{record.msg!r} % {record.args!r}")
    parts.append(repr(record.args))
    if record.exc_info and record.exc_info[1] is not None:
        parts.append("".join(traceback.format_exception(*record.exc_info)))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    for key, value in record.__dict__.items():
        if key not in _STANDARD_ATTRIBUTES and key != "_canary_scanned_by":
            try:
                parts.append(f"{key}={value!r} {value}")
            except Exception:  # pragma: no cover - an extra that cannot be shown
                parts.append(f"{key}=<unrepresentable>")
    return "\n".join(parts)


class CanaryDetector(logging.Handler):
    """A handler that remembers every record mentioning a canary value."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.findings: list[Finding] = []
        self.current_test = "(outside of a test)"

    def scan(self, text: str, source: str) -> None:
        for canary in found_canaries(text):
            at = min(text.find(form) for c, form in _NEEDLES if c == canary and form in text)
            excerpt = " ".join(text[max(0, at - 80) : at + 160].split())
            finding = Finding(self.current_test, source, canary, excerpt)
            if finding not in self.findings:  # reports repeat the sections of earlier phases
                self.findings.append(finding)

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "_canary_scanned_by", None) is self:
            return  # the same record reaches the root logger again by propagation
        record._canary_scanned_by = self  # type: ignore[attr-defined]
        self.scan(format_record(record), f"logger {record.name!r} ({record.levelname})")


class _KeepThreshold(logging.Filter):
    """Keeps a pre-existing handler at the threshold its loggers had before the run."""

    def __init__(self, levels: dict[str, int]) -> None:
        super().__init__()
        self.levels = levels

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        while name not in self.levels and "." in name:
            name = name.rsplit(".", 1)[0]
        return record.levelno >= self.levels.get(name, self.levels[""])


class CanaryPlugin:
    def __init__(self) -> None:
        self.detector = CanaryDetector()
        self.remote_findings: list[Finding] = []
        self._restore: list[tuple[logging.Logger, int]] = []
        self._filtered: list[logging.Handler] = []
        self._threshold: _KeepThreshold | None = None
        self._hypothesis_home: str | None = None

    # -- Session -------------------------------------------------------------------------

    def attach(self) -> None:
        loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
        levels = {name: logging.getLogger(name).getEffectiveLevel() for name in WATCHED_LOGGERS}
        self._threshold = _KeepThreshold(levels)
        for logger in loggers:
            for handler in logger.handlers:
                if handler not in self._filtered:
                    handler.addFilter(self._threshold)
                    self._filtered.append(handler)
        for logger in loggers:
            self._restore.append((logger, logger.level))
            if logger.name in DEBUG_LOGGERS:
                logger.setLevel(logging.DEBUG)
            logger.addHandler(self.detector)

    def detach(self) -> None:
        for logger, level in self._restore:
            logger.removeHandler(self.detector)
            logger.setLevel(level)
        for handler in self._filtered:
            if self._threshold is not None:
                handler.removeFilter(self._threshold)
        self._restore.clear()
        self._filtered.clear()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        # Django configures logging when pytest-django sets it up (before this hook).
        self.attach()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
        self.detector.current_test = item.nodeid
        yield
        self.detector.current_test = "(outside of a test)"

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        previous = self.detector.current_test
        self.detector.current_test = report.nodeid
        for title, content in report.sections:
            self.detector.scan(content, title)
        if report.longreprtext:
            self.detector.scan(report.longreprtext, f"report of {report.when}")
        self.detector.current_test = previous

    def pytest_warning_recorded(self, warning_message, when, nodeid, location) -> None:  # type: ignore[no-untyped-def]
        previous = self.detector.current_test
        self.detector.current_test = nodeid or previous
        self.detector.scan(str(warning_message.message), f"warning ({when})")
        self.detector.current_test = previous

    @property
    def findings(self) -> list[Finding]:
        return [*self.detector.findings, *self.remote_findings]

    # -- pytest-xdist: workers hand their findings to the controller ---------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:  # type: ignore[no-untyped-def]
        for row in getattr(node, "workeroutput", {}).get("canary_findings", []):
            self.remote_findings.append(Finding(*row))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.detach()
        workeroutput = getattr(session.config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput["canary_findings"] = [
                (f.test, f.source, f.canary, f.excerpt) for f in self.detector.findings
            ]
        if self.findings and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:  # type: ignore[no-untyped-def]
        if not self.findings:
            return
        terminalreporter.section("canary values in log output", sep="=", red=True, bold=True)
        for finding in self.findings:
            terminalreporter.write_line(
                f"{finding.test}: {finding.source} contains {finding.canary!r}: …{finding.excerpt}…"
            )


def pytest_configure(config: pytest.Config) -> None:
    plugin = CanaryPlugin()
    # Hypothesis (through schemathesis) keeps caches in a storage directory; it goes into a
    # temporary directory instead of ``.hypothesis`` in the repository.
    plugin._hypothesis_home = tempfile.mkdtemp(prefix="lotse-hypothesis-")
    try:
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(plugin._hypothesis_home)
    except ImportError:  # pragma: no cover - hypothesis is a test dependency
        pass
    config.pluginmanager.register(plugin, "lotse-canary")


def pytest_unconfigure(config: pytest.Config) -> None:
    plugin = config.pluginmanager.get_plugin("lotse-canary")
    if isinstance(plugin, CanaryPlugin):
        plugin.detach()
        if plugin._hypothesis_home:
            shutil.rmtree(plugin._hypothesis_home, ignore_errors=True)
        config.pluginmanager.unregister(plugin)
