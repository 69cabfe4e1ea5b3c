"""``lotse verifyaudit``: check the hash chains of the access log; non-zero exit on a break.

Besides the chains themselves it checks them against the newest signed checkpoint of each chain
(``lotse auditcheckpoint``), which is kept outside the database: a chain recomputed after a
change, or rewound after deleting the newest entries, verifies on its own but not against the
checkpoint.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.audit import chain, checkpoints
from lotse.audit.models import AuditEntry
from lotse.audit.signing import SigningKey, SigningKeyError

PROBLEMS = {
    "altered": _("altered"),
    "inserted": _("inserted"),
    "removed": _("removed"),
}


def checkpoint_message(problem: checkpoints.CheckpointProblem, key_error: str) -> str:
    pinned = problem.checkpoint
    values = {
        "chain": problem.chain,
        "line": problem.line,
        "count": pinned.count if pinned else "—",
        "time": pinned.created_at if pinned else "—",
        "key": pinned.key_id if pinned else "—",
    }
    if problem.problem == "rewound":
        return (
            _(
                "Chain %(chain)s has fewer entries than its checkpoint of %(time)s "
                "(%(count)s): the newest entries were deleted and the chain rewound."
            )
            % values
        )
    if problem.problem == "recomputed":
        return (
            _(
                "Chain %(chain)s: entry no. %(count)s no longer has the hash of the checkpoint "
                "of %(time)s: the chain was changed and recomputed."
            )
            % values
        )
    if problem.problem == "signature":
        return (
            _(
                "Checkpoint file line %(line)s (chain %(chain)s): the signature is invalid; the "
                "checkpoint file was changed."
            )
            % values
        )
    if problem.problem == "no_key":
        return _(
            "Checkpoint file line %(line)s (chain %(chain)s) is signed with the key "
            "%(key)s, which is not available: %(error)s"
        ) % {**values, "error": key_error or _("another key is configured.")}
    return _("Checkpoint file line %(line)s is not a valid checkpoint.") % values


class Command(BaseCommand):
    help = _("Verify the tamper-evident hash chain of the access log.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint-file",
            default="",
            help=_(
                "Check against this checkpoint file (e.g. the copy kept by the data protection "
                "officer) instead of LOTSE_AUDIT_CHECKPOINT_FILE."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chain.link_pending()  # entries written since the scheduler's last round
        breaks = list(chain.verify())
        total = AuditEntry.objects.count()
        key: SigningKey | None = None
        key_error = ""
        try:
            key = checkpoints.signing_key()
        except SigningKeyError as error:
            key_error = str(error)
        path = options.get("checkpoint_file") or checkpoints.checkpoint_path()
        pinned = checkpoints.read_checkpoints(path, key)
        problems = pinned.problems + checkpoints.compare_with_database(pinned.latest.values())
        for found in breaks:
            self.stderr.write(
                _("Chain %(chain)s: entry no. %(sequence)s (id %(id)s) was %(problem)s.")
                % {
                    "chain": found.chain,
                    "sequence": found.sequence,
                    "id": found.entry_id if found.entry_id is not None else "—",
                    "problem": PROBLEMS[found.problem],
                }
            )
        for problem in problems:
            self.stderr.write(checkpoint_message(problem, key_error))
        if breaks or problems:
            raise CommandError(_("The access log is not intact."))
        if pinned.lines:
            self.stdout.write(
                _("Checked against %(count)s signed checkpoints (%(path)s).")
                % {"count": len(pinned.latest), "path": path}
            )
        else:
            self.stdout.write(
                _(
                    "No checkpoints in %(path)s yet: only the chains themselves were checked "
                    "(“lotse auditcheckpoint” writes them daily)."
                )
                % {"path": path}
            )
        self.stdout.write(_("Access log intact: %(count)s entries verified.") % {"count": total})
