"""``lotse restorecheck --manifest FILE``: does the restored database match its backup?

Run against the scratch database a backup was restored into (``scripts/restore-check.sh``):
row counts, the access log's hash chains and heads, the uploaded files in ``MEDIA_ROOT``, the
field-encryption keys. Non-zero exit with the differences on a mismatch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.audit.backup import check_restore


class Command(BaseCommand):
    help = "Compare a restored database with the manifest of its backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--manifest", required=True, help="manifest.json of the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["manifest"])
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Manifest {path} nicht lesbar: {error}") from error
        result = check_restore(manifest)
        for line in result.passed:
            self.stdout.write(f"OK: {line}")
        for line in result.problems:
            self.stderr.write(f"FEHLER: {line}")
        if not result.ok:
            raise CommandError(
                f"Die Wiederherstellung stimmt nicht mit der Sicherung überein "
                f"({len(result.problems)} Abweichungen)."
            )
        self.stdout.write("Wiederherstellung geprüft: stimmt mit der Sicherung überein.")
