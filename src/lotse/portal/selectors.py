"""Reads of the portal."""

from __future__ import annotations

from lotse.core.reference import collation_key
from lotse.directory.models import ContactPerson, Organisation


def matching_organisation_ids(*, traeger_id: int, query: str, kind: str) -> list[int]:
    """Organisations whose name, municipality or contact persons (name, function) contain every
    word of ``query`` — case- and accent-insensitive ("Buro" finds "Bürgerbüro", "strasse"
    finds "Straße") on every database — and, if given, of ``kind``.

    Two queries whatever the number of rows; the directory of a Träger is configuration data
    (hundreds of rows, not millions).
    """
    organisations = Organisation.objects.filter(traeger_id=traeger_id)
    if kind:
        organisations = organisations.filter(kind=kind)
    texts: dict[int, list[str]] = {
        pk: [name, short or "", municipality or ""]
        for pk, name, short, municipality in organisations.values_list(
            "pk", "name", "short_name", "municipality__name"
        )
    }
    if query:
        for org_id, name, function in ContactPerson.objects.filter(
            traeger_id=traeger_id, organisation_id__in=list(texts)
        ).values_list("organisation_id", "name", "function"):
            texts[org_id] += [name, function]
    words = collation_key(query).split()
    return [
        pk
        for pk, parts in texts.items()
        if all(word in collation_key(" ".join(parts)) for word in words)
    ]
