"""Purposes for consents recorded before purposes were configured (free text only).

Runs when a configuration load creates purposes for a Träger: a consent without purposes gets
every purpose whose name contains a long word (eight letters or more) that also appears in the
consent's free text — "Jobcenter" in "Abstimmung … mit dem Jobcenter Lippe" maps to
"Arbeitsmarktintegration / Jobcenter". Otherwise it keeps none and covers no purpose-checked
flow until a new version names them. Never more than ``MAX_PURPOSES``: a text that matches more
is left without purposes (it was not specific).
"""

from __future__ import annotations

import re

from lotse.consent.models import Consent, Purpose

MAX_PURPOSES = 3
_WORD = re.compile(r"[^\W\d_]{8,}")


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(text)}


def purposes_from_text(*, traeger_id: int) -> int:
    """Map free text to purposes for the Träger's consents without any; returns how many."""
    purposes = [(p, _words(p.name)) for p in Purpose.objects.filter(traeger_id=traeger_id)]
    mapped = 0
    for consent in Consent.objects.filter(traeger_id=traeger_id, purposes__isnull=True):
        text = _words(consent.purpose)
        found = [p for p, words in purposes if words & text]
        if found and len(found) <= MAX_PURPOSES:
            consent.purposes.set(found)
            mapped += 1
    return mapped
