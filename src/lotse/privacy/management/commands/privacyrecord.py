"""``lotse privacyrecord``: write the Art. 30 record into docs/privacy.md (``--check``: only test)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.privacy import record
from lotse.privacy.registry import check_against_models


class Command(BaseCommand):
    help = _(
        "Generate the Art. 30 GDPR record in docs/privacy.md."
    )  # de: Das Verzeichnis nach Art. 30 DSGVO in docs/privacy.md erzeugen.

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=_(
                "Only check that docs/privacy.md is up to date."
            ),  # de: Nur prüfen, ob docs/privacy.md aktuell ist.
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = check_against_models()
        for problem in problems:
            self.stderr.write(problem)
        path = record.document_path()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        updated = record.updated_document(current)
        if options["check"]:
            if updated != current:
                msg = _(
                    "docs/privacy.md is stale: run `lotse privacyrecord`."
                )  # de: docs/privacy.md ist veraltet: „lotse privacyrecord“ ausführen.
                raise CommandError(msg)
            return
        path.write_text(updated, encoding="utf-8")
        written = _("%(path)s written.")  # de: %(path)s geschrieben.
        self.stdout.write(written % {"path": path})
        if problems:
            msg = _(
                "The registry is incomplete (see above)."
            )  # de: Das Register ist unvollständig (siehe oben).
            raise CommandError(msg)
