"""Writing a Träger's configuration back to the file format (``lotse dumpconfig``).

The output is canonical: stable key order, entries in their configured order, empty and
default values left out, umlauts written as they are. So ``dump(load(file))`` equals a file
written in canonical form, and a diff between two dumps shows exactly what changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import yaml
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lotse.conferences.models import ConferenceSettings
from lotse.consent.models import Purpose, StatutoryBasis
from lotse.directory import models as dm
from lotse.directory.config.errors import UnknownTraeger
from lotse.directory.config.loader import QUESTION_KEYS
from lotse.directory.config.parsing import ConfigYamlDumper
from lotse.tenancy.models import Traeger

FORMAT_VERSION = 1

_DEADLINE_ORDER = ("from", "within", "by", "starting", "every", "unit", "milestone", "note")
_APPLIES_TO_ORDER = (
    "min_age",
    "max_age",
    "job_seeker",
    "employed",
    "integration_course_eligible",
    "target_groups",
    "residence_statuses",
)
_SECTION_ORDER = ("key", "title", "description", "questions")
_QUESTION_ORDER = ("key", "text", "hint", "answer_type", "options", "required")


class _Dumper(ConfigYamlDumper):
    """Indents lists under their key, which is how the shipped files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class _Flow(dict[str, Any]):
    """A small rule mapping (deadline, applies_to) written on one line like in the docs."""


