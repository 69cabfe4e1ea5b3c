"""``lotse applyretention [--dry-run] [--date YYYY-MM-DD] [--traeger SLUG]``."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lotse.retention.jobs import apply_retention
from lotse.tenancy.models import Traeger


class Command(BaseCommand):
    help = (
        "Apply the retention rules of every Träger: erase persons, closed cases, ended consents "
        "and import jobs past their period (legal holds and restrictions are kept). A second "
        "run changes nothing. --dry-run lists what would be erased and writes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only, write nothing.")
        parser.add_argument("--date", help="Reference day (YYYY-MM-DD), default today.")
        parser.add_argument("--traeger", help="Only this Träger (its key/slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"invalid --date: {options['date']}") from error
        traeger = None
        if options["traeger"]:
            traeger = Traeger.objects.filter(slug=options["traeger"]).first()
            if traeger is None:
                raise CommandError(f"unknown Träger: {options['traeger']}")
        report = apply_retention(today=today, dry_run=options["dry_run"], traeger=traeger)
        verb = "would erase" if report.dry_run else "erased"
        for slug, reports in report.per_traeger.items():
            for r in reports:
                count = len(r.candidates) if report.dry_run else r.deleted
                self.stdout.write(
                    f"{slug} {r.record_type}: {verb} {count} "
                    f"(period {r.period_months} months, before {r.cutoff:%Y-%m-%d}; "
                    f"kept by hold or restriction: {r.skipped})"
                )
                if report.dry_run:
                    for candidate in r.candidates:
                        reference = (
                            f"{candidate.reference:%Y-%m-%d}" if candidate.reference else "-"
                        )
                        self.stdout.write(f"  {r.record_type} #{candidate.object_id} ({reference})")
        self.stdout.write(f"run {report.run_id}: {report.deleted} erased")
