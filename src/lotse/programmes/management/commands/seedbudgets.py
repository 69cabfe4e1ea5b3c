"""Seed the Bausteine budgets of a participation programme from its total budget.

The seed documents (002, chapter 5.3.1) give only the total — about 900,000 € for measures of
"Durchstarten in Ausbildung und Arbeit" until the end of 2022 — and say Baustein 1 (coaching)
is the focus ("Schwerpunkt der beantragten Maßnahmenförderung"). They give no split. The default
shares below are an EXAMPLE, not Kreis Lippe's figures: Baustein 1 50 %, 2 15 %, 3 15 %, 4 20 %,
spread evenly over the given years. Existing budgets are never overwritten (team leads maintain
them on the "Budgets" page), so a second run changes nothing.

    lotse seedbudgets --traeger kreis-lippe --programme durchstarten --years 2021 2022
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lotse.directory.models import Programme
from lotse.programmes.models import ModuleBudget
from lotse.tenancy.models import Traeger

EXAMPLE_SHARES = {1: 50, 2: 15, 3: 15, 4: 20}


class Command(BaseCommand):
    help = "Seed example budgets per Baustein from the programme's total budget (never overwrites)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--traeger", required=True, help="slug of the Träger")
        parser.add_argument("--programme", default="durchstarten", help="key of the programme")
        parser.add_argument("--years", nargs="+", type=int, required=True)
        parser.add_argument(
            "--shares",
            default="",
            help="per Baustein percent, e.g. 1=50,2=15,3=15,4=20 (default: the example split)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        traeger = Traeger.objects.filter(slug=options["traeger"]).first()
        if traeger is None:
            raise CommandError(f"Unknown Träger {options['traeger']!r}")
        programme = Programme.objects.filter(traeger=traeger, key=options["programme"]).first()
        if programme is None or not programme.budget_cents:
            raise CommandError("Programme not found or without budget_cents")
        shares = dict(EXAMPLE_SHARES)
        if options["shares"]:
            shares = {
                int(k): int(v) for k, v in (p.split("=") for p in options["shares"].split(","))
            }
        if sum(shares.values()) != 100:
            raise CommandError("The shares must add up to 100")
        years = sorted(set(options["years"]))
        created = 0
        for module in programme.modules.order_by("number"):
            share = shares.get(module.number, 0)
            total = programme.budget_cents * share // 100
            for index, year in enumerate(years):
                amount = total // len(years) + (total % len(years) if index == 0 else 0)
                _budget, made = ModuleBudget.objects.get_or_create(
                    traeger=traeger,
                    module=module,
                    year=year,
                    defaults={"amount_cents": amount, "note": "Beispielaufteilung (seedbudgets)"},
                )
                created += int(made)
        self.stdout.write(f"{created} budgets created")
