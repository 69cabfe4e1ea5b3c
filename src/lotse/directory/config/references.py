"""Cross-reference checks the JSON Schema cannot express.

Keys must be unique per kind (they are the identity across reloads), every reference must name
an existing key, and a few plausibility rules hold (age ranges, one Sozialraum per municipality).
Every problem is reported with the line of the offending value.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from lotse.directory.config.errors import ConfigIssue, Path
from lotse.directory.config.parsing import ParsedConfig
from lotse.portal import config as portal_config


def walk_tree(
    items: list[dict[str, Any]], path: Path, parent: dict[str, Any] | None = None
) -> Iterator[tuple[dict[str, Any], Path, dict[str, Any] | None]]:
    """Pre-order walk of nested ``children`` lists (target groups, goals)."""
    for index, item in enumerate(items):
        item_path = (*path, index)
        yield item, item_path, parent
        yield from walk_tree(item.get("children", []), (*item_path, "children"), item)


class _Checker:
    def __init__(self, parsed: ParsedConfig) -> None:
        self.parsed = parsed
        self.data = parsed.data
        self.issues: list[ConfigIssue] = []
        self.keys: dict[str, dict[str, Path]] = {}

    def add(self, path: Path, message: str) -> None:
        self.issues.append(self.parsed.issue(path, message))

    # -- keys -------------------------------------------------------------------------------
    def register(self, kind: str, item: dict[str, Any], path: Path) -> None:
        key = item.get("key")
        if not isinstance(key, str):
            return
        known = self.keys.setdefault(kind, {})
        if key in known:
            first = self.parsed.line_of((*known[key], "key"))
            self.add(
                (*path, "key"),
                # de: Der Schlüssel „{key}“ ist doppelt vergeben (zuerst in Zeile {first});
                # de: Schlüssel müssen je Art eindeutig sein.
                _(
                    "The key “{key}” is used twice (first on line {first}); keys must be unique "
                    "for each kind of entry."
                ).format(key=key, first=first),
            )
            return
        known[key] = path

    def ref(self, kind: str, value: Any, path: Path, label: str) -> None:
        if not isinstance(value, str):
            return
        if value not in self.keys.get(kind, {}):
            self.add(
                path,
                # de: {label} „{key}“ ist unbekannt; es gibt keinen Eintrag mit diesem Schlüssel.
                _("{label} “{key}” is unknown; there is no entry with this key.").format(
                    label=label, key=value
                ),
            )

    def refs(self, kind: str, values: Any, path: Path, label: str) -> None:
        if not isinstance(values, list):
            return
        seen: set[str] = set()
        for index, value in enumerate(values):
            self.ref(kind, value, (*path, index), label)
            if value in seen:
                self.add(
                    (*path, index),
                    # de: „{key}“ steht doppelt in dieser Liste.
                    _("“{key}” is listed twice in this list.").format(key=value),
                )
            seen.add(value)

    def section(self, name: str) -> list[tuple[dict[str, Any], Path]]:
        items = self.data.get(name) or []
        return [(item, (name, index)) for index, item in enumerate(items)]

    def age_range(self, item: dict[str, Any], path: Path) -> None:
        low, high = item.get("min_age"), item.get("max_age")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.add(
                (*path, "max_age"),
                # de: Das Höchstalter ({high}) liegt unter dem Mindestalter ({low}).
                _("The maximum age ({high}) is below the minimum age ({low}).").format(
                    high=high, low=low
                ),
            )

    # -- the checks -------------------------------------------------------------------------
    def run(self) -> list[ConfigIssue]:
        self.register_all()
        self.check_holidays()
        self.check_sozialraeume()
        self.check_organisations()
        self.check_residence_statuses()
        self.check_programmes()
        self.check_posts()
        self.check_goals()
        self.check_bodies()
        self.check_interview_guides()
        self.check_assessment_questions()
        self.check_statutory_bases()
        self.check_conferences()
        portal_config.check(self)
        return self.issues

    def register_all(self) -> None:
        for kind, section in [
            ("municipality", "municipalities"),
            ("sozialraum", "sozialraeume"),
            ("organisation", "organisations"),
            ("field_of_action", "fields_of_action"),
            ("residence_status", "residence_statuses"),
            ("programme", "programmes"),
            ("post", "case_management_posts"),
            ("body", "bodies"),
            ("interview_guide", "interview_guides"),
            ("purpose", "purposes"),
            ("statutory_basis", "statutory_bases"),
        ]:
            for item, path in self.section(section):
                self.register(kind, item, path)
        for item, path in self.section("organisations"):
            for index, contact in enumerate(item.get("contacts", [])):
                self.register("contact", contact, (*path, "contacts", index))
        for item, path, _parent in walk_tree(
            self.data.get("target_groups") or [], ("target_groups",)
        ):
            self.register("target_group", item, path)
        for item, path in self.section("programmes"):
            for index, module in enumerate(item.get("modules", [])):
                self.register("module", module, (*path, "modules", index))
        for item, path, _parent in walk_tree(self.data.get("goals") or [], ("goals",)):
            self.register("goal", item, path)
            for index, measure in enumerate(item.get("measures", [])):
                self.register("measure", measure, (*path, "measures", index))
        for item, path in self.section("bodies"):
            for index, member in enumerate(item.get("members", [])):
                self.register("member", member, (*path, "members", index))

    def check_holidays(self) -> None:
        for item, path in self.section("school_holidays"):
            try:
                start = datetime.date.fromisoformat(item["start"])
                end = datetime.date.fromisoformat(item["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if end < start:
                # de: Das Ende der Ferien liegt vor ihrem Beginn.
                self.add((*path, "end"), _("The holidays end before they start."))

    def check_sozialraeume(self) -> None:
        assigned: dict[str, Path] = {}
        postcodes: dict[tuple[Any, Any], Path] = {}
        for item, path in self.section("sozialraeume"):
            # de: Gemeinde
            self.refs(
                "municipality",
                item.get("municipalities"),
                (*path, "municipalities"),
                _("Municipality"),
            )
            for index, key in enumerate(item.get("municipalities", [])):
                if key in assigned and assigned[key][:2] != path:
                    first = self.parsed.line_of(assigned[key])
                    self.add(
                        (*path, "municipalities", index),
                        # de: Die Gemeinde „{key}“ ist schon einem anderen Sozialraum zugeordnet
                        # de: (Zeile {first}); jede Gemeinde gehört zu höchstens einem Sozialraum.
                        _(
                            "The municipality “{key}” already belongs to another Sozialraum (line "
                            "{first}); each municipality belongs to at most one Sozialraum."
                        ).format(key=key, first=first),
                    )
                else:
                    assigned.setdefault(key, (*path, "municipalities", index))
            for index, area in enumerate(item.get("areas", []) or []):
                area_path = (*path, "areas", index)
                self.ref(
                    "municipality",
                    area.get("municipality"),
                    (*area_path, "municipality"),
                    _("Municipality"),
                )
                for code_index, code in enumerate(area.get("postcodes", []) or []):
                    owner = (area.get("municipality"), code)
                    if owner in postcodes:
                        self.add(
                            (*area_path, "postcodes", code_index),
                            _(
                                "The postcode “{code}” of “{municipality}” already belongs to "
                                "another area (line {first}); each postcode belongs to one area."
                            ).format(
                                code=code,
                                municipality=area.get("municipality"),
                                first=self.parsed.line_of(postcodes[owner]),
                            ),
                        )
                    else:
                        postcodes[owner] = (*area_path, "postcodes", code_index)

    def check_organisations(self) -> None:
        for item, path in self.section("organisations"):
            self.ref(
                "municipality", item.get("municipality"), (*path, "municipality"), _("Municipality")
            )

    def check_residence_statuses(self) -> None:
        for item, path in self.section("residence_statuses"):
            # de: Zielgruppe
            self.ref(
                "target_group", item.get("target_group"), (*path, "target_group"), _("Target group")
            )

    def check_programmes(self) -> None:
        municipalities = list(self.keys.get("municipality", {}))
        for item, path in self.section("programmes"):
            self.age_range(item, path)
            # de: Aufenthaltsstatus
            self.refs(
                "residence_status",
                item.get("eligible_statuses"),
                (*path, "eligible_statuses"),
                _("Residence status"),
            )
            covered: dict[str, Path] = {}
            for p_index, provider in enumerate(item.get("providers", [])):
                p_path = (*path, "providers", p_index)
                # de: Organisation
                self.ref(
                    "organisation",
                    provider.get("organisation"),
                    (*p_path, "organisation"),
                    _("Organisation"),
                )
                self.refs(
                    "municipality",
                    provider.get("municipalities"),
                    (*p_path, "municipalities"),
                    _("Municipality"),
                )
                for m_index, key in enumerate(provider.get("municipalities", [])):
                    if key in covered and covered[key][:-1] != (*p_path, "municipalities"):
                        self.add(
                            (*p_path, "municipalities", m_index),
                            # de: Für die Gemeinde „{key}“ ist schon ein anderer Anbieter
                            # de: eingetragen (Zeile {first}).
                            _(
                                "Another provider is already listed for the municipality “{key}” "
                                "(line {first})."
                            ).format(key=key, first=self.parsed.line_of(covered[key])),
                        )
                    covered.setdefault(key, (*p_path, "municipalities", m_index))
            not_covered = item.get("not_covered")
            self.refs("municipality", not_covered, (*path, "not_covered"), _("Municipality"))
            if isinstance(not_covered, list):
                for index, key in enumerate(not_covered):
                    if key in covered:
                        self.add(
                            (*path, "not_covered", index),
                            # de: Die Gemeinde „{key}“ ist als nicht versorgt eingetragen, hat
                            # de: aber einen Anbieter (Zeile {first}).
                            _(
                                "The municipality “{key}” is listed as not covered but has a "
                                "provider (line {first})."
                            ).format(key=key, first=self.parsed.line_of(covered[key])),
                        )
                missing = [m for m in municipalities if m not in covered and m not in not_covered]
                if missing:
                    self.add(
                        (*path, "not_covered"),
                        # de: Für diese Gemeinden ist weder ein Anbieter noch „nicht versorgt“
                        # de: eingetragen: {keys}.
                        _(
                            "These municipalities have neither a provider nor are they listed as "
                            "not covered: {keys}."
                        ).format(keys=", ".join(missing)),
                    )
            numbers: dict[int, int] = {}
            for m_index, module in enumerate(item.get("modules", [])):
                number = module.get("number")
                if isinstance(number, int) and number in numbers:
                    self.add(
                        (*path, "modules", m_index, "number"),
                        # de: Baustein {number} ist in diesem Programm doppelt vergeben.
                        _("Module number {number} is used twice in this programme.").format(
                            number=number
                        ),
                    )
                if isinstance(number, int):
                    numbers[number] = m_index

    def check_statutory_bases(self) -> None:
        for item, path in self.section("statutory_bases"):
            # de: Zweck
            self.refs("purpose", item.get("purposes"), (*path, "purposes"), _("Purpose"))

    def check_conferences(self) -> None:
        section = self.data.get("conferences") or {}
        self.refs(
            "organisation",
            section.get("initiating_organisations"),
            ("conferences", "initiating_organisations"),
            _("Organisation"),
        )

    def check_posts(self) -> None:
        for item, path in self.section("case_management_posts"):
            # de: Programm
            self.ref("programme", item.get("programme"), (*path, "programme"), _("Programme"))
            self.ref(
                "organisation", item.get("organisation"), (*path, "organisation"), _("Organisation")
            )
            # de: Sozialraum
            self.ref("sozialraum", item.get("sozialraum"), (*path, "sozialraum"), _("Sozialraum"))

    def check_goals(self) -> None:
        for item, path, _parent in walk_tree(self.data.get("goals") or [], ("goals",)):
            # de: Handlungsfeld
            self.ref(
                "field_of_action",
                item.get("field_of_action"),
                (*path, "field_of_action"),
                _("Field of action"),
            )
            applies_to = item.get("applies_to")
            if isinstance(applies_to, dict):
                a_path = (*path, "applies_to")
                self.age_range(applies_to, a_path)
                self.refs(
                    "target_group",
                    applies_to.get("target_groups"),
                    (*a_path, "target_groups"),
                    _("Target group"),
                )
                self.refs(
                    "residence_status",
                    applies_to.get("residence_statuses"),
                    (*a_path, "residence_statuses"),
                    _("Residence status"),
                )
            for m_index, measure in enumerate(item.get("measures", [])):
                f_path = (*path, "measures", m_index, "further_goals")
                # de: Ziel
                self.refs("goal", measure.get("further_goals"), f_path, _("Goal"))
                for f_index, key in enumerate(measure.get("further_goals", []) or []):
                    if key == item.get("key"):
                        self.add(
                            (*f_path, f_index),
                            # de: Eine Maßnahme kann nicht zusätzlich dem eigenen Ziel zugeordnet
                            # de: werden.
                            _("A measure cannot list its own goal as a further goal."),
                        )

    def check_bodies(self) -> None:
        mandates: dict[str, str] = {}
        for item, path in self.section("bodies"):
            self.ref(
                "field_of_action",
                item.get("field_of_action"),
                (*path, "field_of_action"),
                _("Field of action"),
            )
            # de: Gremium
            self.ref("body", item.get("mandated_by"), (*path, "mandated_by"), _("Body"))
            if isinstance(item.get("mandated_by"), str) and isinstance(item.get("key"), str):
                mandates[item["key"]] = item["mandated_by"]
            for index, member in enumerate(item.get("members", [])):
                self.ref(
                    "organisation",
                    member.get("organisation"),
                    (*path, "members", index, "organisation"),
                    _("Organisation"),
                )
                for name in ("contact", "deputy"):
                    self.ref(
                        "contact",
                        member.get(name),
                        (*path, "members", index, name),
                        # de: Ansprechperson
                        _("Contact person"),
                    )
        for item, path in self.section("bodies"):
            key, seen = item.get("key"), set()
            while isinstance(key, str) and key in mandates and key not in seen:
                seen.add(key)
                key = mandates[key]
            if isinstance(key, str) and key in seen and item.get("key") in seen:
                self.add(
                    (*path, "mandated_by"),
                    # de: Die Beauftragung der Gremien bildet einen Kreis.
                    _("The “mandated by” chain of the bodies forms a circle."),
                )

    def check_assessment_questions(self) -> None:
        for item, path in self.section("fields_of_action"):
            keys: set[str] = set()
            for index, question in enumerate(item.get("assessment") or []):
                q_path = (*path, "assessment", index)
                self._unique_in(keys, question, q_path)
                self.age_range(question, q_path)
                kind = question.get("type", "text")
                if kind == "choice" and not question.get("choices"):
                    self.add(
                        q_path,
                        # de: Eine Auswahlfrage braucht eine Liste „choices“.
                        _("A choice question needs a list of “choices”."),
                    )
                if kind != "choice" and question.get("choices"):
                    self.add(
                        (*q_path, "choices"),
                        # de: Nur Auswahlfragen (type: choice) haben „choices“.
                        _("Only choice questions (type: choice) have “choices”."),
                    )

    def check_interview_guides(self) -> None:
        for item, path in self.section("interview_guides"):
            sections: set[str] = set()
            for s_index, section in enumerate(item.get("sections", [])):
                s_path = (*path, "sections", s_index)
                self._unique_in(sections, section, s_path)
                questions: set[str] = set()
                for q_index, question in enumerate(section.get("questions", [])):
                    q_path = (*s_path, "questions", q_index)
                    self._unique_in(questions, question, q_path)
                    if question.get("answer_type") == "choice" and not question.get("options"):
                        self.add(
                            q_path,
                            # de: Eine Auswahlfrage braucht eine Liste „options“.
                            _("A choice question needs a list of “options”."),
                        )

    def _unique_in(self, seen: set[str], item: dict[str, Any], path: Path) -> None:
        key = item.get("key")
        if key in seen:
            self.add(
                (*path, "key"),
                # de: Der Schlüssel „{key}“ ist an dieser Stelle doppelt vergeben.
                _("The key “{key}” is used twice here.").format(key=key),
            )
        if isinstance(key, str):
            seen.add(key)


def check_references(parsed: ParsedConfig) -> list[ConfigIssue]:
    """All cross-reference problems of a schema-valid document, in file order."""
    issues = _Checker(parsed).run()
    return sorted(issues, key=lambda i: i.line or 0)
