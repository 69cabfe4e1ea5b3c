"""``lotse verifyaudit``: check the hash chains of the access log; non-zero exit on a break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lotse.audit import chain
from lotse.audit.models import AuditEntry

PROBLEMS = {
    # de: verändert
    "altered": _("altered"),
    # de: eingefügt
    "inserted": _("inserted"),
    # de: entfernt
    "removed": _("removed"),
}


class Command(BaseCommand):
    help = _("Verify the tamper-evident hash chain of the access log.")

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = list(chain.verify())
        total = AuditEntry.objects.count()
        if not breaks:
            # de: Zugriffsprotokoll unversehrt: %(count)s Einträge geprüft.
            self.stdout.write(
                _("Access log intact: %(count)s entries verified.") % {"count": total}
            )
            return
        for found in breaks:
            self.stderr.write(
                # de: Kette %(chain)s: Eintrag Nr. %(sequence)s (ID %(id)s) wurde %(problem)s.
                _("Chain %(chain)s: entry no. %(sequence)s (id %(id)s) was %(problem)s.")
                % {
                    "chain": found.chain,
                    "sequence": found.sequence,
                    "id": found.entry_id if found.entry_id is not None else "—",
                    "problem": PROBLEMS[found.problem],
                }
            )
        # de: Das Zugriffsprotokoll ist nicht unversehrt.
        raise CommandError(_("The access log is not intact."))
