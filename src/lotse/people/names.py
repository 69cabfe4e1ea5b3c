"""Names as entered, as searched and as compared.

Three steps, used by every entry path (person form, API, import, intake, family members, demo)
through the people services:

- :func:`clean_name` is what is *stored*: NFC, without control, format and invisible characters
  (zero-width spaces and joiners, bidi overrides, C0/C1 controls, soft hyphens), whitespace
  collapsed. A zero-width character would otherwise make a person unfindable, a right-to-left
  override would display a different name than the one stored.
- :func:`normalise_name` is the diacritic-insensitive *spelling* (``search_name``).
- :func:`name_key` is the transliteration-insensitive *key* of one name: Mohammed, Muhammad,
  Mohamad, Mohamed, Mohammad and Maxamed share one key, as do Youssef/Yusuf/Yousef/Jussuf,
  Haddad/Hadad and Yılmaz/Yilmaz. Search and the duplicate check compare keys for equality,
  token by token, so the order of first and last name does not matter.
"""

from __future__ import annotations

import re
import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Letters NFKD does not decompose to ASCII: Turkish dotless i, Scandinavian, Polish, Icelandic.
_UNDECOMPOSED = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"}
)
# Invisible characters that are not in the categories Cc/Cf but render as nothing.
_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
_DROPPED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}


def clean_name(value: str) -> str:
    """The stored form of a name: NFC, no invisible or control characters, single spaces."""
    text = unicodedata.normalize("NFC", value or "")
    kept = []
    for ch in text:
        if ch in _INVISIBLE:
            continue
        category = unicodedata.category(ch)
        if category in _DROPPED_CATEGORIES:
            # Tabs and line breaks separate words; everything else just disappears.
            kept.append(" " if ch in "\t\n\r\x0b\x0c\x85" else "")
        elif category in {"Zs", "Zl", "Zp"}:
            kept.append(" ")
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def normalise_name(*parts: str) -> str:
    """Lower-case, umlauts spelt out, diacritics and punctuation removed, spaces collapsed.

    "Müller-Lüdenscheidt" and "Mueller Luedenscheidt" normalise to the same string, so a
    case manager finds a person whatever spelling the Ausländerbehörde used.
    """
    text = clean_name(" ".join(p for p in parts if p)).casefold().translate(_GERMAN)
    text = text.translate(_UNDECOMPOSED)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


# Transliteration equivalences, applied in this order to one normalised word. Arabic and Farsi
# names reach German files through English, French, German and Turkish spellings, Somali names
# through the Somali Latin alphabet (x for ħ, c for ʿ).
_REWRITES: list[tuple[str, str]] = [
    (r"^x", "h"),  # Somali: Xasan = Hasan
    (r"dsch|dzh|dj", "j"),  # Dschamal / Djamal / Jamal
    (r"sch|sh", "s"),  # Haschem / Hashem
    (r"kh|gh|ch", "h"),  # Khaled / Chaled / Haled
    (r"ph", "f"),  # Mustapha / Mustafa
    (r"th|dh", "s"),  # Othman / Osman / Uthman
    (r"ks|x", "h"),  # Maxamed = Mahamed; Alexander and Aleksander stay one key
    (r"ck|q|c", "k"),  # Qasim / Kasim / Casim
    (r"tz", "z"),
    (r"v", "w"),
]
_VOWELS = set("aeiouy")


def name_key(word: str) -> str:
    """The transliteration-insensitive key of one word of a name.

    A consonant skeleton: doubled letters collapsed, vowels dropped except that a word ending
    in a vowel keeps one marker (so "Mohamadi" is not "Mohamad"), a final d hardened to t
    (Mehmet / Mohamed), an initial j before a vowel read as y (the German spelling of the
    sound: Jussuf / Yusuf), and the equivalences above. The word must already be normalised
    (:func:`normalise_name`).
    """
    word = re.sub(r"(.)\1+", r"\1", word)
    if word.endswith("h") and len(word) > 2 and word[-2] in _VOWELS:  # Fatimah, Abdallah
        word = word[:-1]
    for pattern, replacement in _REWRITES:
        word = re.sub(pattern, replacement, word)
    word = re.sub(r"(.)\1+", r"\1", word)
    if word.startswith("j") and len(word) > 1 and word[1] in _VOWELS:
        word = "y" + word[1:]  # German spelling: Jussuf = Yusuf, Jasmin = Yasmin
    ends_in_vowel = word[-1:] in _VOWELS and len(word) > 1
    if word.startswith("y") and len(word) > 1 and word[1] in _VOWELS:
        head, rest = "y", word[1:]  # Yusuf: y is a consonant at the start
    else:
        head, rest = "", word
    skeleton = head + "".join(ch for ch in rest if ch not in _VOWELS)
    if skeleton.endswith("d"):
        skeleton = skeleton[:-1] + "t"
    if ends_in_vowel:
        skeleton += "a"
    return skeleton or word[:1]


def name_keys(*parts: str) -> list[str]:
    """The keys of every word of the given name parts, in order."""
    return [name_key(word) for word in normalise_name(*parts).split()]


def key_string(keys: list[str]) -> str:
    """The stored form of a set of keys: sorted, space-separated and space-padded.

    The padding lets a search ask for a whole key (``LIKE '% mhmt %'``), never a prefix.
    """
    return f" {' '.join(sorted(set(keys)))} " if keys else ""


def person_name_fields(first_name: str, last_name: str) -> dict[str, str]:
    """The derived name columns of a person (or a name variant: ``search_name``, ``name_key``)."""
    return {
        "search_name": normalise_name(first_name, last_name),
        "first_key": " ".join(name_keys(first_name)),
        "last_key": " ".join(name_keys(last_name)),
        "name_key": key_string(name_keys(first_name, last_name)),
    }
