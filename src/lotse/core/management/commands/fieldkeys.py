"""``lotse fieldkeys``: the key file of the field-level encryption (init, rotate, retire, status).

The key file is named by ``LOTSE_FIELD_KEYS_FILE``; see docs/operations.md, section
"Schlüssel für die Feldverschlüsselung", for where it lives and how to back it up.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models
from django.utils.translation import gettext as _

from lotse.core import fieldcrypto, filecrypto

#: The uploads (``core.filecrypto``) in the listing of ``status``.
FILES_LABEL = "uploads"


def _column(model: type[models.Model], name: str) -> str:
    return f"{model._meta.label}.{name}"


class Command(BaseCommand):
    help = _(
        "Manage the keys of the field-level encryption: init, rotate, retire, status."
    )  # de: Schlüssel der Feldverschlüsselung verwalten: init, rotate, retire, status.

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        init = commands.add_parser(
            "init", help=_("Create the key file with one key.")
        )  # de: Schlüsseldatei mit einem Schlüssel anlegen.
        init.add_argument(
            "--if-missing",
            action="store_true",
            help=_("Do nothing if the key file exists."),  # de: Nichts tun, wenn es sie gibt.
        )
        rotate = commands.add_parser(
            "rotate", help=_("Add a new primary key and re-encrypt every value with it.")
        )  # de: Neuen Primärschlüssel hinzufügen und alle Werte damit neu verschlüsseln.
        rotate.add_argument(
            "--no-new-key",
            action="store_true",
            # de: Keinen neuen Schlüssel anlegen, nur die Neuverschlüsselung fortsetzen.
            help=_("Add no new key, only continue the re-encryption with the primary key."),
        )
        rotate.add_argument("--batch-size", type=int, default=500)
        retire = commands.add_parser(
            "retire", help=_("Remove an old key that no stored value uses any more.")
        )  # de: Alten Schlüssel entfernen, den kein gespeicherter Wert mehr nutzt.
        retire.add_argument("key_id")
        commands.add_parser(
            "status", help=_("Show the keys and how many values use each.")
        )  # de: Schlüssel und Anzahl der Werte je Schlüssel anzeigen.

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['subcommand']}")
        try:
            handler(**options)
        except fieldcrypto.FieldKeyError as error:  # missing or broken key file: no traceback
            raise CommandError(str(error)) from None

    # -- init -------------------------------------------------------------------------------

    def handle_init(self, *, if_missing: bool = False, **options: Any) -> None:
        path = fieldcrypto.configured_path()
        if not path:
            raise CommandError(
                # de: LOTSE_FIELD_KEYS_FILE ist nicht gesetzt: Pfad der Schlüsseldatei angeben.
                _("LOTSE_FIELD_KEYS_FILE is not set: name the path of the key file.")
            )
        if os.path.exists(path):
            if if_missing:
                fieldcrypto.read_key_file(path)  # an existing but broken file is an error
                return
            raise CommandError(
                # de: Die Schlüsseldatei %(path)s gibt es schon; sie wird nicht überschrieben.
                _("The key file %(path)s exists already; it is never overwritten.") % {"path": path}
            )
        ring = fieldcrypto.new_keyring(path)
        fieldcrypto.write_key_file(ring)
        self.stdout.write(
            # de: Schlüsseldatei %(path)s mit dem Schlüssel %(key)s angelegt (nur für den Eigentümer lesbar). Getrennt von der Datenbank sichern!
            _(
                "Created the key file %(path)s with the key %(key)s (readable by the owner "
                "only). Back it up separately from the database!"
            )
            % {"path": path, "key": ring.primary}
        )

    # -- rotate -----------------------------------------------------------------------------

    def handle_rotate(self, *, no_new_key: bool = False, batch_size: int = 500, **_o: Any) -> None:
        ring = fieldcrypto.keyring()
        if not no_new_key:
            ring = fieldcrypto.with_new_primary(ring)
            fieldcrypto.write_key_file(ring)
            self.stdout.write(
                # de: Neuer Primärschlüssel %(key)s in %(path)s.
                _("New primary key %(key)s in %(path)s.") % {"key": ring.primary, "path": ring.path}
            )
        total = 0

        def progress(model: type[models.Model], name: str, last_pk: Any, rewritten: int) -> None:
            self.stdout.write(
                # de: %(column)s: bis ID %(pk)s, %(count)s Werte neu verschlüsselt
                _("%(column)s: up to id %(pk)s, %(count)s values re-encrypted")
                % {"column": _column(model, name), "pk": last_pk, "count": rewritten}
            )

        for model, name in fieldcrypto.encrypted_columns():
            total += fieldcrypto.reencrypt_column(
                model, name, ring=ring, batch_size=max(1, batch_size), progress=progress
            )
        files = filecrypto.reencrypt_files(ring=ring)
        self.stdout.write(
            # de: Hochgeladene Dateien: %(count)s neu verschlüsselt
            _("Uploaded files: %(count)s re-encrypted") % {"count": files}
        )
        total += files
        self.stdout.write(
            # de: Fertig: %(count)s Werte mit dem Schlüssel %(key)s neu verschlüsselt.
            _("Done: %(count)s values re-encrypted with the key %(key)s.")
            % {"count": total, "key": ring.primary}
        )

    # -- retire -----------------------------------------------------------------------------

    def handle_retire(self, *, key_id: str, **options: Any) -> None:
        ring = fieldcrypto.keyring()
        if key_id not in ring.keys:
            raise CommandError(
                # de: Den Schlüssel %(key)s gibt es in %(path)s nicht.
                _("There is no key %(key)s in %(path)s.") % {"key": key_id, "path": ring.path}
            )
        if key_id == ring.primary:
            raise CommandError(
                # de: %(key)s ist der Primärschlüssel und kann nicht entfernt werden; erst „lotse fieldkeys rotate“.
                _(
                    "%(key)s is the primary key and cannot be retired; run "
                    "“lotse fieldkeys rotate” first."
                )
                % {"key": key_id}
            )
        in_use = filecrypto.file_counts_by_key().get(key_id, 0)
        for model, name in fieldcrypto.encrypted_columns():
            in_use += fieldcrypto.count_by_key(model, name).get(key_id, 0)
        if in_use:
            raise CommandError(
                # de: %(count)s gespeicherte Werte nutzen noch den Schlüssel %(key)s; er wird nicht entfernt. Erst „lotse fieldkeys rotate --no-new-key“.
                _(
                    "%(count)s stored values still use the key %(key)s; it is not retired. "
                    "Run “lotse fieldkeys rotate --no-new-key” first."
                )
                % {"count": in_use, "key": key_id}
            )
        fieldcrypto.write_key_file(fieldcrypto.without_key(ring, key_id))
        self.stdout.write(
            # de: Schlüssel %(key)s aus %(path)s entfernt.
            _("Retired the key %(key)s from %(path)s.") % {"key": key_id, "path": ring.path}
        )

    # -- status -----------------------------------------------------------------------------

    def handle_status(self, **options: Any) -> None:
        ring = fieldcrypto.keyring()
        # de: Schlüsseldatei: %(path)s
        self.stdout.write(_("Key file: %(path)s") % {"path": ring.path})
        totals: dict[str | None, int] = {}
        per_column = []
        for model, name in fieldcrypto.encrypted_columns():
            counts = fieldcrypto.count_by_key(model, name)
            per_column.append((_column(model, name), counts))
            for key_id, count in counts.items():
                totals[key_id] = totals.get(key_id, 0) + count
        file_counts = filecrypto.file_counts_by_key()
        per_column.append((FILES_LABEL, file_counts))
        for key_id, count in file_counts.items():
            totals[key_id] = totals.get(key_id, 0) + count
        for key_id in ring.keys:
            marker = _("primary") if key_id == ring.primary else ""  # de: Primärschlüssel
            self.stdout.write(
                # de: Schlüssel %(key)s (angelegt %(created)s) %(marker)s: %(count)s Werte
                _("Key %(key)s (created %(created)s) %(marker)s: %(count)s values")
                % {
                    "key": key_id,
                    "created": ring.created.get(key_id) or "?",
                    "marker": marker,
                    "count": totals.get(key_id, 0),
                }
            )
        unknown = {k: v for k, v in totals.items() if k is not None and k not in ring.keys}
        for key_id, count in unknown.items():
            self.stdout.write(
                # de: FEHLT: Schlüssel %(key)s, den %(count)s Werte brauchen, ist nicht in der Schlüsseldatei!
                _("MISSING: key %(key)s, needed by %(count)s values, is not in the key file!")
                % {"key": key_id, "count": count}
            )
        if totals.get(None):
            self.stdout.write(
                # de: Unverschlüsselt (Altbestand): %(count)s Werte – „lotse fieldkeys rotate --no-new-key“ verschlüsselt sie.
                _(
                    "Not encrypted (legacy): %(count)s values – "
                    "“lotse fieldkeys rotate --no-new-key” encrypts them."
                )
                % {"count": totals[None]}
            )
        for column, counts in per_column:
            parts = ", ".join(
                f"{key_id or _('plaintext')}: {count}"  # de: Klartext
                for key_id, count in sorted(counts.items(), key=lambda item: str(item[0]))
            )
            self.stdout.write(f"  {column}: {parts or '—'}")
        if unknown:
            raise CommandError(
                # de: Werte mit unbekanntem Schlüssel gefunden.
                _("Values with an unknown key found.")
            )
