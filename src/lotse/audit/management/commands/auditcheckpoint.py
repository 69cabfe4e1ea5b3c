"""``lotse auditcheckpoint [init [--if-missing] | publickey]``: signed checkpoints of the access log.

Without a subcommand it writes a checkpoint of every chain (``lotse.audit.checkpoints``);
``init`` creates the signing key file (``LOTSE_AUDIT_SIGNING_KEY_FILE``), ``publickey`` prints
the public key for the data protection officer. See docs/operations.md, "Prüfpunkte des
Zugriffsprotokolls".
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.audit import checkpoints
from lotse.audit.signing import SigningKeyError, create_signing_key_file, read_signing_key


class Command(BaseCommand):
    help = _("Write a signed checkpoint of every chain of the access log (init: create the key).")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=False)
        init = commands.add_parser("init", help=_("Create the signing key file."))
        init.add_argument(
            "--if-missing",
            action="store_true",
            help=_("Do nothing if the key file exists."),
        )
        commands.add_parser("publickey", help=_("Print the public key and its id."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options.get("subcommand") == "init":
                self.handle_init(if_missing=options["if_missing"])
            elif options.get("subcommand") == "publickey":
                key = checkpoints.signing_key()
                self.stdout.write(f"{key.key_id} {key.public_b64}")
            else:
                self.handle_write()
        except SigningKeyError as error:
            raise CommandError(str(error)) from None

    def handle_init(self, *, if_missing: bool) -> None:
        path = checkpoints.signing_key_path()
        if not path:
            raise CommandError(
                _("LOTSE_AUDIT_SIGNING_KEY_FILE is not set: name the path of the key file.")
            )
        if os.path.exists(path):
            if if_missing:
                read_signing_key(path)  # an existing but broken file is an error
                return
            raise CommandError(
                _("The key file %(path)s exists already; it is never overwritten.") % {"path": path}
            )
        key = create_signing_key_file(path)
        self.stdout.write(
            _(
                "Created the signing key file %(path)s with the key %(key)s (readable by the "
                "owner only). Back it up separately from the database!"
            )
            % {"path": path, "key": key.key_id}
        )

    def handle_write(self) -> None:
        run = checkpoints.write_checkpoints()
        for checkpoint in run.written:
            self.stdout.write(
                _("Checkpoint of chain %(chain)s: %(count)s entries, newest %(hash)s.")
                % {
                    "chain": checkpoint.chain,
                    "count": checkpoint.count,
                    "hash": checkpoint.head_hash[:16],
                }
            )
        if run.refused or run.problems or run.breaks:
            raise CommandError(
                _(
                    "No checkpoint for %(chains)s: the access log is not intact. Run “lotse "
                    "verifyaudit” and follow docs/operations.md."
                )
                % {"chains": ", ".join(run.refused) or "—"}
            )
        self.stdout.write(
            _("%(count)s checkpoints written to %(path)s, %(mails)s mails sent.")
            % {
                "count": len(run.written),
                "path": checkpoints.checkpoint_path(),
                "mails": run.mails,
            }
        )
