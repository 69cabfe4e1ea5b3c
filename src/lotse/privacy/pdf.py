"""The Art. 15 export as a readable German PDF (fonts and renderer of the agreements PDF)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from lotse.agreements.pdf import FONT_DIR, FontFilesOnlyFetcher, font_css
from lotse.privacy.export import Export


def _when(iso: str) -> str:
    return timezone.localtime(dt.datetime.fromisoformat(iso)).strftime("%d.%m.%Y %H:%M")


def render_html(export: Export) -> str:
    transfers = [{**t, "when": _when(t["transferred_at"])} for t in export.transfers]
    access_report = [{**e, "when": _when(e["occurred_at"])} for e in export.access_report]
    return render_to_string(
        "privacy/pdf/export.html",
        {"export": export, "transfers": transfers, "access_report": access_report},
    )


def render_pdf(export: Export) -> bytes:
    html = render_html(export)
    fonts = FontConfiguration()
    fetcher = FontFilesOnlyFetcher()
    base_url = FONT_DIR.as_uri() + "/"
    stylesheet = CSS(
        string=font_css(html), base_url=base_url, url_fetcher=fetcher, font_config=fonts
    )
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    if pdf is None:  # only when a target file is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
