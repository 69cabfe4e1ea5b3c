"""Fail when the German catalogue is incomplete: missing, empty or fuzzy translations, or a
compiled .mo file that does not match its .po file.

Run by `make test`. Missing strings are found by extracting them afresh with Django's
makemessages (needs GNU gettext's xgettext) in a scratch copy of the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "lotse"
PO = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def fail(message: str) -> None:
    print(f"Übersetzungsprüfung fehlgeschlagen: {message}", file=sys.stderr)
    sys.exit(1)


def check_catalogue() -> polib.POFile:
    if not PO.exists():
        fail(f"{PO} fehlt.")
    catalogue = polib.pofile(str(PO))
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"unscharf (fuzzy): {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                problems.append(f"leer: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"leer: {entry.msgid!r}")
    if problems:
        fail(
            f"{len(problems)} Einträge in {PO.relative_to(ROOT)}:\n  " + "\n  ".join(problems[:50])
        )
    if not MO.exists():
        fail(f"{MO.relative_to(ROOT)} fehlt (make messages).")
    compiled = polib.mofile(str(MO))
    compiled_ids = {(e.msgctxt, e.msgid): e.msgstr for e in compiled}
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        if compiled_ids.get((entry.msgctxt, entry.msgid)) != entry.msgstr:
            fail(f"{MO.relative_to(ROOT)} ist veraltet (make messages): {entry.msgid!r}")
    return catalogue


def check_missing(catalogue: polib.POFile) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            fail("xgettext (GNU gettext) fehlt; in CI muss die Vollständigkeit geprüft werden.")
        print(
            "Hinweis: xgettext fehlt, fehlende Übersetzungen werden nicht gesucht.", file=sys.stderr
        )
        return
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "lotse"
        shutil.copytree(
            PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo")
        )
        lotse = Path(sys.executable).parent / "lotse"
        subprocess.run(  # noqa: S603 - fixed arguments, our own console script
            [str(lotse), "makemessages", "-l", "de", "--no-obsolete", "-v", "0", "--no-location"],
            cwd=copy,
            check=True,
        )
        fresh = polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in catalogue if not e.obsolete}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known]
    if missing:
        fail(
            f"{len(missing)} Texte ohne deutsche Übersetzung (make messages):\n  "
            + "\n  ".join(map(repr, missing[:50]))
        )


def main() -> None:
    catalogue = check_catalogue()
    check_missing(catalogue)
    print(f"Deutscher Katalog vollständig: {len(catalogue.translated_entries())} Einträge.")


if __name__ == "__main__":
    main()
