"""Lotse makes no request to third parties at runtime: everything it serves is local.

Scans every served CSS/JS file and every template for absolute or protocol-relative URLs in
src=, href=, url(…) and @import. There is deliberately no allow-list. (data: URIs and SVG
namespace strings such as xmlns='http://www.w3.org/2000/svg' are not requests and pass.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lotse"

EXTERNAL_REFERENCE = re.compile(
    r"""(?ix)
    (?: \b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*
      | url\(\s*["']?\s*
      | @import\s+(?:url\(\s*)?["']?\s*
    )
    (?:https?:)?//
    """
)


def _served_files() -> list[Path]:
    files: list[Path] = []
    for pattern in ("*/static/**/*.css", "*/static/**/*.js", "*/templates/**/*.html"):
        files.extend(SRC.glob(pattern))
    return sorted(files)


def _external_references(text: str) -> list[str]:
    return [text[m.start() : m.end() + 60] for m in EXTERNAL_REFERENCE.finditer(text)]


def test_there_are_files_to_scan():
    names = {path.name for path in _served_files()}
    assert {"kern.min.css", "fira-sans.css", "htmx.min.js", "base.html"} <= names


@pytest.mark.parametrize("path", _served_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_external_urls(path):
    found = _external_references(path.read_text(encoding="utf-8", errors="replace"))
    assert not found, f"{path.relative_to(SRC)} refers to external URLs: {found[:5]}"


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.org/x.js"></script>',
        "<link href='http://fonts.example.org/css' rel=stylesheet>",
        "<img src=//tracker.example.org/p.gif>",
        '@font-face { src: url("https://fonts.example.org/a.woff2") }',
        "@import url(//cdn.example.org/kern.css);",
        '@import "https://cdn.example.org/kern.css";',
    ],
)
def test_scanner_catches_external_references(snippet):
    assert _external_references(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<a href=\"{% url 'home' %}\">",
        "mask:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E\")",
        'src: url("./fira-sans/FiraSans-Regular.woff2")',
        '<a href="mailto:barrierefreiheit@example.org">',
    ],
)
def test_scanner_lets_local_references_pass(snippet):
    assert not _external_references(snippet)


#: Templates rendered to PDF on the server (WeasyPrint) never reach a browser, so the CSP
#: does not apply to them; everything served as a page is checked.
TEMPLATES = sorted(
    path for path in SRC.glob("*/templates/**/*.html") if "/pdf/" not in path.as_posix()
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_or_style(path):
    """A strict Content-Security-Policy will forbid inline script and style attributes."""
    text = re.sub(
        r"{% comment %}.*?{% endcomment %}|{#.*?#}", "", path.read_text("utf-8"), flags=re.S
    )
    inline_scripts = [m.group(0) for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
    style_attributes = re.findall(r"\sstyle\s*=", text)
    event_handlers = re.findall(r"\son[a-z]+\s*=\s*[\"']", text)
    assert not inline_scripts, f"inline <script> in {path.name}: {inline_scripts}"
    assert not style_attributes, f"style= attribute in {path.name}"
    assert not event_handlers, f"inline event handler in {path.name}: {event_handlers}"
