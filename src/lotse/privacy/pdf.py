"""The Art. 15 export as a readable German PDF (fonts and renderer of the agreements PDF)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from lotse.agreements.pdf import html_to_pdf
from lotse.privacy.export import Export


def _when(iso: str) -> str:
    return timezone.localtime(dt.datetime.fromisoformat(iso)).strftime("%d.%m.%Y %H:%M")


def render_html(export: Export) -> str:
    transfers = [{**t, "when": _when(t["transferred_at"])} for t in export.transfers]
    access_report = [{**e, "when": _when(e["occurred_at"])} for e in export.access_report]
    return render_to_string(
        "privacy/pdf/export.html",
        {
            "export": export,
            "transfers": transfers,
            "access_report": access_report,
            "date_of_birth": (
                dt.date.fromisoformat(export.person["date_of_birth"])
                if export.person.get("date_of_birth")
                else None
            ),
        },
    )


def render_pdf(export: Export) -> bytes:
    """The export as a tagged PDF (PDF/UA-1, ``/Lang de``) with the shipped fonts."""
    return html_to_pdf(render_html(export))
