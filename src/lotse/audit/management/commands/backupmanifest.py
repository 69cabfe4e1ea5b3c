"""``lotse backupmanifest --directory DIR``: the database copy and its manifest (one snapshot).

Called by ``scripts/backup.sh``, which adds the media archive and the checksums.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.audit.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (pg_dump -Fc or the SQLite backup API) and "
        "manifest.json (rows per table, audit chain heads, referenced uploads, key ids) into a "
        "directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", required=True, help="Target directory (new or empty).")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        try:
            manifest = write_backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["tables"]
        self.stdout.write(
            f"Datenbank gesichert: {directory / manifest['database']['file']} "
            f"({len(tables)} Tabellen, {sum(tables.values())} Zeilen, "
            f"{len(manifest['audit_chains'])} Protokollketten, "
            f"{len(manifest['media']['files'])} Dateien referenziert)."
        )
        self.stdout.write(f"MEDIA_ROOT={manifest['media']['root']}")
        if manifest["field_keys"]["in_use"]:
            self.stderr.write(
                "Hinweis: Die Datenbank enthält verschlüsselte Werte. Ohne die Schlüsseldatei "
                f"({manifest['field_keys']['file'] or 'LOTSE_FIELD_KEYS_FILE'}) ist die Sicherung "
                "unbrauchbar – sie gehört NICHT in diese Sicherung, sondern getrennt gesichert."
            )
