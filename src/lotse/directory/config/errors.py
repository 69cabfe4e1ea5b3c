"""Errors of the configuration toolkit.

An operator must be able to fix a broken file without reading code, so every problem names the
file, the YAML line and the path of the offending value, and the whole message is German once
translated (English msgids, German catalogue; the intended German text is in ``# de:`` comments).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """``("organisations", 3, "contacts", 0, "email")`` → ``organisations[3].contacts[0].email``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in a configuration file; ``line`` is 1-based, ``path`` uses 0-based indexes."""

    message: str
    path: Path = ()
    line: int | None = None
    #: 1-based; only for YAML syntax errors, where the place inside the line matters.
    column: int | None = None

    def render(self, filename: str) -> str:
        where = filename
        if self.line is not None and self.column is not None:
            where = _("{file}, line {line}, column {column}").format(
                file=filename, line=self.line, column=self.column
            )
        elif self.line is not None:
            # de: {file}, Zeile {line}
            where = _("{file}, line {line}").format(file=filename, line=self.line)
        if self.path:
            where = f"{where} ({format_path(self.path)})"
        return f"{where}: {self.message}"


class ConfigError(Exception):
    """The file was rejected as a whole; nothing was written to the database."""

    def __init__(self, *, filename: str, issues: Sequence[ConfigIssue]) -> None:
        self.filename = filename
        self.issues = list(issues)
        super().__init__(self.render())

    def render(self) -> str:
        header = _(
            # de: Die Konfigurationsdatei {file} wurde nicht geladen, es wurde nichts geändert.
            # de: {count} Fehler:
            "The configuration file {file} was not loaded, nothing was changed. {count} error(s):"
        ).format(file=self.filename, count=len(self.issues))
        lines = [header]
        lines.extend(f"  - {issue.render(self.filename)}" for issue in self.issues)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class UnknownTraeger(LookupError):
    """``dumpconfig`` was asked for a Träger that does not exist."""