def _list_representer(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    scalars = all(isinstance(item, str | int | float | bool) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=scalars)


def _flow_representer(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(list, _list_representer)
_Dumper.add_representer(_Flow, _flow_representer)


def _compact(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Drop empty values (None, "", [], {}) so the file lists only what is configured."""
    return {k: v for k, v in pairs if v not in (None, "", [], {})}


def _ordered(data: dict[str, Any] | None, order: tuple[str, ...]) -> dict[str, Any] | None:
    if data is None:
        return None
    known = [(k, data[k]) for k in order if k in data]
    rest = [(k, data[k]) for k in sorted(data) if k not in order]
    return dict(known + rest)


def _flow(data: dict[str, Any] | None, order: tuple[str, ...]) -> _Flow | None:
    ordered = _ordered(data, order)
    return None if ordered is None else _Flow(ordered)


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _euros(cents: int | None) -> int | float | None:
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else cents / 100


def _privacy_notice(traeger: Traeger) -> list[tuple[str, Any]]:
    """``controller`` and ``data_protection_officer`` from the Art. 13 sheet's settings."""
    from lotse.consent.models import PrivacyNoticeSettings

    row = PrivacyNoticeSettings.objects.filter(traeger=traeger).first()
    if row is None:
        return []
    controller = _compact(
        [
            ("name", row.controller_name),
            ("address", row.controller_address),
            ("email", row.controller_email),
            ("phone", row.controller_phone),
        ]
    )
    officer = _compact(
        [
            ("name", row.dpo_name),
            ("address", row.dpo_address),
            ("email", row.dpo_email),
            ("phone", row.dpo_phone),
        ]
    )
    pairs: list[tuple[str, Any]] = [("controller", controller)]
    if officer.get("name") and len(officer) > 1:
        pairs.append(("data_protection_officer", officer))
    return pairs


def config_as_data(*, traeger: Traeger) -> dict[str, Any]:
    """The configuration of ``traeger`` as the plain data structure of the file format."""
    scope = {"traeger": traeger}
    municipalities = list(dm.Municipality.objects.filter(**scope).order_by("sort_order", "name"))
    municipality_order = {m.pk: i for i, m in enumerate(municipalities)}

    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "traeger": _compact(
            [
                ("slug", traeger.slug),
                ("name", traeger.name),
                ("kind", traeger.kind),
                ("state", traeger.state),
                ("operator", traeger.operator_name),
                ("colour", traeger.brand_colour),
                *_privacy_notice(traeger),
            ]
        ),
        "config": _compact(
            [("version", traeger.config_version), ("date", _iso(traeger.config_date))]
        ),
        "school_holidays": [
            _compact([("name", h["name"]), ("start", h["start"]), ("end", h["end"])])
            for h in traeger.school_holidays or []
        ],
        "municipalities": [
            _compact(
                [
                    ("key", m.key),
                    ("name", m.name),
                    ("official_key", m.official_key),
                    ("own_immigration_office", m.own_immigration_office or None),
                    ("own_youth_office", m.own_youth_office or None),
                ]
            )
            for m in municipalities
        ],
    }

    sozialraeume = dm.Sozialraum.objects.filter(**scope).order_by("sort_order", "name")
    areas = list(
        dm.SozialraumArea.objects.filter(**scope)
        .select_related("municipality")
        .order_by("sort_order", "key")
    )
    doc["sozialraeume"] = [
        _compact(
            [
                ("key", s.key),
                ("name", s.name),
                ("office", s.office),
                (
                    "municipalities",
                    [m.key for m in municipalities if m.sozialraum_id == s.pk],
                ),
                (
                    "areas",
                    [
                        _compact(
                            [
                                ("key", a.key),
                                ("municipality", a.municipality.key),
                                ("name", a.name),
                                ("postcodes", list(a.postcodes)),
                            ]
                        )
                        for a in areas
                        if a.sozialraum_id == s.pk
                    ],
                ),
            ]
        )
        for s in sozialraeume
    ]

    organisations = (
        dm.Organisation.objects.filter(**scope)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("contacts", queryset=dm.ContactPerson.objects.order_by("sort_order", "name"))
        )
        .order_by("sort_order", "name")
    )
    doc["organisations"] = [
        _compact(
            [
                ("key", o.key),
                ("name", o.name),
                ("short_name", o.short_name),
                ("kind", o.kind),
                ("municipality", o.municipality.key if o.municipality else None),
                ("address", o.address),
                ("email", o.email),
                ("phone", o.phone),
                ("website", o.website),
                ("description", o.description),
                (
                    "contacts",
                    [
                        _compact(
                            [
                                ("key", c.key),
                                ("name", c.name),
                                ("function", c.function),
                                ("email", c.email),
                                ("phone", c.phone),
                            ]
                        )
                        for c in o.contacts.all()
                    ],
                ),
            ]
        )
        for o in organisations
    ]

    doc["fields_of_action"] = [
        _compact(
            [
                ("key", f.key),
                ("name", f.name),
                ("short_name", f.short_name),
                ("description", f.description),
                ("cross_cutting", f.cross_cutting or None),
                ("data_category", f.data_category),
                (
                    "assessment",
                    [
                        {name: q[name] for name in QUESTION_KEYS if name in q}
                        for q in f.assessment_questions or []
                    ],
                ),
            ]
        )
        for f in dm.FieldOfAction.objects.filter(**scope).order_by("sort_order", "name")
    ]

    groups = list(dm.TargetGroup.objects.filter(**scope).order_by("sort_order", "name"))

    def group_tree(parent_id: int | None) -> list[dict[str, Any]]:
        return [
            _compact(
                [
                    ("key", g.key),
                    ("name", g.name),
                    ("description", g.description),
                    ("children", group_tree(g.pk)),
                ]
            )
            for g in groups
            if g.parent_id == parent_id
        ]

    doc["target_groups"] = group_tree(None)

    statuses = list(
        dm.ResidenceStatusType.objects.filter(**scope)
        .select_related("target_group")
        .order_by("sort_order", "name")
    )
    doc["residence_statuses"] = [
        _compact(
            [
                ("key", s.key),
                ("name", s.name),
                ("legal_basis", s.legal_basis),
                ("is_residence_title", None if s.is_residence_title else False),
                ("typical_validity_months", s.typical_validity_months),
                ("target_group", s.target_group.key if s.target_group else None),
                ("description", s.description),
            ]
        )
        for s in statuses
    ]
    status_order = {s.pk: i for i, s in enumerate(statuses)}

    doc["programmes"] = [
        _programme(p, municipalities, municipality_order, status_order)
        for p in dm.Programme.objects.filter(**scope)
        .prefetch_related(
            "eligible_statuses",
            Prefetch("modules", queryset=dm.ProgrammeModule.objects.order_by("number")),
            Prefetch(
                "providers",
                queryset=dm.ProgrammeProvider.objects.select_related(
                    "organisation", "municipality"
                ),
            ),
        )
        .order_by("sort_order", "name")
    ]

    doc["case_management_posts"] = [
        _compact(
            [
                ("key", p.key),
                ("name", p.name),
                ("programme", p.programme.key),
                ("organisation", p.organisation.key),
                ("sozialraum", p.sozialraum.key if p.sozialraum else None),
                ("target_caseload", p.target_caseload),
            ]
        )
        for p in dm.CaseManagementPost.objects.filter(**scope)
        .select_related("programme", "organisation", "sozialraum")
        .order_by("sort_order", "name")
    ]

    doc["goals"] = _goal_tree(traeger)

    bodies = list(
        dm.Body.objects.filter(**scope)
        .select_related("field_of_action", "mandated_by")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=dm.BodyMembership.objects.select_related(
                    "organisation", "contact", "deputy"
                ).order_by("sort_order"),
            )
        )
        .order_by("sort_order", "name")
    )
    doc["bodies"] = [
        _compact(
            [
                ("key", b.key),
                ("name", b.name),
                ("kind", b.kind),
                ("field_of_action", b.field_of_action.key if b.field_of_action else None),
                ("mandated_by", b.mandated_by.key if b.mandated_by else None),
                ("hierarchy_level", b.hierarchy_level),
                ("meeting_rhythm", b.meeting_rhythm),
                ("description", b.description),
                ("task", b.task),
                ("ends_on", b.ends_on.isoformat() if b.ends_on else None),
                (
                    "members",
                    [
                        _compact(
                            [
                                ("key", m.key),
                                ("label", m.label),
                                ("organisation", m.organisation.key if m.organisation else None),
                                ("role", m.role),
                                ("contact", m.contact.key if m.contact else None),
                                ("deputy", m.deputy.key if m.deputy else None),
                                ("hierarchy_level", m.hierarchy_level),
                            ]
                        )
                        for m in b.memberships.all()
                        if not m.key.startswith(dm.APP_KEY_PREFIX)
                    ],
                ),
            ]
        )
        for b in bodies
    ]

    doc["interview_guides"] = [
        _compact(
            [
                ("key", g.key),
                ("name", g.name),
                ("version", g.guide_version),
                ("description", g.description),
                ("sections", [_guide_section(s) for s in g.sections]),
            ]
        )
        for g in dm.InterviewGuide.objects.filter(**scope).order_by("sort_order", "name")
    ]
    doc["purposes"] = [
        _compact([("key", p.key), ("name", p.name), ("description", p.description)])
        for p in Purpose.objects.filter(**scope).order_by("sort_order", "name")
    ]
    doc["statutory_bases"] = [
        _compact(
            [
                ("key", b.key),
                ("citation", b.citation),
                ("description", b.description),
                ("roles", list(b.allowed_roles)),
                ("recipient_kinds", list(b.allowed_recipient_kinds)),
                ("purposes", sorted(p.key for p in b.purposes.all())),
            ]
        )
        for b in StatutoryBasis.objects.filter(**scope)
        .prefetch_related("purposes")
        .order_by("sort_order", "citation")
    ]
    conference_settings = ConferenceSettings.objects.filter(**scope).first()
    if conference_settings is not None:
        doc["conferences"] = _conferences(conference_settings)
    from lotse.portal.config import dump as dump_process_chains

    doc["process_chains"] = dump_process_chains(traeger)
    return {k: v for k, v in doc.items() if v not in ([], {})}


