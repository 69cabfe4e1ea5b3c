"""The bilingual print-out of an Integrationsvereinbarung (German + the client's language).

WeasyPrint lays the document out with Pango and HarfBuzz, which shape Arabic script and Ge'ez
correctly when the font has the glyphs. The fonts ship with the app (``agreements/fonts``) and
are the only files the renderer may load: any other URL is refused, so rendering never touches
the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from lotse.agreements.models import Agreement, Responsible
from lotse.agreements.texts import SOURCE, DocumentLanguage

FONT_DIR = Path(__file__).resolve().parent / "fonts"


class LocalFilesOnly(ValueError):
    """A URL other than a shipped font file was requested while rendering."""


class FontFilesOnlyFetcher(URLFetcher):
    """Serves the shipped font files and nothing else (no network, no other local file)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",))

    def fetch(self, url: str, headers: Any = None) -> Any:
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not url.startswith("file:") or FONT_DIR not in path.parents:
            raise LocalFilesOnly(url)
        return super().fetch(url, headers)


def _label(key: str, language: DocumentLanguage) -> dict[str, str]:
    return {"de": SOURCE.texts[key], "tr": language.texts[key]}


def document_context(agreement: Agreement, language: DocumentLanguage) -> dict[str, Any]:
    """Everything the template prints; fixed texts as ``{"de": …, "tr": …}`` pairs."""
    bilingual = language.code != SOURCE.code
    labels = {key: _label(key, language) for key in SOURCE.texts}
    responsible_key = {
        Responsible.CLIENT: "responsible_client",
        Responsible.CASE_MANAGER: "responsible_case_manager",
        Responsible.ORGANISATION: "responsible_organisation",
    }
    goals = [
        {
            "goal": goal,
            "responsible": labels[responsible_key[Responsible(goal.responsible)]],
        }
        for goal in agreement.goals.all()
    ]
    return {
        "agreement": agreement,
        "case": agreement.case,
        "person": agreement.case.person,
        "language": language,
        "bilingual": bilingual,
        "unverified": bilingual and not language.approved,
        "t": labels,
        "status_label": labels[f"status_{agreement.status}"],
        "signed": labels["yes" if agreement.signed_by_client else "no"],
        "goals": goals,
        "font_dir": FONT_DIR.as_uri(),
    }


def render_html(agreement: Agreement, language: DocumentLanguage) -> str:
    return render_to_string("agreements/pdf/agreement.html", document_context(agreement, language))


def render_pdf(agreement: Agreement, language: DocumentLanguage) -> bytes:
    fonts = FontConfiguration()
    document = HTML(
        string=render_html(agreement, language),
        base_url=FONT_DIR.as_uri() + "/",
        url_fetcher=FontFilesOnlyFetcher(),
    )
    pdf = document.write_pdf(font_config=fonts)
    if pdf is None:  # only when a target file is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
