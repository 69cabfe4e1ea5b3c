"""Reading a rendered PDF back as a client's tools would: its text layer and its tagging.

Two independent extractors: pypdf (Python, ToUnicode only) and poppler's ``pdftotext`` (what
PDF viewers on Linux copy). Both must give back the source text in logical order; only
whitespace is normalised (line breaks become spaces).

Known limits of the extractors, not of the PDF (the ToUnicode map carries each cluster's text in
logical order): both reorder a right-to-left line by their own bidi rules, so punctuation at the
end of a wrapped RTL line can land at the other end; long paragraphs are therefore compared word
by word (:func:`missing_words`). ``pdftotext`` wraps RTL lines in bidi embedding marks and
reverses the characters of one glyph's text, which moves a combining mark (ً, ّ) or a
zero-width non-joiner one letter, and it joins a word hyphenated at the end of a line
("кейс-" + "менеджменті"); for it those format and mark characters and hyphens are left out on
both sides. pypdf is compared without that allowance.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from pypdf import PdfReader

_FORMAT_CHARS = re.compile("[\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKS = re.compile("[\u064b-\u065f\u0670]")  # Arabic harakat (combining marks)
_WORD = re.compile(r"[^\W_]+")


def _poppler_form(text: str) -> str:
    return flat(_MARKS.sub("", _FORMAT_CHARS.sub("", text)).replace("-", ""))


def flat(text: str) -> str:
    return " ".join(text.split())


def pypdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def poppler_text(pdf: bytes) -> str:
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext fehlt: bash scripts/ensure-pdf-deps.sh (poppler-utils)"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(  # noqa: S603 - fixed executable, our own file
            [executable, "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
    return _poppler_form(result.stdout)


def missing_phrases(pdf: bytes, phrases: list[str]) -> dict[str, list[str]]:
    """``{extractor: [phrases not found]}``; empty lists when the text layer is right."""
    by_pypdf = pypdf_text(pdf)
    by_poppler = poppler_text(pdf)
    return {
        "pypdf": [phrase for phrase in phrases if flat(phrase) not in by_pypdf],
        "pdftotext": [phrase for phrase in phrases if _poppler_form(phrase) not in by_poppler],
    }


def _words(text: str) -> list[str]:
    """The words of ``text`` without combining marks (whose place the extractors disagree on)."""
    bare = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return _WORD.findall(_FORMAT_CHARS.sub("", bare))


def missing_words(pdf: bytes, paragraphs: list[str]) -> dict[str, list[str]]:
    """``{extractor: [words of the paragraphs not read back as a whole word]}``.

    Words are compared without combining marks (harakat, hamza above): within one glyph's text
    the extractors put a mark before or after its letter by their own rules.
    """
    found = {
        "pypdf": Counter(_words(pypdf_text(pdf))),
        "pdftotext": Counter(_words(poppler_text(pdf))),
    }
    wanted = {
        "pypdf": Counter(word for text in paragraphs for word in _words(flat(text))),
        "pdftotext": Counter(word for text in paragraphs for word in _words(_poppler_form(text))),
    }
    return {
        name: sorted(word for word, count in wanted[name].items() if found[name][word] < count)
        for name in found
    }


def catalog(pdf: bytes) -> dict[str, object]:
    """The document catalog's /MarkInfo /Marked and /Lang, as pypdf reads them."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    mark_info = root.get("/MarkInfo") or {}
    return {
        "marked": bool(mark_info.get("/Marked")),
        "languages": sorted(_languages(root.get("/StructTreeRoot"))),
        "lang": str(root.get("/Lang", "")),
        "struct_tree": "/StructTreeRoot" in root,
    }


def pdfinfo(pdf: bytes) -> str:
    executable = shutil.which("pdfinfo")
    assert executable, "pdfinfo fehlt: bash scripts/ensure-pdf-deps.sh (poppler-utils)"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(  # noqa: S603 - fixed executable, our own file
            [executable, str(path)], capture_output=True, text=True, check=True
        ).stdout


def _languages(node: object, seen: set[int] | None = None) -> set[str]:
    """Every /Lang in the structure tree (the languages a screen reader switches to)."""
    seen = set() if seen is None else seen
    found: set[str] = set()
    node = node.get_object() if hasattr(node, "get_object") else node
    if id(node) in seen:
        return found
    seen.add(id(node))
    if isinstance(node, dict):
        if "/Lang" in node:
            found.add(str(node["/Lang"]))
        kids = node.get("/K")
        if kids is not None:
            found |= _languages(kids, seen)
    elif isinstance(node, list):
        for kid in node:
            found |= _languages(kid, seen)
    return found
