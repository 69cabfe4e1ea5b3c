"""Loading an offers catalogue from a YAML file (``lotse loadoffers FILE``).

The file names its Träger and lists offers by a stable ``key``; loading again updates them
instead of duplicating. Offers missing from the file are deactivated, never deleted (referrals
point at them). References (provider, field of action, municipalities, residence statuses,
target groups) use the keys of the Träger's configuration (``lotse loadconfig``). Every error
is collected and reported; with one error nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.directory.models import (
    FieldOfAction,
    Municipality,
    Organisation,
    ResidenceStatusType,
    TargetGroup,
)
from lotse.offers.models import AccessPath, Offer, OfferKind
from lotse.tenancy.models import Traeger

OFFER_KEYS = {
    "key",
    "kind",
    "title",
    "provider",
    "provider_name",
    "field_of_action",
    "municipalities",
    "description",
    "schedule",
    "next_start",
    "location",
    "contact",
    "website",
    "places",
    "min_age",
    "max_age",
    "active",
    "access_paths",
}
PATH_KEYS = {"label", "statuses", "nationalities", "target_groups", "min_age", "max_age", "note"}
CONTACT_KEYS = {"name", "email", "phone"}


class CatalogueError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class CatalogueReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    keys: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        # de: Angebote: {created} neu, {updated} aktualisiert, {deactivated} deaktiviert.
        return _("Offers: {created} new, {updated} updated, {deactivated} deactivated.").format(
            created=self.created, updated=self.updated, deactivated=self.deactivated
        )


class _Refs:
    def __init__(self, traeger: Traeger) -> None:
        def keyed(model: Any) -> dict[str, Any]:
            return {obj.key: obj for obj in model.objects.filter(traeger=traeger)}

        self.organisations = keyed(Organisation)
        self.fields = keyed(FieldOfAction)
        self.municipalities = keyed(Municipality)
        self.statuses = keyed(ResidenceStatusType)
        self.target_groups = keyed(TargetGroup)


def _lookup(table: dict[str, Any], key: Any, what: str, where: str, problems: list[str]) -> Any:
    if key in (None, ""):
        return None
    found = table.get(str(key))
    if found is None:
        # de: {where}: {what} „{key}“ ist in der Konfiguration des Trägers nicht bekannt.
        problems.append(
            _("{where}: {what} “{key}” is not known in the Träger's configuration.").format(
                where=where, what=what, key=key
            )
        )
    return found


def _lookups(
    table: dict[str, Any], keys: Any, what: str, where: str, problems: list[str]
) -> list[Any]:
    if keys in (None, ""):
        return []
    if not isinstance(keys, list):
        problems.append(_("{where}: {what} must be a list.").format(where=where, what=what))
        return []
    found = [_lookup(table, key, what, where, problems) for key in keys]
    return [obj for obj in found if obj is not None]


def _age(value: Any, name: str, where: str, problems: list[str]) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 120:
        problems.append(
            _("{where}: {name} must be a whole number of years.").format(where=where, name=name)
        )
        return None
    return value


def _unknown(entry: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(entry) - allowed):
        # de: {where}: unbekanntes Feld „{key}“.
        problems.append(_("{where}: unknown field “{key}”.").format(where=where, key=key))


def read_catalogue(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError([str(error)]) from error
    if not isinstance(document, dict) or not isinstance(document.get("offers"), list):
        # de: Die Datei braucht „traeger“ und eine Liste „offers“.
        raise CatalogueError([_("The file needs “traeger” and a list “offers”.")])
    return document


@transaction.atomic
def catalogue_load(*, path: str | Path) -> CatalogueReport:
    document = read_catalogue(path)
    problems: list[str] = []
    slug = document.get("traeger")
    traeger = Traeger.objects.filter(slug=slug).first()
    if traeger is None:
        # de: Träger „{slug}“ ist nicht angelegt (zuerst lotse loadconfig).
        raise CatalogueError(
            [_("Träger “{slug}” does not exist (run lotse loadconfig first).").format(slug=slug)]
        )
    refs = _Refs(traeger)
    report = CatalogueReport()
    seen: set[str] = set()
    for index, entry in enumerate(document["offers"], start=1):
        where = _("offer {number}").format(number=index)  # de: Angebot {number}
        if not isinstance(entry, dict):
            problems.append(_("{where}: must be a mapping.").format(where=where))
            continue
        key = str(entry.get("key") or "")
        where = f"{where} ({key})" if key else where
        _unknown(entry, OFFER_KEYS, where, problems)
        if not key or key in seen:
            # de: {where}: ein eindeutiger „key“ fehlt.
            problems.append(_("{where}: a unique “key” is missing.").format(where=where))
            continue
        seen.add(key)
        if entry.get("kind") not in OfferKind.values:
            problems.append(
                _("{where}: unknown kind “{kind}”.").format(where=where, kind=entry.get("kind"))
            )
        if not entry.get("title"):
            problems.append(_("{where}: the title is missing.").format(where=where))
        contact = entry.get("contact") or {}
        if not isinstance(contact, dict):
            problems.append(_("{where}: contact must be a mapping.").format(where=where))
            contact = {}
        _unknown(contact, CONTACT_KEYS, f"{where} contact", problems)
        next_start = entry.get("next_start")
        if next_start is not None and not isinstance(next_start, dt.date):
            problems.append(_("{where}: next_start must be a date.").format(where=where))
            next_start = None
        places = entry.get("places")
        if places is not None and (not isinstance(places, int) or places < 0):
            problems.append(_("{where}: places must be a number.").format(where=where))
            places = None
        values = {
            "kind": entry.get("kind"),
            "title": str(entry.get("title") or ""),
            "provider": _lookup(
                refs.organisations, entry.get("provider"), "organisation", where, problems
            ),
            "provider_name": str(entry.get("provider_name") or ""),
            "field_of_action": _lookup(
                refs.fields, entry.get("field_of_action"), "field of action", where, problems
            ),
            "description": str(entry.get("description") or "").strip(),
            "schedule": str(entry.get("schedule") or ""),
            "next_start_on": next_start,
            "location": str(entry.get("location") or ""),
            "contact_name": str(contact.get("name") or ""),
            "contact_email": str(contact.get("email") or ""),
            "contact_phone": str(contact.get("phone") or ""),
            "website": str(entry.get("website") or ""),
            "capacity": places,
            "min_age": _age(entry.get("min_age"), "min_age", where, problems),
            "max_age": _age(entry.get("max_age"), "max_age", where, problems),
            "active": bool(entry.get("active", True)),
        }
        municipalities = _lookups(
            refs.municipalities, entry.get("municipalities"), "municipality", where, problems
        )
        paths: list[dict[str, Any]] = []
        for number, raw in enumerate(entry.get("access_paths") or [], start=1):
            path_where = f"{where} access_paths[{number}]"
            if not isinstance(raw, dict) or not raw.get("label"):
                problems.append(_("{where}: a label is missing.").format(where=path_where))
                continue
            _unknown(raw, PATH_KEYS, path_where, problems)
            nationalities = [str(code).upper() for code in raw.get("nationalities") or []]
            bad = [code for code in nationalities if len(code) != 2 or not code.isalpha()]
            if bad:
                problems.append(
                    _("{where}: not an ISO country code: {codes}").format(
                        where=path_where, codes=", ".join(bad)
                    )
                )
            paths.append(
                {
                    "label": str(raw["label"]),
                    "note": str(raw.get("note") or ""),
                    "nationalities": sorted(set(nationalities)),
                    "min_age": _age(raw.get("min_age"), "min_age", path_where, problems),
                    "max_age": _age(raw.get("max_age"), "max_age", path_where, problems),
                    "statuses": _lookups(
                        refs.statuses, raw.get("statuses"), "residence status", path_where, problems
                    ),
                    "target_groups": _lookups(
                        refs.target_groups,
                        raw.get("target_groups"),
                        "target group",
                        path_where,
                        problems,
                    ),
                }
            )
        if problems:
            continue
        offer = Offer.objects.filter(traeger=traeger, key=key).first()
        if offer is None:
            offer = Offer.objects.create(traeger=traeger, key=key, **values)
            report.created += 1
        else:
            changed = [name for name, value in values.items() if getattr(offer, name) != value]
            if changed:
                for name in changed:
                    setattr(offer, name, values[name])
                offer.version += 1
                offer.save()
                report.updated += 1
        offer.municipalities.set(municipalities)
        AccessPath.objects.filter(traeger=traeger, offer=offer).delete()
        for order, data in enumerate(paths, start=1):
            statuses, groups = data.pop("statuses"), data.pop("target_groups")
            path_obj = AccessPath.objects.create(
                traeger=traeger, offer=offer, sort_order=order, **data
            )
            path_obj.statuses.set(statuses)
            path_obj.target_groups.set(groups)
        report.keys.append(key)
    if problems:
        transaction.set_rollback(True)
        raise CatalogueError(problems)
    report.deactivated = (
        Offer.objects.filter(traeger=traeger, active=True)
        .exclude(key__in=seen)
        .update(active=False)
    )
    return report