def _conferences(row: ConferenceSettings) -> dict[str, Any]:
    def minutes(item: dict[str, Any]) -> int | list[int]:
        low, high = item["min_minutes"], item["max_minutes"]
        return low if low == high else [low, high]

    return _compact(
        [
            ("initiating_kinds", list(row.initiating_kinds)),
            ("initiating_organisations", list(row.initiating_organisations)),
            ("lead_days", [row.lead_days_min, row.lead_days_max]),
            ("max_minutes", row.max_minutes),
            (
                "agenda",
                [{"key": i["key"], "title": i["title"], "minutes": minutes(i)} for i in row.agenda],
            ),
            ("barrier_categories", [dict(c) for c in row.barrier_categories]),
        ]
    )


def _programme(
    programme: dm.Programme,
    municipalities: list[dm.Municipality],
    municipality_order: dict[int, int],
    status_order: dict[int, int],
) -> dict[str, Any]:
    providers = sorted(
        programme.providers.all(),
        key=lambda row: municipality_order.get(row.municipality_id, 0),
    )
    by_organisation: dict[int, tuple[dm.Organisation, list[str]]] = {}
    for row in providers:
        by_organisation.setdefault(row.organisation_id, (row.organisation, []))[1].append(
            row.municipality.key
        )
    groups = sorted(by_organisation.values(), key=lambda g: (g[0].sort_order, g[0].name))
    covered = {row.municipality_id for row in providers}
    not_covered = [m.key for m in municipalities if m.pk not in covered] if providers else []
    return _compact(
        [
            ("key", programme.key),
            ("name", programme.name),
            ("short_name", programme.short_name),
            ("kind", programme.kind),
            ("description", programme.description),
            ("funding", programme.funding),
            ("budget_eur", _euros(programme.budget_cents)),
            ("min_age", programme.min_age),
            ("max_age", programme.max_age),
            (
                "eligible_statuses",
                [
                    s.key
                    for s in sorted(
                        programme.eligible_statuses.all(), key=lambda s: status_order.get(s.pk, 0)
                    )
                ],
            ),
            ("eligibility_note", programme.eligibility_note),
            ("coverage_note", programme.coverage_note),
            (
                "providers",
                [{"organisation": org.key, "municipalities": keys} for org, keys in groups],
            ),
            ("not_covered", not_covered),
            (
                "modules",
                [
                    _compact(
                        [
                            ("key", m.key),
                            ("number", m.number),
                            ("name", m.name),
                            ("description", m.description),
                            ("participants_per_coach", m.participants_per_coach),
                        ]
                    )
                    for m in programme.modules.all()
                ],
            ),
        ]
    )


