"""Loading a configuration file into the database (``lotse loadconfig``).

Invariants:
- A file is validated completely (YAML, schema, cross-references) before anything is written;
  writing happens in one transaction, so a file is loaded whole or not at all.
- Identity is the ``key`` (unique per Träger): a changed name updates the row, it never creates a
  second one, so cases and people keep pointing at the same Sozialraum, organisation or goal.
- Loading the same file twice changes nothing (the report then only counts "unchanged").
- An entry that disappeared from the file is deleted only if nothing outside the configuration
  refers to it (a case, a person, a user …), whatever ``on_delete`` says; otherwise the whole
  load fails and the operator is told what still uses it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.conferences.models import ConferenceSettings
from lotse.consent.backfill import purposes_from_text
from lotse.consent.models import PrivacyNoticeSettings, Purpose, StatutoryBasis
from lotse.directory import models as dm
from lotse.directory.config.errors import ConfigError, ConfigIssue
from lotse.directory.config.parsing import ParsedConfig, parse_yaml, validate_schema
from lotse.directory.config.references import check_references, walk_tree
from lotse.portal import config as portal_config
from lotse.portal.models import ProcessChain, ProcessStep
from lotse.tenancy.models import Traeger


@dataclass
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


# The sections of the report, in load order, with their German labels.
SECTION_LABELS: dict[str, Any] = {
    "traeger": gettext_lazy("Träger"),  # de: Träger
    # de: Verantwortliche Stelle und Datenschutzbeauftragte/r
    "privacy_notice": gettext_lazy("Controller and data protection officer"),
    "fields_of_action": gettext_lazy("Fields of action"),  # de: Handlungsfelder
    "target_groups": gettext_lazy("Target groups"),  # de: Zielgruppen
    "residence_statuses": gettext_lazy("Residence statuses"),  # de: Aufenthaltsstatus
    "sozialraeume": gettext_lazy("Social areas (Sozialräume)"),  # de: Sozialräume
    "municipalities": gettext_lazy("Municipalities"),  # de: Gemeinden
    "areas": gettext_lazy("Areas of social areas (postcodes)"),
    "organisations": gettext_lazy("Organisations"),  # de: Organisationen
    "contacts": gettext_lazy("Contact persons"),  # de: Ansprechpersonen
    "programmes": gettext_lazy("Programmes"),  # de: Programme
    "modules": gettext_lazy("Programme modules (Bausteine)"),  # de: Bausteine
    "providers": gettext_lazy("Programme providers"),  # de: Programmanbieter je Gemeinde
    "posts": gettext_lazy("Case management posts"),  # de: Stellen im Case Management
    "goals": gettext_lazy("Goals"),  # de: Ziele
    "measures": gettext_lazy("Measures"),  # de: Maßnahmen
    "bodies": gettext_lazy("Bodies"),  # de: Gremien
    "members": gettext_lazy("Body members"),  # de: Gremienmitglieder
    "interview_guides": gettext_lazy("Interview guides"),  # de: Gesprächsleitfäden
    "purposes": gettext_lazy("Purposes of transfers"),
    "statutory_bases": gettext_lazy("Statutory bases of transfers"),
    "conferences": gettext_lazy("Case conferences"),
    "process_chains": gettext_lazy("Process chains"),  # de: Prozessketten
}


@dataclass
class LoadReport:
    """What a load did, per section; ``changed`` is False when the file matched the database."""

    filename: str
    traeger_slug: str
    traeger_name: str
    config_version: str
    sections: dict[str, SectionCounts] = field(
        default_factory=lambda: {name: SectionCounts() for name in SECTION_LABELS}
    )
    #: Notes on the loaded data that need attention (German), e.g. missing school holidays.
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.sections.values())

    @property
    def totals(self) -> SectionCounts:
        total = SectionCounts()
        for counts in self.sections.values():
            total.created += counts.created
            total.updated += counts.updated
            total.unchanged += counts.unchanged
            total.removed += counts.removed
        return total

    def as_text(self) -> str:
        """The German report printed by ``lotse loadconfig``."""
        lines = [
            # de: Konfiguration {file} für {traeger} ({slug}) geladen, Version {version}.
            _("Loaded configuration {file} for {traeger} ({slug}), version {version}.").format(
                file=self.filename,
                traeger=self.traeger_name,
                slug=self.traeger_slug,
                version=self.config_version,
            )
        ]
        width = max(len(str(label)) for label in SECTION_LABELS.values())
        for name, counts in self.sections.items():
            if not (counts.changed or counts.unchanged):
                continue
            label = str(SECTION_LABELS[name])
            lines.append(
                # de: {label}: {created} neu, {updated} geändert, {unchanged} unverändert,
                # de: {removed} entfernt
                "  "
                + label.ljust(width)
                + "  "
                + _(
                    "{created} new, {updated} changed, {unchanged} unchanged, {removed} removed"
                ).format(
                    created=counts.created,
                    updated=counts.updated,
                    unchanged=counts.unchanged,
                    removed=counts.removed,
                )
            )
        total = self.totals
        if self.changed:
            lines.append(
                # de: Insgesamt: {created} neu, {updated} geändert, {removed} entfernt.
                _("In total: {created} new, {updated} changed, {removed} removed.").format(
                    created=total.created, updated=total.updated, removed=total.removed
                )
            )
        else:
            # de: Keine Änderungen: die Datenbank entsprach bereits der Datei.
            lines.append(_("No changes: the database already matched the file."))
        for note in self.notes:
            # de: Hinweis: {note}
            lines.append(_("Note: {note}").format(note=note))
        return "\n".join(lines)


def read_config(*, path: FilePath | str) -> ParsedConfig:
    """Parse and validate a file completely; raises ``ConfigError`` listing every problem."""
    file_path = FilePath(path)
    filename = file_path.name
    try:
        text = file_path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            filename=str(path),
            # de: Die Datei wurde nicht gefunden.
            issues=[ConfigIssue(_("The file was not found."))],
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            filename=filename,
            # de: Die Datei ist nicht in UTF-8 kodiert (bitte als UTF-8 speichern).
            issues=[ConfigIssue(_("The file is not encoded in UTF-8 (please save it as UTF-8)."))],
        ) from exc
    except OSError as exc:
        raise ConfigError(
            filename=filename,
            # de: Die Datei kann nicht gelesen werden ({reason}).
            issues=[ConfigIssue(_("The file cannot be read ({reason}).").format(reason=exc))],
        ) from exc
    parsed = parse_yaml(text=text, filename=filename)
    issues = validate_schema(parsed)
    if issues:
        raise ConfigError(filename=filename, issues=issues)
    issues = check_references(parsed)
    if issues:
        raise ConfigError(filename=filename, issues=issues)
    return parsed


def config_load(*, path: FilePath | str) -> LoadReport:
    """Load the configuration file at ``path`` for the Träger it names.

    Raises ``ConfigError`` (German message with file, line and path) if the file is invalid or
    an entry that disappeared from it is still in use; the database is then unchanged.
    """
    parsed = read_config(path=path)
    with transaction.atomic():
        return _Applier(parsed).apply()


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _cents(value: float | int | None) -> int | None:
    if value is None:
        return None
    return int((Decimal(str(value)) * 100).to_integral_value())


class _Applier:
    """Writes one validated document; used only inside ``transaction.atomic``."""

    # Deletion runs in reverse of this order so dependants go before what they depend on.
    ORDER: tuple[tuple[str, type[models.Model]], ...] = (
        ("fields_of_action", dm.FieldOfAction),
        ("target_groups", dm.TargetGroup),
        ("residence_statuses", dm.ResidenceStatusType),
        ("sozialraeume", dm.Sozialraum),
        ("municipalities", dm.Municipality),
        ("areas", dm.SozialraumArea),
        ("organisations", dm.Organisation),
        ("contacts", dm.ContactPerson),
        ("programmes", dm.Programme),
        ("modules", dm.ProgrammeModule),
        ("posts", dm.CaseManagementPost),
        ("goals", dm.Goal),
        ("measures", dm.Measure),
        ("bodies", dm.Body),
        ("members", dm.BodyMembership),
        ("interview_guides", dm.InterviewGuide),
        ("purposes", Purpose),
        ("statutory_bases", StatutoryBasis),
    )

    def __init__(self, parsed: ParsedConfig) -> None:
        self.parsed = parsed
        self.data = parsed.data
        self.traeger: Traeger
        self.report: LoadReport
        self.objects: dict[str, dict[str, Any]] = {}
        self.wanted: dict[str, set[str]] = {}

    # -- generic upsert -----------------------------------------------------------------------
    def sync(
        self,
        section: str,
        model: type[Any],
        key: str,
        values: dict[str, Any],
        m2m: dict[str, Iterable[int]] | None = None,
    ) -> Any:
        """Create or update the row ``key``; ``values`` uses attribute names (``*_id`` for FKs)."""
        existing = self.objects.setdefault(section, self._existing(model))
        counts = self.report.sections[section]
        self.wanted.setdefault(section, set()).add(key)
        obj = existing.get(key)
        if obj is None and model is dm.Measure:
            decided = model.objects.filter(
                traeger=self.traeger, key=key, origin=dm.Measure.Origin.DECISION
            ).first()
            if decided is not None:  # changed by a decision since: the decision wins
                counts.unchanged += 1
                return decided
        if obj is None:
            obj = model(traeger=self.traeger, key=key, **values)
            self.clean(obj, section, key)
            obj.save()
            existing[key] = obj
            for name, pks in (m2m or {}).items():
                getattr(obj, name).set(list(pks))
            counts.created += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            self.clean(obj, section, key)
            obj.save(update_fields=_fields(changed))
        for name, pks in (m2m or {}).items():
            wanted = set(pks)
            if set(getattr(obj, name).values_list("pk", flat=True)) != wanted:
                getattr(obj, name).set(list(wanted))
                changed.append(name)
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        return obj

    def clean(self, obj: models.Model, section: str, key: str) -> None:
        """Model validation as a last line of defence behind the schema."""
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            details = "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in exc.message_dict.items()
            )
            raise ConfigError(
                filename=self.parsed.filename,
                issues=[
                    ConfigIssue(
                        # de: Der Eintrag „{key}“ im Abschnitt {section} ist ungültig: {details}
                        _("The entry “{key}” in section {section} is invalid: {details}").format(
                            key=key, section=str(SECTION_LABELS[section]), details=details
                        )
                    )
                ],
            ) from exc

    def _existing(self, model: type[Any]) -> dict[str, Any]:
        rows = model.objects.filter(traeger=self.traeger)
        if model is dm.Measure:
            # Measures a body's decision created or changed are the app's: a load of the file
            # neither deletes nor overwrites them (lotse.governance.papers).
            rows = rows.exclude(origin=dm.Measure.Origin.DECISION)
        return {obj.key: obj for obj in rows}

    def pk(self, section: str, key: str | None) -> int | None:
        if key is None:
            return None
        return int(self.objects[section][key].pk)

    # -- the document -------------------------------------------------------------------------
    def apply(self) -> LoadReport:
        doc = self.data
        meta = doc["traeger"]
        config = doc["config"]
        self.report = LoadReport(
            filename=self.parsed.filename,
            traeger_slug=meta["slug"],
            traeger_name=meta["name"],
            config_version=config["version"],
        )
        self.apply_traeger(meta, config, doc.get("school_holidays", []))
        self.apply_privacy_notice(meta)
        self.apply_directory(doc)
        self.apply_programmes(doc)
        self.apply_goals(doc)
        self.apply_bodies(doc)
        self.apply_guides(doc)
        self.apply_transfer_rules(doc)
        self.apply_conferences(doc)
        portal_config.apply(self, doc)
        self.remove_stale()
        self.check_school_holidays()
        if self.report.changed:
            self.traeger.config_loaded_at = timezone.now()
            self.traeger.save(update_fields=["config_loaded_at"])
        return self.report

    def check_school_holidays(self) -> None:
        """Say clearly when school-week deadlines lack holiday data for a time in use."""
        from lotse.deadlines.services import school_holiday_gaps

        for start, end in school_holiday_gaps(self.traeger):
            self.report.notes.append(
                # de: Für die Zeit vom {start} bis {end} fehlen die Schulferien (weder in
                # de: „school_holidays“ der Konfiguration noch in den mitgelieferten Ferien des
                # de: Landes {state}). Fristen in Schulwochen bekommen für diese Zeit kein Datum;
                # de: bitte die Ferien in der Konfiguration ergänzen.
                _(
                    "School holidays are missing from {start} to {end} (neither in the "
                    "configuration's school_holidays nor in the bundled holidays "
                    "of the state {state}). Deadlines in school weeks get no date for this "
                    "time; please add the holidays to the configuration."
                ).format(
                    start=start.strftime("%d.%m.%Y"),
                    end=end.strftime("%d.%m.%Y"),
                    state=self.traeger.state or "NW",
                )
            )

    def apply_traeger(
        self, meta: dict[str, Any], config: dict[str, Any], holidays: list[dict[str, Any]]
    ) -> None:
        values = {
            "name": meta["name"],
            "kind": meta["kind"],
            "state": meta.get("state", "NW"),
            "operator_name": meta.get("operator", ""),
            "brand_colour": meta.get("colour", "").lower(),
            "config_version": config["version"],
            "config_date": _date(config.get("date")),
            "school_holidays": holidays,
        }
        counts = self.report.sections["traeger"]
        traeger = Traeger.objects.select_for_update().filter(slug=meta["slug"]).first()
        if traeger is None:
            traeger = Traeger.objects.create(slug=meta["slug"], **values)
            counts.created += 1
        else:
            changed = [name for name, value in values.items() if getattr(traeger, name) != value]
            for name in changed:
                setattr(traeger, name, values[name])
            if changed:
                traeger.save(update_fields=changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
        self.traeger = traeger

    def apply_privacy_notice(self, meta: dict[str, Any]) -> None:
        """Controller and DPO of the Art. 13 sheet from ``traeger.controller``/``…officer``.

        A section missing from the file keeps what the admin entered; without either the sheet
        says that they are not configured, and the report notes it.
        """
        controller = meta.get("controller")
        officer = meta.get("data_protection_officer")
        row = PrivacyNoticeSettings.objects.filter(traeger=self.traeger).first()
        values: dict[str, str] = {}
        if controller:
            values |= {
                "controller_name": controller["name"],
                "controller_address": controller["address"],
                "controller_email": controller.get("email", ""),
                "controller_phone": controller.get("phone", ""),
            }
        if officer:
            values |= {
                "dpo_name": officer["name"],
                "dpo_address": officer.get("address", ""),
                "dpo_email": officer.get("email", ""),
                "dpo_phone": officer.get("phone", ""),
            }
        counts = self.report.sections["privacy_notice"]
        if values and row is None and controller:
            row = PrivacyNoticeSettings.objects.create(traeger=self.traeger, **values)
            counts.created += 1
        elif values and row is not None:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, values[name])
            if changed:
                row.save(update_fields=[*changed, "updated_at"])
                counts.updated += 1
            else:
                counts.unchanged += 1
        missing = []
        if row is None:
            missing.append("traeger.controller")
        if row is None or not (
            row.dpo_name and (row.dpo_address or row.dpo_email or row.dpo_phone or row.dpo_contact)
        ):
            missing.append("traeger.data_protection_officer")
        if missing:
            self.report.notes.append(
                # de: Für das Informationsblatt nach Art. 13 DSGVO fehlen {fields} (Name, Anschrift,
                # de: E-Mail, Telefon). Bis sie in der Konfiguration oder in der Verwaltung
                # de: eingetragen sind, steht auf dem Blatt „nicht konfiguriert“.
                _(
                    "The information sheet under Art. 13 GDPR lacks {fields} (name, address, "
                    "e-mail, phone). Until they are entered in the configuration or in the "
                    "administration, the sheet says “not configured”."
                ).format(fields=", ".join(missing))
            )

    def apply_directory(self, doc: dict[str, Any]) -> None:
        for index, item in enumerate(doc.get("fields_of_action", [])):
            self.sync(
                "fields_of_action",
                dm.FieldOfAction,
                item["key"],
                {
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "description": item.get("description", ""),
                    "cross_cutting": item.get("cross_cutting", False),
                    "data_category": item.get("data_category", ""),
                    "assessment_questions": [
                        {name: question[name] for name in QUESTION_KEYS if name in question}
                        for question in item.get("assessment", [])
                    ],
                    "sort_order": index,
                },
            )
        for index, (item, _path, parent) in enumerate(
            walk_tree(doc.get("target_groups", []), ("target_groups",))
        ):
            self.sync(
                "target_groups",
                dm.TargetGroup,
                item["key"],
                {
                    "name": item["name"],
                    "description": item.get("description", ""),
                    "parent_id": self.pk("target_groups", parent["key"] if parent else None),
                    "sort_order": index,
                },
            )
        for index, item in enumerate(doc.get("residence_statuses", [])):
            self.sync(
                "residence_statuses",
                dm.ResidenceStatusType,
                item["key"],
                {
                    "name": item["name"],
                    "legal_basis": item.get("legal_basis", ""),
                    "is_residence_title": item.get("is_residence_title", True),
                    "typical_validity_months": item.get("typical_validity_months"),
                    "target_group_id": self.pk("target_groups", item.get("target_group")),
                    "description": item.get("description", ""),
                    "sort_order": index,
                },
            )
        sozialraum_of: dict[str, str] = {}
        for index, item in enumerate(doc.get("sozialraeume", [])):
            self.sync(
                "sozialraeume",
                dm.Sozialraum,
                item["key"],
                {
                    "name": item["name"],
                    "office": item.get("office", ""),
                    "sort_order": index,
                },
            )
            for municipality in item.get("municipalities", []):
                sozialraum_of[municipality] = item["key"]
        self.objects.setdefault("sozialraeume", self._existing(dm.Sozialraum))
        for index, item in enumerate(doc["municipalities"]):
            self.sync(
                "municipalities",
                dm.Municipality,
                item["key"],
                {
                    "name": item["name"],
                    "official_key": item.get("official_key", ""),
                    "own_immigration_office": item.get("own_immigration_office", False),
                    "own_youth_office": item.get("own_youth_office", False),
                    "sozialraum_id": self.pk("sozialraeume", sozialraum_of.get(item["key"])),
                    "sort_order": index,
                },
            )
        self.objects.setdefault("municipalities", self._existing(dm.Municipality))
        area_index = 0
        for item in doc.get("sozialraeume", []):
            for area in item.get("areas", []):
                self.sync(
                    "areas",
                    dm.SozialraumArea,
                    area["key"],
                    {
                        "sozialraum_id": self.pk("sozialraeume", item["key"]),
                        "municipality_id": self.pk("municipalities", area["municipality"]),
                        "name": area.get("name", ""),
                        "postcodes": sorted(set(area["postcodes"])),
                        "sort_order": area_index,
                    },
                )
                area_index += 1
        self.objects.setdefault("areas", self._existing(dm.SozialraumArea))
        for index, item in enumerate(doc.get("organisations", [])):
            self.sync(
                "organisations",
                dm.Organisation,
                item["key"],
                {
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "kind": item.get("kind", dm.Organisation.Kind.OTHER),
                    "municipality_id": self.pk("municipalities", item.get("municipality")),
                    "address": item.get("address", ""),
                    "email": item.get("email", ""),
                    "phone": item.get("phone", ""),
                    "website": item.get("website", ""),
                    "description": item.get("description", ""),
                    "sort_order": index,
                },
            )
        self.objects.setdefault("organisations", self._existing(dm.Organisation))
        for item in doc.get("organisations", []):
            for index, contact in enumerate(item.get("contacts", [])):
                self.sync(
                    "contacts",
                    dm.ContactPerson,
                    contact["key"],
                    {
                        "organisation_id": self.pk("organisations", item["key"]),
                        "name": contact["name"],
                        "function": contact.get("function", ""),
                        "email": contact.get("email", ""),
                        "phone": contact.get("phone", ""),
                        "sort_order": index,
                    },
                )

    def apply_programmes(self, doc: dict[str, Any]) -> None:
        self.objects.setdefault("residence_statuses", self._existing(dm.ResidenceStatusType))
        for index, item in enumerate(doc.get("programmes", [])):
            self.sync(
                "programmes",
                dm.Programme,
                item["key"],
                {
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "kind": item["kind"],
                    "description": item.get("description", ""),
                    "funding": item.get("funding", ""),
                    "budget_cents": _cents(item.get("budget_eur")),
                    "min_age": item.get("min_age"),
                    "max_age": item.get("max_age"),
                    "eligibility_note": item.get("eligibility_note", ""),
                    "coverage_note": item.get("coverage_note", ""),
                    "sort_order": index,
                },
                m2m={
                    "eligible_statuses": [
                        self.pk("residence_statuses", key) or 0
                        for key in item.get("eligible_statuses", [])
                    ]
                },
            )
            for module in item.get("modules", []):
                self.sync(
                    "modules",
                    dm.ProgrammeModule,
                    module["key"],
                    {
                        "programme_id": self.pk("programmes", item["key"]),
                        "number": module["number"],
                        "name": module["name"],
                        "description": module.get("description", ""),
                        "participants_per_coach": module.get("participants_per_coach"),
                        "sort_order": module["number"],
                    },
                )
        self.objects.setdefault("programmes", self._existing(dm.Programme))
        self.apply_providers(doc)
        self.objects.setdefault("sozialraeume", self._existing(dm.Sozialraum))
        for index, item in enumerate(doc.get("case_management_posts", [])):
            self.sync(
                "posts",
                dm.CaseManagementPost,
                item["key"],
                {
                    "name": item["name"],
                    "programme_id": self.pk("programmes", item["programme"]),
                    "organisation_id": self.pk("organisations", item["organisation"]),
                    "sozialraum_id": self.pk("sozialraeume", item.get("sozialraum")),
                    "target_caseload": item.get("target_caseload", 100),
                    "sort_order": index,
                },
            )

    def apply_providers(self, doc: dict[str, Any]) -> None:
        """Provider rows have no key of their own: their identity is (programme, municipality)."""
        counts = self.report.sections["providers"]
        existing = {
            (row.programme_id, row.municipality_id): row
            for row in dm.ProgrammeProvider.objects.filter(traeger=self.traeger)
        }
        wanted: set[tuple[int, int]] = set()
        for item in doc.get("programmes", []):
            programme_id = self.pk("programmes", item["key"])
            for provider in item.get("providers", []):
                organisation_id = int(self.objects["organisations"][provider["organisation"]].pk)
                for municipality in provider["municipalities"]:
                    identity = (programme_id or 0, self.pk("municipalities", municipality) or 0)
                    wanted.add(identity)
                    row = existing.get(identity)
                    if row is None:
                        dm.ProgrammeProvider.objects.create(
                            traeger=self.traeger,
                            programme_id=identity[0],
                            municipality_id=identity[1],
                            organisation_id=organisation_id,
                        )
                        counts.created += 1
                    elif row.organisation_id != organisation_id:
                        row.organisation_id = organisation_id
                        row.save(update_fields=["organisation"])
                        counts.updated += 1
                    else:
                        counts.unchanged += 1
        for identity, row in existing.items():
            if identity not in wanted:
                row.delete()
                counts.removed += 1

    def apply_goals(self, doc: dict[str, Any]) -> None:
        self.objects.setdefault("fields_of_action", self._existing(dm.FieldOfAction))
        goals = list(walk_tree(doc.get("goals", []), ("goals",)))
        for index, (item, _path, parent) in enumerate(goals):
            self.sync(
                "goals",
                dm.Goal,
                item["key"],
                {
                    "code": item.get("code", ""),
                    "title": item["title"],
                    "description": item.get("description", ""),
                    "tier": item["tier"],
                    "parent_id": self.pk("goals", parent["key"] if parent else None),
                    "field_of_action_id": self.pk("fields_of_action", item.get("field_of_action")),
                    "deadline_rule": item.get("deadline"),
                    "applies_to": item.get("applies_to"),
                    "adopted_on": _date(item.get("adopted_on")),
                    "adopted_by": item.get("adopted_by", ""),
                    "sort_order": index,
                },
            )
        self.objects.setdefault("goals", self._existing(dm.Goal))
        for item, _path, _parent in goals:
            for index, measure in enumerate(item.get("measures", [])):
                self.sync(
                    "measures",
                    dm.Measure,
                    measure["key"],
                    {
                        "goal_id": self.pk("goals", item["key"]),
                        "text": measure["text"],
                        "responsible": measure.get("responsible", ""),
                        "financing": measure.get("financing", ""),
                        "organisational": measure.get("organisational", ""),
                        "sort_order": index,
                    },
                    m2m={
                        "further_goals": [
                            self.pk("goals", key) or 0 for key in measure.get("further_goals", [])
                        ]
                    },
                )

    def apply_bodies(self, doc: dict[str, Any]) -> None:
        bodies = list(enumerate(doc.get("bodies", [])))
        self.objects.setdefault("bodies", self._existing(dm.Body))
        done: set[str] = set()
        pending = bodies
        # A body may be mandated by one listed after it: write mandating bodies first
        # (cycles were rejected during validation).
        while pending:
            ready = [
                (index, item)
                for index, item in pending
                if not item.get("mandated_by") or item["mandated_by"] in done
            ]
            for index, item in ready:
                values: dict[str, Any] = {
                    "name": item["name"],
                    "kind": item["kind"],
                    "field_of_action_id": self.pk("fields_of_action", item.get("field_of_action")),
                    "hierarchy_level": item.get("hierarchy_level", ""),
                    "meeting_rhythm": item.get("meeting_rhythm", ""),
                    "description": item.get("description", ""),
                    "sort_order": index,
                }
                # The Servicestelle edits a working group's mandate in the app (Gremienarbeit):
                # the file wins for what it names; what it leaves out keeps the app's value.
                if "mandated_by" in item:
                    values["mandated_by_id"] = self.pk("bodies", item["mandated_by"])
                if "task" in item:
                    values["task"] = item["task"]
                if "ends_on" in item:
                    values["ends_on"] = _date(item["ends_on"])
                self.sync("bodies", dm.Body, item["key"], values)
                done.add(item["key"])
            if not ready:
                break
            pending = [(index, item) for index, item in pending if item["key"] not in done]
        for _index, item in bodies:
            for m_index, member in enumerate(item.get("members", [])):
                self.sync(
                    "members",
                    dm.BodyMembership,
                    member["key"],
                    {
                        "body_id": self.pk("bodies", item["key"]),
                        "organisation_id": self.pk("organisations", member.get("organisation")),
                        "label": member["label"],
                        "role": member.get("role", ""),
                        "sort_order": m_index,
                        # Person, deputy and level: set by the file only where it names them,
                        # otherwise what the Servicestelle entered in the app stays.
                        **{
                            f"{name}_id": self.pk("contacts", member[name])
                            for name in ("contact", "deputy")
                            if name in member
                        },
                        **(
                            {"hierarchy_level": member["hierarchy_level"]}
                            if "hierarchy_level" in member
                            else {}
                        ),
                    },
                )

    def apply_guides(self, doc: dict[str, Any]) -> None:
        for index, item in enumerate(doc.get("interview_guides", [])):
            self.sync(
                "interview_guides",
                dm.InterviewGuide,
                item["key"],
                {
                    "name": item["name"],
                    "guide_version": item["version"],
                    "description": item.get("description", ""),
                    "sections": item["sections"],
                    "sort_order": index,
                },
            )

    def apply_transfer_rules(self, doc: dict[str, Any]) -> None:
        """Purposes and statutory bases: what the gate (``consent.gate``) checks transfers by."""
        for index, item in enumerate(doc.get("purposes", [])):
            self.sync(
                "purposes",
                Purpose,
                item["key"],
                {
                    "name": item["name"],
                    "description": item.get("description", ""),
                    "sort_order": index,
                },
            )
        self.objects.setdefault("purposes", self._existing(Purpose))
        if self.report.sections["purposes"].created:
            purposes_from_text(traeger_id=self.traeger.pk)
        for index, item in enumerate(doc.get("statutory_bases", [])):
            self.sync(
                "statutory_bases",
                StatutoryBasis,
                item["key"],
                {
                    "citation": item["citation"],
                    "description": item.get("description", ""),
                    "allowed_roles": list(item["roles"]),
                    "allowed_recipient_kinds": list(item["recipient_kinds"]),
                    "sort_order": index,
                },
                m2m={"purposes": [self.pk("purposes", key) or 0 for key in item["purposes"]]},
            )

    def apply_conferences(self, doc: dict[str, Any]) -> None:
        """Who may call a case conference, lead time, length, agenda and barrier categories.

        A file without the section keeps what is stored (like the privacy notice).
        """
        section = doc.get("conferences")
        if section is None:
            return
        low, high = section.get("lead_days", [14, 28])
        values: dict[str, Any] = {
            "initiating_kinds": list(section.get("initiating_kinds", [])),
            "initiating_organisations": list(section.get("initiating_organisations", [])),
            "lead_days_min": low,
            "lead_days_max": high,
            "max_minutes": section.get("max_minutes", 90),
            "agenda": [conference_agenda_item(item) for item in section["agenda"]],
            "barrier_categories": [
                {"key": item["key"], "name": item["name"]} for item in section["barrier_categories"]
            ],
        }
        counts = self.report.sections["conferences"]
        row = ConferenceSettings.objects.filter(traeger=self.traeger).first()
        if row is None:
            ConferenceSettings.objects.create(traeger=self.traeger, **values)
            counts.created += 1
            return
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            row.save(update_fields=[*changed, "updated_at"])
            counts.updated += 1
        else:
            counts.unchanged += 1

    # -- removal ------------------------------------------------------------------------------
    def remove_stale(self) -> None:
        issues: list[ConfigIssue] = []
        for section, model in reversed(self.ORDER):
            existing = self.objects.get(section)
            if existing is None:
                existing = self._existing(model)
            wanted = self.wanted.get(section, set())
            # Members the Servicestelle added in the app (key ``app-…``) are not the file's.
            stale = [
                obj
                for key, obj in existing.items()
                if key not in wanted
                and not (section == "members" and key.startswith(dm.APP_KEY_PREFIX))
            ]
            if model is dm.Goal:
                # Goals a body's decision created are the app's until the file names them.
                decided = set(
                    dm.Goal.objects.filter(
                        traeger=self.traeger, changes__kind="goal_created"
                    ).values_list("pk", flat=True)
                )
                stale = [obj for obj in stale if obj.pk not in decided]
            # Children first, so a removed parent goal or group does not cascade first.
            stale.sort(key=lambda obj: -int(getattr(obj, "sort_order", 0)))
            for obj in stale:
                users = _outside_references(obj)
                if users:
                    issues.append(_still_used_issue(obj, users))
                    continue
                if type(obj)._default_manager.filter(pk=obj.pk).exists():
                    obj.delete()
                self.report.sections[section].removed += 1
        if issues:
            raise ConfigError(filename=self.parsed.filename, issues=issues)


def conference_agenda_item(item: dict[str, Any]) -> dict[str, Any]:
    """An agenda item of the file as stored: ``minutes`` is a length or ``[min, max]``."""
    minutes = item["minutes"]
    low, high = (minutes, minutes) if isinstance(minutes, int) else minutes
    return {"key": item["key"], "title": item["title"], "min_minutes": low, "max_minutes": high}


#: The keys of an assessment question, in the order the dumper writes them.
QUESTION_KEYS = ("key", "label", "hint", "type", "choices", "min_age", "max_age")


def _fields(attnames: Iterable[str]) -> list[str]:
    return [name[:-3] if name.endswith("_id") else name for name in attnames]


_CONFIG_MODELS: frozenset[type[models.Model]] = frozenset(
    {
        dm.Sozialraum,
        dm.Municipality,
        dm.Organisation,
        dm.ContactPerson,
        dm.FieldOfAction,
        dm.TargetGroup,
        dm.ResidenceStatusType,
        dm.Programme,
        dm.ProgrammeProvider,
        dm.ProgrammeModule,
        dm.CaseManagementPost,
        dm.Goal,
        dm.Measure,
        dm.Body,
        dm.BodyMembership,
        dm.InterviewGuide,
        Purpose,
        StatutoryBasis,
        # Process chains point at organisations and fields of action; they are configuration
        # too (``process_chains:``), so they do not keep those from being removed.
        ProcessChain,
        ProcessStep,
    }
)


def _outside_references(obj: models.Model) -> list[models.Model]:
    """Rows outside the configuration (cases, people, users …) that point at ``obj``."""
    found: list[models.Model] = []
    for relation in obj._meta.related_objects:
        related_model = relation.related_model
        if related_model in _CONFIG_MODELS:
            continue
        if relation.many_to_many:
            # Works for hidden relations (related_name "+") too: ask the owning side.
            found.extend(related_model._base_manager.filter(**{relation.field.name: obj})[:5])
            continue
        found.extend(related_model._base_manager.filter(**{relation.field.name: obj})[:5])
    if isinstance(obj, dm.Goal):  # the measures decided under it would go with the goal
        found.extend(obj.measures.filter(origin=dm.Measure.Origin.DECISION)[:5])
    return found


def _still_used_issue(obj: models.Model, users: list[models.Model]) -> ConfigIssue:
    described = ", ".join(f"{u._meta.verbose_name} „{u}“" for u in users[:5])
    return ConfigIssue(
        message=_(
            # de: {kind} „{name}“ (Schlüssel „{key}“) fehlt in der Datei, kann aber nicht entfernt
            # de: werden, weil noch darauf verwiesen wird: {users}. Lassen Sie den Eintrag in der
            # de: Datei (umbenennen ist möglich) oder lösen Sie zuerst diese Verweise.
            "{kind} “{name}” (key “{key}”) is missing from the file but cannot be removed because "
            "it is still referred to by: {users}. Keep the entry in the file (renaming it is "
            "fine) or remove these references first."
        ).format(
            kind=str(obj._meta.verbose_name).capitalize(),
            name=obj,
            key=getattr(obj, "key", ""),
            users=described,
        )
    )
