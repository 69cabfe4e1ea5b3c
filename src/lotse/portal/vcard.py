"""vCard 3.0 (RFC 2426) for the contact directory: what Outlook and Thunderbird both import.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 sequence); text values escape
``\\``, ``,``, ``;`` and newlines. A person's card names their organisation (ORG) and function
(TITLE); an organisation's card is a company card (FN = ORG, ``X-ABShowAs:COMPANY``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable

from lotse.directory.models import ContactPerson, Organisation

CRLF = "\r\n"
_NAMESPACE = uuid.UUID("6f1c1f0e-7a43-4d0e-9a55-2b1e2f0c6a11")
_POSTCODE_CITY = re.compile(r"^(?:D-)?(\d{5})\s+(.+)$")


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets; continuation lines start with one space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current = " "
            size = 1
            limit = 75
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def _split_name(name: str) -> tuple[str, str]:
    """(family, given): the last word is the family name ("Dr. Anna Schmidt" → Schmidt, Dr. Anna)."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return words[-1], " ".join(words[:-1])


def _address(text: str) -> str | None:
    """ADR from a free-text address: street lines, then "12345 Ort" if there is one."""
    lines = [line.strip(" ,") for line in re.split(r"[\n,]", text) if line.strip(" ,")]
    if not lines:
        return None
    street, postcode, city = lines, "", ""
    match = _POSTCODE_CITY.match(lines[-1])
    if match:
        postcode, city = match.group(1), match.group(2)
        street = lines[:-1]
    parts = ["", "", "\n".join(street), city, "", postcode, "Deutschland"]
    return "ADR;TYPE=WORK:" + ";".join(escape(part) for part in parts)


def _uid(kind: str, traeger_id: int, key: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, f"lotse:{kind}:{traeger_id}:{key}"))


def _rev(when: dt.datetime | None) -> str:
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _card(lines: list[str | None]) -> str:
    body = [fold(line) for line in ["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"] if line]
    return CRLF.join(body) + CRLF


def person_card(person: ContactPerson, *, revised: dt.datetime | None = None) -> str:
    org = person.organisation
    family, given = _split_name(person.name)
    return _card(
        [
            f"N:{escape(family)};{escape(given)};;;",
            f"FN:{escape(person.name)}",
            f"ORG:{escape(org.name)}",
            f"TITLE:{escape(person.function)}" if person.function else None,
            f"TEL;TYPE=WORK,VOICE:{escape(person.phone)}" if person.phone else None,
            f"EMAIL;TYPE=INTERNET,WORK:{person.email}" if person.email else None,
            _address(org.address) if org.address else None,
            f"URL:{org.website}" if org.website else None,
            f"UID:{_uid('contact', person.traeger_id, person.key)}",
            f"REV:{_rev(revised)}",
        ]
    )


def organisation_card(org: Organisation, *, revised: dt.datetime | None = None) -> str:
    return _card(
        [
            "N:;;;;",
            f"FN:{escape(org.name)}",
            f"ORG:{escape(org.name)}",
            f"NICKNAME:{escape(org.short_name)}" if org.short_name else None,
            f"TEL;TYPE=WORK,VOICE:{escape(org.phone)}" if org.phone else None,
            f"EMAIL;TYPE=INTERNET,WORK:{org.email}" if org.email else None,
            _address(org.address) if org.address else None,
            f"URL:{org.website}" if org.website else None,
            "X-ABShowAs:COMPANY",
            f"UID:{_uid('organisation', org.traeger_id, org.key)}",
            f"REV:{_rev(revised)}",
        ]
    )


def directory_cards(
    organisations: Iterable[Organisation], *, revised: dt.datetime | None = None
) -> str:
    """One card per organisation followed by its contact persons (contacts prefetched)."""
    cards: list[str] = []
    for org in organisations:
        cards.append(organisation_card(org, revised=revised))
        cards.extend(person_card(person, revised=revised) for person in org.contacts.all())
    return "".join(cards)


def filename(text: str) -> str:
    """A sane ASCII file name: "Jobcenter Lippe" → "jobcenter-lippe.vcf"."""
    from django.utils.text import slugify

    return (slugify(text.replace("ß", "ss"))[:80] or "kontakte") + ".vcf"