def _goal_tree(traeger: Traeger) -> list[dict[str, Any]]:
    goals = list(
        dm.Goal.objects.filter(traeger=traeger)
        .select_related("field_of_action")
        .order_by("sort_order", "code")
    )
    goal_order = {g.pk: i for i, g in enumerate(goals)}
    measures: dict[int, list[dm.Measure]] = {}
    for measure in (
        dm.Measure.objects.filter(traeger=traeger)
        .prefetch_related("further_goals")
        .order_by("sort_order", "pk")
    ):
        measures.setdefault(measure.goal_id, []).append(measure)

    def measure_data(measure: dm.Measure) -> dict[str, Any]:
        further = sorted(measure.further_goals.all(), key=lambda g: goal_order.get(g.pk, 0))
        return _compact(
            [
                ("key", measure.key),
                ("text", measure.text),
                ("responsible", measure.responsible),
                ("financing", measure.financing),
                ("organisational", measure.organisational),
                ("further_goals", [g.key for g in further]),
            ]
        )

    def tree(parent_id: int | None) -> list[dict[str, Any]]:
        return [
            _compact(
                [
                    ("key", g.key),
                    ("code", g.code),
                    ("title", g.title),
                    ("tier", g.tier),
                    ("field_of_action", g.field_of_action.key if g.field_of_action else None),
                    ("description", g.description),
                    ("deadline", _flow(g.deadline_rule, _DEADLINE_ORDER)),
                    ("applies_to", _flow(g.applies_to, _APPLIES_TO_ORDER)),
                    ("adopted_on", _iso(g.adopted_on)),
                    ("adopted_by", g.adopted_by),
                    ("measures", [measure_data(m) for m in measures.get(g.pk, [])]),
                    ("children", tree(g.pk)),
                ]
            )
            for g in goals
            if g.parent_id == parent_id
        ]

    return tree(None)


def _guide_section(section: dict[str, Any]) -> dict[str, Any]:
    ordered = _ordered(section, _SECTION_ORDER) or {}
    ordered["questions"] = [_ordered(q, _QUESTION_ORDER) for q in section.get("questions", [])]
    return ordered


def config_dump(*, traeger_slug: str) -> str:
    """The configuration of the Träger ``traeger_slug`` as YAML text in the file format."""
    traeger = Traeger.objects.filter(slug=traeger_slug).first()
    if traeger is None:
        # de: Es gibt keinen Träger mit dem Kürzel „{slug}“.
        raise UnknownTraeger(
            _("There is no Träger with the key “{slug}”.").format(slug=traeger_slug)
        )
    header = _(
        # de: Lotse-Konfiguration für {name}. Format siehe docs/configuration.md.
        "Lotse configuration for {name}. For the format see docs/configuration.md."
    ).format(name=traeger.name)
    body = yaml.dump(
        config_as_data(traeger=traeger),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return f"# {header}\n{body}"
