"""The part of a loaded configuration the demo builds on, read from the database by key.

The demo never invents configuration: organisations, posts, municipalities, residence statuses
and target groups come from the Träger's configuration file (``config/kreis-lippe.yaml``). The
keys it needs are listed here once; a missing key stops the demo with a message naming it, so a
renamed key in the file is noticed at once instead of producing a half-built demo.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lotse.directory.models import (
    CaseManagementPost,
    FieldOfAction,
    Municipality,
    Organisation,
    Programme,
    ProgrammeProvider,
    ResidenceStatusType,
    TargetGroup,
)
from lotse.tenancy.models import Traeger


class DemoConfigMissing(Exception):
    """The loaded configuration lacks an entry the demo needs."""


@dataclass(frozen=True)
class DemoKeys:
    """Keys in ``config/kreis-lippe.yaml`` the demo refers to (checked against the file)."""

    casemanager_post: str = "cm-sozialraum-4"
    servicestelle: str = "servicestelle"
    jobcenter: str = "jobcenter-lippe"
    #: The neutral moderator's organisation: involved in none of the demo cases (issue 12).
    moderation: str = "ki-kreis-lippe"
    # Demo status code → key of the residence status in the file (all required).
    statuses: Mapping[str, str] = field(
        default_factory=lambda: {
            "asylum_pending": "aufenthaltsgestattung",
            "asylum_granted": "asylberechtigung",
            "refugee": "fluechtlingseigenschaft",
            "subsidiary": "subsidiaerer-schutz",
            "deportation_ban": "abschiebungsverbot",
            "toleration": "duldung",
            "training_toleration": "ausbildungsduldung",
            "well_integrated": "bleiberecht-nachhaltige-integration",
            "eu_free_movement": "eu-freizuegigkeit",
            "family_reunification": "familiennachzug",
            "skilled_worker": "fachkraft",
            "blue_card": "blaue-karte",
        }
    )
    # Statuses the file may lack; found by their legal basis, left out (and reported) if absent.
    optional_statuses: Mapping[str, str] = field(
        default_factory=lambda: {
            "temporary_protection": r"§\s*24\s+AufenthG",
            "humanitarian_admission": r"§\s*2[23]\b.*AufenthG",
        }
    )
    # EU citizens: the sub-group of "eu-buerger" by demo profile.
    eu_target_groups: Mapping[str, str] = field(
        default_factory=lambda: {
            "worker": "eu-arbeitsmigranten",
            "precarious": "eu-prekaer",
            "family": "eu-familiennachzug",
        }
    )


DEFAULT_KEYS = DemoKeys()

# Approximate population, used only to spread the demo caseload over a Sozialraum by size.
POPULATION_BY_NAME: dict[str, int] = {
    "Detmold": 75_000,
    "Bad Salzuflen": 54_000,
    "Lemgo": 41_000,
    "Lage": 35_000,
    "Horn-Bad Meinberg": 17_000,
    "Oerlinghausen": 17_000,
    "Leopoldshöhe": 16_500,
    "Blomberg": 15_000,
    "Kalletal": 13_500,
    "Extertal": 11_000,
    "Augustdorf": 10_000,
    "Lügde": 9_500,
    "Schlangen": 9_300,
    "Barntrup": 8_600,
    "Schieder-Schwalenberg": 8_300,
    "Dörentrup": 7_800,
}


@dataclass(frozen=True)
class PlaceRef:
    key: str
    name: str
    weight: int


@dataclass(frozen=True)
class PostRef:
    """A post and the municipalities it serves, as plain data for the generator."""

    key: str
    name: str
    participation: bool
    organisation_key: str
    office: str
    target_caseload: int
    places: tuple[PlaceRef, ...]


@dataclass
class Region:
    """Plain data for the generator plus the model instances for the loader, by key."""

    traeger: Traeger
    keys: DemoKeys
    posts: list[PostRef]
    statuses: dict[str, ResidenceStatusType]
    target_group_for_status: dict[str, TargetGroup | None]
    organisations: dict[str, Organisation]
    post_objects: dict[str, CaseManagementPost]
    municipalities: dict[str, Municipality]
    fields_of_action: list[FieldOfAction]
    eu_target_groups: dict[str, TargetGroup] = field(default_factory=dict)
    missing_optional_statuses: list[str] = field(default_factory=list)

    @property
    def status_codes(self) -> frozenset[str]:
        return frozenset(self.statuses)


def _missing(kind: str, key: str, traeger: Traeger) -> DemoConfigMissing:
    return DemoConfigMissing(
        # de: In der Konfiguration von {traeger} fehlt {kind} mit dem Schlüssel „{key}“, den die
        # de: Demodaten brauchen. Bitte die Konfigurationsdatei prüfen.
        _(
            "The configuration of {traeger} has no {kind} with the key “{key}”, which the demo "
            "data needs. Please check the configuration file."
        ).format(traeger=traeger.name, kind=kind, key=key)
    )


def _by_key(model: Any, traeger: Traeger, key: str, kind: str) -> Any:
    obj = model.objects.filter(traeger=traeger, key=key).first()
    if obj is None:
        raise _missing(kind, key, traeger)
    return obj


def region_load(*, traeger: Traeger, keys: DemoKeys = DEFAULT_KEYS) -> Region:
    """Read what the demo needs from the loaded configuration of ``traeger``."""
    organisations = {
        key: _by_key(Organisation, traeger, key, _("an organisation"))  # de: eine Organisation
        for key in (keys.servicestelle, keys.jobcenter, keys.moderation)
    }
    statuses = {
        code: _by_key(
            ResidenceStatusType, traeger, key, _("a residence status")
        )  # de: einen Aufenthaltsstatus
        for code, key in keys.statuses.items()
    }
    missing_optional: list[str] = []
    for code, pattern in keys.optional_statuses.items():
        found = next(
            (
                status
                for status in ResidenceStatusType.objects.filter(traeger=traeger).order_by(
                    "sort_order", "key"
                )
                if re.search(pattern, status.legal_basis)
            ),
            None,
        )
        if found is None:
            missing_optional.append(code)
        else:
            statuses[code] = found
    eu_groups = {
        profile: _by_key(TargetGroup, traeger, key, _("a target group"))  # de: eine Zielgruppe
        for profile, key in keys.eu_target_groups.items()
    }
    target_groups = {
        code: (
            TargetGroup.objects.filter(pk=status.target_group_id).first()
            if status.target_group_id
            else None
        )
        for code, status in statuses.items()
    }
    municipalities = {m.key: m for m in Municipality.objects.filter(traeger=traeger)}
    if not municipalities:
        raise _missing(_("a municipality"), "*", traeger)  # de: eine Gemeinde

    def place(m: Municipality) -> PlaceRef:
        return PlaceRef(m.key, m.name, POPULATION_BY_NAME.get(m.name, 10_000))

    post_objects = {
        post.key: post
        for post in CaseManagementPost.objects.filter(traeger=traeger)
        .select_related("programme", "organisation", "sozialraum")
        .order_by("sort_order", "key")
    }
    if keys.casemanager_post not in post_objects:
        raise _missing(
            _("a case management post"), keys.casemanager_post, traeger
        )  # de: eine Stelle
    providers: dict[tuple[int, int], list[Municipality]] = {}
    for row in ProgrammeProvider.objects.filter(traeger=traeger).select_related("municipality"):
        providers.setdefault((row.programme_id, row.organisation_id), []).append(row.municipality)
    posts: list[PostRef] = []
    for post in post_objects.values():
        participation = post.programme.kind == Programme.Kind.PARTICIPATION_MANAGEMENT
        served: list[Municipality] = []
        if post.sozialraum is not None:
            served = list(Municipality.objects.filter(sozialraum=post.sozialraum))
        if not served:
            served = providers.get((post.programme_id, post.organisation_id), [])
        if not served:
            served = list(municipalities.values())
        office = post.sozialraum.office if post.sozialraum else ""  # type: ignore[union-attr]
        posts.append(
            PostRef(
                key=post.key,
                name=post.name,
                participation=participation,
                organisation_key=post.organisation.key,
                office=office or post.organisation.name,
                target_caseload=post.target_caseload,
                places=tuple(place(m) for m in sorted(served, key=lambda m: m.key)),
            )
        )
    for post in post_objects.values():
        organisations.setdefault(post.organisation.key, post.organisation)
    return Region(
        traeger=traeger,
        keys=keys,
        posts=posts,
        statuses=statuses,
        target_group_for_status=target_groups,
        organisations=organisations,
        post_objects=post_objects,
        municipalities=municipalities,
        fields_of_action=list(
            FieldOfAction.objects.filter(traeger=traeger).order_by("sort_order", "key")
        ),
        eu_target_groups=eu_groups,
        missing_optional_statuses=missing_optional,
    )
