"""``lotse synth``: a synthetic NRW (54 Träger, ten years) for benchmarks, through COPY."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.demo.synth.generator import Synth
from lotse.demo.synth.nrw import SIZES, TRAEGER, persons_per_traeger
from lotse.tenancy.models import Traeger


def _size(value: str) -> int:
    if value in SIZES:
        return SIZES[value]
    try:
        persons = int(value.replace("_", ""))
    except ValueError:
        raise CommandError(
            _("--size is kreis, nrw, stress or a number of persons, not “%(value)s”.")
            % {"value": value}
        ) from None
    if persons < 1:
        raise CommandError(_("--size must be at least 1."))
    return persons


class Command(BaseCommand):
    help = _(
        "Generate a synthetic North Rhine-Westphalia (54 Träger, ten years of cases) in an "
        "empty PostgreSQL database, for benchmarks (docs/performance.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            default="kreis",
            help=_(
                "persons in the state: kreis (50,000), nrw (3.3 million), stress (10 million) "
                "or a number"
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help=_("random seed; the same seed yields the same data"),
        )
        parser.add_argument(
            "--traeger",
            type=int,
            default=len(TRAEGER),
            help=_("only the first N Träger (largest first; default all 54)"),
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help=_(
                "reference date (YYYY-MM-DD, default today); the same date yields the same data"
            ),
        )
        parser.add_argument(
            "--config-dir",
            default=str(Path(settings.PROJECT_DIR) / "config"),
            help=_("folder with kreis-lippe.yaml and kreis-lippe-angebote.yaml"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "lotse synth needs PostgreSQL (it writes through COPY); set DATABASE_URL to "
                    "an empty PostgreSQL database."
                )
            )
        if Traeger.objects.exists():
            raise CommandError(
                _(
                    "lotse synth needs an empty database (after “lotse migrate”); this one already "
                    "holds Träger."
                )
            )
        total = _size(options["size"])
        count = options["traeger"]
        if not 1 <= count <= len(TRAEGER):
            raise CommandError(_("--traeger must be between 1 and 54."))
        specs = TRAEGER[:count]
        counts = persons_per_traeger(total, specs)
        if min(counts) < 1:
            raise CommandError(_("--size is too small for this many Träger."))
        synth = Synth(
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
            config_dir=Path(options["config_dir"]),
            log=lambda line: self.stdout.write(line),
        )
        report = synth.run(list(zip(specs, counts, strict=True)))
        for line in report.lines():
            self.stdout.write(line)
