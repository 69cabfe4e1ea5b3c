"""The bilingual print-out of an Integrationsvereinbarung (German + the client's language).

WeasyPrint lays the document out with Pango and HarfBuzz, which shape Arabic script and Ge'ez
correctly when the font has the glyphs. The fonts ship with the app (``agreements/fonts``) and
are the only files the renderer may load: any other URL is refused, so rendering never touches
the network.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lotse.agreements import textlayer
from lotse.agreements.models import Agreement, Responsible
from lotse.agreements.texts import SOURCE, DocumentLanguage

FONT_DIR = Path(__file__).resolve().parent / "fonts"

#: The text layer of shaped scripts (Arabic, Farsi) reads back as the words shown.
textlayer.install()


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
        if path.suffix == ".woff2":
            return URLFetcherResponse(url, body=_decompressed_font(path))
        return super().fetch(url, headers)


@functools.cache
def _decompressed_font(path: Path) -> bytes:
    """WOFF2 → SFNT once per process; WeasyPrint would otherwise decompress on every render."""
    from fontTools.ttLib import woff2

    output = io.BytesIO()
    with path.open("rb") as source:
        woff2.decompress(source, output)
    return output.getvalue()


@dataclass(frozen=True)
class FontSubset:
    """One shipped WOFF2 subset: a family name for the CSS and the code points it covers."""

    family: str
    file_stem: str
    ranges: tuple[tuple[int, int], ...]
    always: bool = False

    def needed_for(self, text: str) -> bool:
        return self.always or any(
            any(start <= ord(char) <= end for start, end in self.ranges) for char in set(text)
        )


#: In fallback order. Each document loads only the subsets its text needs: loading a font costs
#: far more than laying out the page.
FONT_SUBSETS = (
    FontSubset("Lotse Latin", "noto-sans-latin", ((0x0000, 0x00FF),), always=True),
    FontSubset("Lotse Latin Ext", "noto-sans-latin-ext", ((0x0100, 0x02FF), (0x1E00, 0x1EFF))),
    FontSubset("Lotse Cyrillic", "noto-sans-cyrillic", ((0x0400, 0x045F), (0x0490, 0x0491))),
    FontSubset("Lotse Cyrillic Ext", "noto-sans-cyrillic-ext", ((0x0460, 0x052F),)),
    FontSubset(
        "Lotse Arabic",
        "noto-sans-arabic-arabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    FontSubset(
        "Lotse Ethiopic",
        "noto-sans-ethiopic-ethiopic",
        ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    ),
)


def font_css(text: str) -> str:
    """``@font-face`` rules for the subsets ``text`` needs, and the font stack using them."""
    subsets = [subset for subset in FONT_SUBSETS if subset.needed_for(text)]
    faces = [
        f'@font-face {{ font-family: "{subset.family}"; font-weight: {weight}; '
        f'src: url("{subset.file_stem}-{weight}-normal.woff2") format("woff2"); }}'
        for subset in subsets
        for weight in (400, 700)
    ]
    stack = ", ".join(f'"{subset.family}"' for subset in subsets)
    return "\n".join([*faces, f"html {{ font-family: {stack}; }}"])


def bilingual_labels(
    source: dict[str, str], translated: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Fixed texts as ``{key: {"de": …, "tr": …}}`` pairs (German source, client language)."""
    return {key: {"de": text, "tr": translated[key]} for key, text in source.items()}


def document_context(agreement: Agreement, language: DocumentLanguage) -> dict[str, Any]:
    """Everything the template prints; fixed texts as ``{"de": …, "tr": …}`` pairs."""
    bilingual = language.code != SOURCE.code
    labels = bilingual_labels(SOURCE.texts, language.texts)
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
    }


def render_html(agreement: Agreement, language: DocumentLanguage) -> str:
    return render_to_string("agreements/pdf/agreement.html", document_context(agreement, language))


def render_pdf(agreement: Agreement, language: DocumentLanguage) -> bytes:
    return html_to_pdf(render_html(agreement, language))


def html_to_pdf(html: str, extra_css: str = "") -> bytes:
    """Any bilingual print-out (agreement, consent form, information sheet) as PDF.

    Loads only the shipped font subsets the text needs; ``extra_css`` is a stylesheet given as
    text (the renderer fetches no other file).
    """
    fonts = FontConfiguration()
    fetcher = FontFilesOnlyFetcher()
    base_url = FONT_DIR.as_uri() + "/"
    stylesheet = CSS(
        string=font_css(html), base_url=base_url, url_fetcher=fetcher, font_config=fonts
    )
    stylesheets = [stylesheet]
    if extra_css:
        stylesheets.append(
            CSS(string=extra_css, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
        )
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    # Tagged (PDF/UA-1): structure, reading order and the languages (``<html lang>`` and the
    # ``lang`` of each part) for screen readers.
    pdf = document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1")
    if pdf is None:  # only when a target file is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
