"""``lotse loadconfig`` and ``lotse dumpconfig``: output, files and exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from lotse.directory.config.parsing import ConfigYamlLoader
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE, line_of

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the real ``lotse`` entry point (exit codes are only visible in a process)."""
    env = {**os.environ, "LOTSE_DEBUG": "1", "LOTSE_DATA_DIR": str(tmp_path)}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "lotse.manage", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )


@pytest.mark.django_db
def test_loadconfig_prints_report():
    out = io.StringIO()
    call_command("loadconfig", str(KREIS_LIPPE), stdout=out)
    report = out.getvalue()
    assert "kreis-lippe.yaml" in report
    assert "16 neu" in report  # the municipalities

    out = io.StringIO()
    call_command("loadconfig", str(KREIS_LIPPE), stdout=out)
    assert "Keine Änderungen" in out.getvalue()


@pytest.mark.django_db
def test_loadconfig_invalid_file_raises_command_error_with_exit_code(write_config):
    text = STADT_RHEINE.read_text(encoding="utf-8").replace("kind: stadt", "kind: dorf")
    with pytest.raises(CommandError) as excinfo:
        call_command("loadconfig", str(write_config(text, "rheine-kaputt.yaml")))
    assert excinfo.value.returncode == 2
    assert f"rheine-kaputt.yaml, Zeile {line_of(text, 'kind: dorf')}" in str(excinfo.value)


def test_loadconfig_process_exit_codes(tmp_path):
    broken = tmp_path / "kaputt.yaml"
    text = STADT_RHEINE.read_text(encoding="utf-8").replace(
        "  slug: stadt-rheine", "  slug: Stadt Rheine"
    )
    broken.write_text(text, encoding="utf-8")

    failed = _run("loadconfig", str(broken), tmp_path=tmp_path)
    assert failed.returncode == 2
    assert f"kaputt.yaml, Zeile {line_of(text, 'slug: Stadt Rheine')}" in failed.stderr
    assert failed.stdout == ""

    checked = _run("loadconfig", "--check", str(STADT_RHEINE), tmp_path=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "stadt-rheine.yaml" in checked.stdout


@pytest.mark.django_db
def test_dumpconfig_contains_the_seed_facts():
    call_command("loadconfig", str(KREIS_LIPPE), stdout=io.StringIO())
    out = io.StringIO()
    call_command("dumpconfig", "kreis-lippe", stdout=out)
    text = out.getvalue()
    data = yaml.load(text, Loader=ConfigYamlLoader)  # noqa: S506

    assert len(data["municipalities"]) == 16
    assert "name: Dörentrup" in text  # umlauts readable

    durchstarten = next(p for p in data["programmes"] if p["key"] == "durchstarten")
    assert durchstarten["not_covered"] == ["barntrup"]
    covered = [m for group in durchstarten["providers"] for m in group["municipalities"]]
    assert "barntrup" not in covered and len(covered) == 15
    assert (durchstarten["min_age"], durchstarten["max_age"]) == (18, 27)
    assert durchstarten["budget_eur"] == 900000
    assert durchstarten["modules"][0]["participants_per_coach"] == 20

    goals = {}
    stack = list(data["goals"])
    while stack:
        goal = stack.pop()
        goals[goal["code"]] = goal
        stack.extend(goal.get("children", []))
    assert goals["Leitziel III"]["deadline"]["within"] == 2
    assert goals["Leitziel III"]["deadline"]["unit"] == "weeks"
    assert goals["Arbeit I"]["deadline"]["within"] == 6
    assert goals["Schule I"]["deadline"] == {
        "from": "registration", "within": 4, "unit": "school_weeks", "milestone": "schulbesuch",
    }  # fmt: skip
    assert goals["Sprache I"]["deadline"]["within"] == 2
    assert goals["Sprache I"]["deadline"]["unit"] == "years"
    assert "A2" in goals["Sprache I"]["title"]

    posts = data["case_management_posts"]
    assert {p["target_caseload"] for p in posts} == {100}
    assert sum(p["programme"] == "kim-case-management" for p in posts) == 6


@pytest.mark.django_db
def test_dumpconfig_to_file(tmp_path):
    call_command("loadconfig", str(STADT_RHEINE), stdout=io.StringIO())
    target = tmp_path / "rheine.yaml"
    call_command("dumpconfig", "stadt-rheine", "-o", str(target), stderr=io.StringIO())
    assert "Grundsatzziel 1" in target.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_dumpconfig_unknown_traeger():
    with pytest.raises(CommandError) as excinfo:
        call_command("dumpconfig", "gibt-es-nicht")
    assert excinfo.value.returncode == 2
    assert "gibt-es-nicht" in str(excinfo.value)
