"""The bilingual print-outs of this app: the consent form and the Art. 13 information sheet.

Both use the machinery of the Integrationsvereinbarung: its languages, fonts, right-to-left
handling, the "unverified translation" marker and the WeasyPrint renderer
(:func:`lotse.agreements.pdf.html_to_pdf`). The same body template is shown as a web page (with
``consent/document.css`` as a static file) and rendered into the PDF (the same CSS as text).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from lotse.agreements.pdf import bilingual_labels, html_to_pdf
from lotse.agreements.texts import SOURCE, DocumentLanguage
from lotse.consent.models import Category, Consent
from lotse.consent.notice_texts import NOTICE_TEXTS
from lotse.consent.selectors import NoticeParties
from lotse.consent.texts import CONSENT_TEXTS

STYLESHEET = Path(__file__).resolve().parent / "static" / "consent" / "document.css"


@functools.cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def consent_language(consent: Consent) -> DocumentLanguage:
    """The client-side language of the form; German only for a language without a template."""
    return CONSENT_TEXTS.language(consent.language) or CONSENT_TEXTS.source_language()


def qr_code(text: str) -> SafeString:
    """The document ID as a QR code (inline SVG), so a scanner can file the signed copy."""
    svg = segno.make(text, error="m").svg_inline(scale=2)  # paths only, no script or style
    return format_html(
        '<span class="lotse-doc__qr" role="img" aria-label="QR: {}">{}</span>',
        text,
        mark_safe(svg),  # noqa: S308
    )


def _base(language: DocumentLanguage, source: dict[str, str]) -> dict[str, Any]:
    bilingual = language.code != SOURCE.code
    own = {key: language.texts[key] for key in source}
    return {
        "language": language,
        "bilingual": bilingual,
        "unverified": bilingual and not language.approved,
        "t": bilingual_labels(source, own),
    }


def consent_context(consent: Consent) -> dict[str, Any]:
    language = consent_language(consent)
    context = _base(language, CONSENT_TEXTS.source_language().texts)
    labels = context["t"]
    context.update(
        {
            "consent": consent,
            "person": consent.person,
            "recipients": list(consent.recipients.all()),
            "categories": [
                labels[f"cat_{value}"] for value in consent.categories if value in Category.values
            ],
            "purpose_note": labels[
                "purpose_explained" if consent.interpreter else "purpose_translate"
            ],
            "text_version": CONSENT_TEXTS.version,
            "version_differs": consent.text_version != CONSENT_TEXTS.version,
            "language_missing": consent.language != language.code,
            "qr": qr_code(consent.document_id),
        }
    )
    return context


def notice_context(traeger: Any, parties: NoticeParties, code: str) -> dict[str, Any]:
    language = NOTICE_TEXTS.language(code)
    if language is None:
        raise ValueError(code)
    context = _base(language, NOTICE_TEXTS.source_language().texts)
    years = parties.retention_years
    retention = context["t"]["retention"]
    context.update(
        {
            "traeger": traeger,
            "parties": parties,
            "retention": {
                "de": retention["de"].format(years=years),
                "tr": retention["tr"].format(years=years),
            },
            "text_version": NOTICE_TEXTS.version,
        }
    )
    return context


def _footer_css(*parts: str) -> str:
    text = " · ".join(part.replace('"', "'") for part in parts if part)
    return f'@page {{ @bottom-left {{ content: "{text}"; }} }}'


def _standalone(body_template: str, title: str, context: dict[str, Any]) -> str:
    return render_to_string(
        "consent/documents/standalone.html",
        {**context, "body_template": body_template, "title": title},
    )


def consent_pdf(consent: Consent) -> bytes:
    context = consent_context(consent)
    t = context["t"]
    html = _standalone("consent/documents/consent_body.html", t["title"]["de"], context)
    footer = _footer_css(
        f"{t['document_id']['de']} {consent.document_id}",
        f"{t['text_version']['de']} {CONSENT_TEXTS.version}",
        t["unverified_short"]["de"] if context["unverified"] else "",
    )
    return html_to_pdf(html, _stylesheet() + "\n" + footer)


def notice_pdf(traeger: Any, parties: NoticeParties, code: str) -> bytes:
    context = notice_context(traeger, parties, code)
    t = context["t"]
    html = _standalone("consent/documents/notice_body.html", t["title"]["de"], context)
    footer = _footer_css(
        traeger.name,
        f"{t['text_version']['de']} {NOTICE_TEXTS.version}",
        t["unverified_short"]["de"] if context["unverified"] else "",
    )
    return html_to_pdf(html, _stylesheet() + "\n" + footer)
