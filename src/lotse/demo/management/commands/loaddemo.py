"""``lotse loaddemo``: Kreis Lippe configuration, demo users and a fictitious caseload."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.demo.region import DemoConfigMissing
from lotse.demo.services import DEFAULT_CONFIG, DemoRefused, demo_load


class Command(BaseCommand):
    # de: Lädt die Konfiguration des Kreises Lippe, Demo-Benutzer:innen (Passwort „demo“) und
    # de: einen fiktiven Fallbestand. Mehrfaches Ausführen legt nichts doppelt an.
    help = _(
        "Load the Kreis Lippe configuration, demo users (password “demo”) and a fictitious "
        "caseload. Running it again creates no duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # de: Startwert des Zufallsgenerators; derselbe Wert ergibt dieselben Daten
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help=_("random seed; the same seed yields the same data"),
        )
        # de: offene Fälle der Stelle der Demo-Case-Managerin (andere Stellen ähnlich viele)
        parser.add_argument(
            "--size",
            type=int,
            default=100,
            help=_("open cases of the demo case manager's post (other posts about as many)"),
        )
        # de: Konfigurationsdatei
        parser.add_argument("--config", default=str(DEFAULT_CONFIG), help=_("configuration file"))

    def handle(self, *args: Any, **options: Any) -> None:
        if not (
            settings.DEBUG
            or getattr(settings, "DEMO", False)
            or getattr(settings, "TESTING", False)
        ):
            raise CommandError(
                # de: Demodaten mit dem Passwort „demo“ werden nur mit LOTSE_DEBUG=1 oder
                # de: LOTSE_DEMO=1 geladen, nie im Produktivbetrieb.
                _(
                    "Demo data with the password “demo” is only loaded with LOTSE_DEBUG=1 or "
                    "LOTSE_DEMO=1, never in production."
                )
            )
        if options["size"] < 1:
            # de: --size muss mindestens 1 sein.
            raise CommandError(_("--size must be at least 1."))
        from lotse.directory.config import ConfigError

        try:
            report = demo_load(
                seed=options["seed"], size=options["size"], config_path=options["config"]
            )
        except ConfigError as exc:
            raise CommandError(exc.render(), returncode=2) from exc
        except (DemoConfigMissing, DemoRefused) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(report.as_text())
        from lotse.demo.extras import demo_extras

        for line in demo_extras():
            self.stdout.write(line)
