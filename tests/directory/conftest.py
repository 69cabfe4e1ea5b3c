from __future__ import annotations

from pathlib import Path

import pytest

from lotse.directory.config import LoadReport, config_load

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
KREIS_LIPPE = CONFIG_DIR / "kreis-lippe.yaml"
STADT_RHEINE = CONFIG_DIR / "stadt-rheine.yaml"


@pytest.fixture
def kreis_lippe(db) -> LoadReport:
    """Kreis Lippe loaded from the shipped configuration file."""
    return config_load(path=KREIS_LIPPE)


@pytest.fixture
def write_config(tmp_path):
    """Write YAML text to a file in a temporary directory and return its path."""

    def write(text: str, name: str = "test-config.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")
