"""Name normalisation for search across spellings and transliterations."""

from __future__ import annotations

import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise_name(*parts: str) -> str:
    """Lower-case, umlauts spelt out, diacritics and punctuation removed, spaces collapsed.

    "Müller-Lüdenscheidt" and "Mueller Luedenscheidt" normalise to the same string, so a
    case manager finds a person whatever spelling the Ausländerbehörde used.
    """
    text = " ".join(p for p in parts if p).casefold().translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())
