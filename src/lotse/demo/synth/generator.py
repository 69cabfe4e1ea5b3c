"""A synthetic North Rhine-Westphalia over ten years, written through COPY (issue 14).

Deterministic from the seed and the reference date: every Träger and every batch of households
draws from its own ``random.Random``. Per Träger the Kreis Lippe configuration is loaded under
the Träger's name (the Werkzeugkoffer: fields of action, target groups, statuses, goals,
programmes, posts, organisations, the offers catalogue), posts are added so that each serves
about 1,000 persons (≈ 100 open cases), and every post gets a holder; then households of
persons from the demo's countries of origin, their cases in every DGCC phase, timeline entries
(≈ 8 per person), goal deadlines, consents, tasks, referrals and the access log (one hash chain
per Träger, valid for ``lotse verifyaudit``).

Names with several transliterations (Mohammed/Muhammad/Mohamad/…, Youssef/Yusuf/…,
Haddad/Hadad, Yılmaz/Yilmaz, …) are written in one of their spellings; the family each person's
name belongs to is recorded in the table ``synth_name_family`` (outside the app's models), so
the benchmark can measure the name search's recall.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from django.db import connection, transaction
from django.utils.translation import gettext as _

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.assignments.models import Task
from lotse.audit.chain import GENESIS, HASHED_FIELDS, chain_for, entry_digest
from lotse.audit.models import AuditChainHead, AuditEntry
from lotse.cases.models import Case, Phase, TimelineEntry
from lotse.consent.models import Consent, Purpose
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.core import fieldcrypto
from lotse.deadlines.models import PersonGoalDeadline
from lotse.demo.names import COUNTRIES, EU_PROFILES, STAFF_FIRST_FEMALE, STAFF_LAST, Name
from lotse.demo.region import Region, region_load
from lotse.demo.synth import bulk
from lotse.demo.synth.nrw import TraegerSpec
from lotse.directory.models import CaseManagementPost, Goal
from lotse.offers.models import Offer, Referral
from lotse.people.models import Household, Person, PersonNameVariant, ResidenceStatusRecord
from lotse.tenancy.models import Traeger

UTC = dt.UTC
HOUSEHOLDS_PER_BATCH = 2_000
PERSONS_PER_POST = 1_000
#: A team lead leads this many posts (a team of ~10,000 persons, ~1,000 open cases): one team
#: lead for all of Köln's 258 posts would be no team any office has.
POSTS_PER_TEAM = 10
YEARS = 10
TIMELINE_PER_PERSON = 8

#: Transliteration families: the spellings German authorities write for one name.
FAMILIES: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad", "Maxamed"),
    "Youssef": ("Youssef", "Yusuf", "Yousef", "Jussuf"),
    "Haddad": ("Haddad", "Hadad"),
    "Yılmaz": ("Yılmaz", "Yilmaz"),
    "Ahmad": ("Ahmad", "Ahmed", "Achmed"),
    "Mustafa": ("Mustafa", "Moustafa", "Mostafa"),
    "Hussein": ("Hussein", "Hussain", "Husain", "Hossein"),
    "Oleksandr": ("Oleksandr", "Olexandr", "Aleksandr"),
    "Shevchenko": ("Shevchenko", "Schewtschenko", "Ševčenko"),
}
_FAMILY_OF = {spelling: key for key, spellings in FAMILIES.items() for spelling in spellings}

# Registrations per year of the ten (2015/16 and 2022 were the large arrival years).
_YEAR_WEIGHTS = (14, 9, 7, 6, 5, 6, 16, 14, 11, 8)
_OPEN_PHASES = (
    (Phase.INTAKE, 22),
    (Phase.ASSESSMENT, 20),
    (Phase.SERVICE_PLANNING, 17),
    (Phase.LINKING, 16),
    (Phase.MONITORING, 17),
    (Phase.EVALUATION, 8),
)
_TIMELINE_KINDS = (
    (TimelineEntry.Kind.CONTACT, 40),
    (TimelineEntry.Kind.NOTE, 35),
    (TimelineEntry.Kind.APPOINTMENT, 20),
    (TimelineEntry.Kind.PHASE, 5),
)
_CHANNELS = ("in_person", "phone", "email", "video", "home_visit", "letter")
_TITLES = {
    "contact": (
        "Beratungsgespräch",
        "Telefonat mit dem Jobcenter",
        "Rückfrage zur Wohnsitzauflage",
        "Gespräch mit Sprachmittlung",
        "Nachfrage Kitaplatz",
        "Rückmeldung Sprachkursträger",
    ),
    "note": (
        "Vermerk",
        "Unterlagen gesichtet",
        "Anerkennungsverfahren: Stand",
        "Zwischenstand Integrationsplan",
    ),
    "appointment": ("Termin Ausländerbehörde", "Folgetermin", "Hausbesuch", "Termin Jobcenter"),
    "phase": ("Phasenwechsel",),
}
_TEXTS = tuple(
    f"{topic}: {detail}"
    for topic in (
        "Sprachkurs",
        "Arbeitssuche",
        "Schule der Kinder",
        "Wohnung",
        "Aufenthalt",
        "Gesundheit",
        "Anerkennung",
    )
    for detail in (
        "Anmeldung besprochen, Unterlagen fehlen noch.",
        "Termin vereinbart, Sprachmittlung organisiert.",
        "Ziel erreicht, weiter beobachten.",
        "Rückmeldung der Stelle steht aus.",
        "Klientin/Klient hat Bedenkzeit erbeten.",
    )
)
_SUMMARIES = (
    "Erstberatung nach Zuzug; Sprachkurs und Arbeitsmarktzugang klären.",
    "Familie mit schulpflichtigen Kindern; Schulplatz und Kita offen.",
    "Anerkennung des Berufsabschlusses, Wohnungssuche.",
    "Mehrere Behörden beteiligt; Koordination der Leistungen.",
    "Aufenthaltsperspektive klären, Ausbildung suchen.",
)
_HEALTH = ("Schwangerschaft", "Diabetes Typ 2", "Gehbehinderung", "Traumafolgen, in Behandlung")
_TASKS = (
    "Unterlagen für die Anerkennung nachreichen",
    "Sprachkursanmeldung prüfen",
    "Schulanmeldung begleiten",
    "Rückruf Jobcenter",
    "Antrag auf Kita-Platz",
    "Termin bei der Ausländerbehörde vorbereiten",
)
_PURPOSE = (
    "Abstimmung der Vermittlung in Ausbildung und Arbeit und der Zusteuerung in Angebote "
    "mit den genannten Stellen"
)


@dataclass
class Report:
    """Rows and rows/s per table, and the time of the whole load."""

    stats: dict[str, bulk.TableStats] = field(default_factory=dict)
    traeger: list[tuple[str, int, int]] = field(default_factory=list)  # name, persons, posts
    seconds: float = 0.0

    def lines(self) -> list[str]:
        result = [
            _("%(name)s: %(persons)s persons, %(posts)s posts")
            % {"name": name, "persons": f"{persons:,}", "posts": posts}
            for name, persons, posts in self.traeger
        ]
        result.append("")
        for table, stat in sorted(self.stats.items()):
            result.append(
                _("%(table)s: %(rows)s rows, %(rate)s rows/s")
                % {
                    "table": table,
                    "rows": f"{stat.rows:,}",
                    "rate": f"{stat.rows_per_second:,.0f}",
                }
            )
        result.append(_("Total time: %(seconds)s s") % {"seconds": f"{self.seconds:,.0f}"})
        return result


def _weighted(rng: random.Random, items: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([item for item, _w in items], weights=[w for _i, w in items])[0]


def _spelling(rng: random.Random, name: Name) -> tuple[str, str | None]:
    """A spelling of ``name`` and its transliteration family (None for a single spelling)."""
    family = _FAMILY_OF.get(name.latin) or next(
        (_FAMILY_OF[v] for v in name.variants if v in _FAMILY_OF), None
    )
    if family is not None:
        return rng.choice(FAMILIES[family]), family
    if name.variants:
        return (name.latin if rng.random() < 0.5 else rng.choice(name.variants)), name.latin
    return name.latin, None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _due(start: dt.date, rule: dict[str, Any]) -> dt.date | None:
    within = rule.get("within")
    if not isinstance(within, int):
        return None
    unit = rule.get("unit")
    if unit == "years":
        return _add_years(start, within)
    if unit == "months":
        return start + dt.timedelta(days=30 * within)
    if unit in ("weeks", "school_weeks"):
        return start + dt.timedelta(weeks=within + (2 if unit == "school_weeks" else 0))
    return start + dt.timedelta(days=within)


def _load_configuration(spec: TraegerSpec, config_dir: Path) -> Traeger:
    from lotse.directory.config import config_load
    from lotse.offers.catalogue import catalogue_load

    text = (config_dir / "kreis-lippe.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  slug: kreis-lippe\n  name: Kreis Lippe\n  kind: kreis\n",
        (f"  slug: {spec.slug}\n  name: {spec.name}\n  kind: {spec.kind}\n"),
        1,
    )
    offers = (config_dir / "kreis-lippe-angebote.yaml").read_text(encoding="utf-8")
    offers = re.sub(r"^traeger: kreis-lippe$", f"traeger: {spec.slug}", offers, count=1, flags=re.M)
    with tempfile.TemporaryDirectory(prefix="lotse-synth-") as folder:
        config_path = Path(folder) / f"{spec.slug}.yaml"
        config_path.write_text(text, encoding="utf-8")
        config_load(path=config_path)
        offers_path = Path(folder) / f"{spec.slug}-angebote.yaml"
        offers_path.write_text(offers, encoding="utf-8")
        catalogue_load(path=offers_path)
    return Traeger.objects.get(slug=spec.slug)


@dataclass
class _Staff:
    post: CaseManagementPost
    holder: User
    places: list[tuple[int, int]]  # (municipality id, weight)


def _staff(
    spec: TraegerSpec, traeger: Traeger, persons: int, rng: random.Random
) -> tuple[list[_Staff], Region]:
    """Posts (one per ~1,000 persons), their holders, a team lead per ``POSTS_PER_TEAM``
    posts (``<träger>-teamleitung``, ``-teamleitung2``, …), coordination and DPO."""
    region = region_load(traeger=traeger)
    short = spec.slug.removeprefix("synth-")
    servicestelle = region.organisations[region.keys.servicestelle]

    def user(username: str, role: str, organisation: Any) -> User:
        first = rng.choice(STAFF_FIRST_FEMALE)
        created = User.objects.create(
            username=username,
            first_name=first,
            last_name=rng.choice(STAFF_LAST),
            email=f"{username}@synth.example",
            traeger=traeger,
            organisation=organisation,
        )
        created.set_unusable_password()
        created.save(update_fields=["password"])
        RoleAssignment.objects.create(user=created, role=role)
        return created

    others = {
        "team_lead": user(f"{short}-teamleitung", Role.TEAM_LEAD, servicestelle),
        "coordination": user(f"{short}-koordination", Role.COORDINATION, servicestelle),
        "data_protection": user(f"{short}-datenschutz", Role.DATA_PROTECTION, servicestelle),
    }
    templates = [ref for ref in region.posts if not ref.participation]
    wanted = max(len(templates), round(persons / PERSONS_PER_POST))
    staff: list[_Staff] = []
    for index in range(wanted):
        ref = templates[index % len(templates)]
        template = region.post_objects[ref.key]
        if index < len(templates):
            post = template
        else:
            post = CaseManagementPost.objects.create(
                traeger=traeger,
                key=f"{ref.key}-{index // len(templates) + 1}",
                sort_order=template.sort_order + index,
                name=f"{template.name} – Stelle {index // len(templates) + 1}",
                programme_id=template.programme_id,
                organisation_id=template.organisation_id,
                sozialraum_id=template.sozialraum_id,
                target_caseload=template.target_caseload,
            )
        holder = user(f"{short}-cm{index + 1}", Role.CASE_MANAGEMENT, post.organisation)
        post.holder = holder
        team = index // POSTS_PER_TEAM
        if team and f"team_lead{team + 1}" not in others:
            others[f"team_lead{team + 1}"] = user(
                f"{short}-teamleitung{team + 1}", Role.TEAM_LEAD, servicestelle
            )
        post.team_lead = others["team_lead" if team == 0 else f"team_lead{team + 1}"]
        post.save(update_fields=["holder", "team_lead"])
        places = [(region.municipalities[p.key].pk, p.weight) for p in ref.places]
        staff.append(_Staff(post, holder, places))
    for ref in region.posts:  # Teilhabemanagement posts: a holder too
        if ref.participation:
            post = region.post_objects[ref.key]
            post.holder = user(f"{short}-{ref.key}", Role.CASE_MANAGEMENT, post.organisation)
            post.team_lead = others["team_lead"]
            post.save(update_fields=["holder", "team_lead"])
    return staff, region


class Synth:
    def __init__(
        self, *, seed: int, today: dt.date, config_dir: Path, log: Callable[[str], None]
    ) -> None:
        self.seed = seed
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(6, 0), tzinfo=UTC)
        self.config_dir = config_dir
        self.log = log
        self.report = Report()
        self.tables: dict[str, bulk.Table] = {}

    def table(self, model: Any) -> bulk.Table:
        key = model._meta.db_table
        if key not in self.tables:
            self.tables[key] = bulk.Table(model=model, now=self.now, ring=self._ring)
            self.report.stats[key] = self.tables[key].stats
        return self.tables[key]

    def run(self, plan: list[tuple[TraegerSpec, int]]) -> Report:
        begin = time.perf_counter()
        self._ring = fieldcrypto.keyring()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS synth_name_family ("
                "person_id bigint NOT NULL, traeger_id bigint NOT NULL, part text NOT NULL, "
                "family text NOT NULL, spelling text NOT NULL)"
            )
        for spec, persons in plan:
            started = time.perf_counter()
            for table in self.tables.values():
                table.resync()
            posts = self._traeger(spec, persons)
            for table in self.tables.values():
                table.reset_sequence()  # the app's own inserts continue after the copied rows
            self.report.traeger.append((spec.name, persons, posts))
            self.log(
                _("%(name)s: %(persons)s persons in %(seconds)s s")
                % {
                    "name": spec.name,
                    "persons": f"{persons:,}",
                    "seconds": f"{time.perf_counter() - started:,.1f}",
                }
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS synth_name_family_idx "
                "ON synth_name_family (traeger_id, family)"
            )
            cursor.execute("ANALYZE")
        self.report.seconds = time.perf_counter() - begin
        return self.report

    @transaction.atomic
    def _traeger(self, spec: TraegerSpec, persons: int) -> int:
        rng = random.Random(f"{self.seed}:{spec.slug}")
        traeger = _load_configuration(spec, self.config_dir)
        staff, region = _staff(spec, traeger, persons, rng)
        goals = [
            (goal.pk, goal.deadline_rule)
            for goal in Goal.objects.filter(traeger=traeger, deadline_rule__isnull=False)
            if isinstance(goal.deadline_rule, dict) and goal.deadline_rule.get("within")
        ]
        offers = list(Offer.objects.filter(traeger=traeger).values_list("pk", flat=True))
        jobcenter = region.organisations[region.keys.jobcenter]
        purposes = list(Purpose.objects.filter(traeger=traeger).values_list("pk", flat=True))[:1]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # FK checks off
        state = _TraegerState(
            synth=self,
            traeger=traeger,
            staff=staff,
            region=region,
            goals=goals,
            offers=offers,
            jobcenter_id=jobcenter.pk,
            purpose_ids=purposes,
            short=spec.slug.removeprefix("synth-").upper()[:6],
        )
        batch = 0
        written = 0
        while written < persons:
            brng = random.Random(f"{self.seed}:{spec.slug}:{batch}")
            written += state.batch(brng, persons - written)
            batch += 1
        state.finish_audit()
        _fill_name_tokens(traeger.pk)
        return len(staff)


def _fill_name_tokens(traeger_id: int) -> None:
    """The search's key table (``people_name_token``, migration ``people.0010``) for the
    Träger's persons and name variants, set-based: its triggers do not fire while
    ``session_replication_role`` is ``replica`` (the foreign-key checks being off)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO people_name_token (traeger_id, key, person_id, variant_id)
            SELECT DISTINCT p.traeger_id, word, p.id, NULL::bigint
              FROM people_person p, unnest(string_to_array(btrim(p.name_key), ' ')) AS word
             WHERE p.traeger_id = %s AND word <> ''
            """,
            [traeger_id],
        )
        cursor.execute(
            """
            INSERT INTO people_name_token (traeger_id, key, person_id, variant_id)
            SELECT DISTINCT v.traeger_id, word, v.person_id, v.id
              FROM people_personnamevariant v,
                   unnest(string_to_array(btrim(v.name_key), ' ')) AS word
             WHERE v.traeger_id = %s AND word <> ''
            """,
            [traeger_id],
        )


@dataclass
class _TraegerState:
    synth: Synth
    traeger: Traeger
    staff: list[_Staff]
    region: Any
    goals: list[tuple[int, dict[str, Any]]]
    offers: list[int]
    jobcenter_id: int
    purpose_ids: list[int]
    short: str
    case_number: int = 0
    household_number: int = 0
    audit_sequence: int = 0
    audit_hash: str = GENESIS

    def __post_init__(self) -> None:
        self.chain = chain_for(self.traeger.pk)
        head = AuditChainHead.objects.filter(chain=self.chain).first()
        if head is not None:
            self.audit_sequence, self.audit_hash = head.sequence, head.entry_hash
        self.statuses = self.region.statuses
        self.org_names = {s.holder.pk: str(s.post.organisation) for s in self.staff}

    # -- one batch of households ------------------------------------------------------------

    def batch(self, rng: random.Random, remaining: int) -> int:
        s = self.synth
        rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in (
                "household",
                "person",
                "variant",
                "status",
                "case",
                "timeline",
                "deadline",
                "consent",
                "task",
                "referral",
                "audit",
            )
        }
        families: list[tuple[int, int, str, str, str]] = []
        recipients: list[tuple[int, int]] = []
        consent_purposes: list[tuple[int, int]] = []
        persons = 0
        for _household in range(HOUSEHOLDS_PER_BATCH):
            if persons >= remaining:
                break
            members = self._household(rng, rows, families, min(remaining - persons, 7))
            persons += len(members)
            self._case(rng, rows, members, recipients, consent_purposes)
        tables = (
            ("household", Household),
            ("person", Person),
            ("variant", PersonNameVariant),
            ("status", ResidenceStatusRecord),
            ("case", Case),
            ("timeline", TimelineEntry),
            ("deadline", PersonGoalDeadline),
            ("consent", Consent),
            ("task", Task),
            ("referral", Referral),
            ("audit", AuditEntry),
        )
        for name, model in tables:
            s.table(model).copy(rows[name])
        bulk.m2m_copy(Consent.recipients.through, ("consent_id", "organisation_id"), recipients)
        bulk.m2m_copy(Consent.purposes.through, ("consent_id", "purpose_id"), consent_purposes)
        with connection.connection.cursor() as cursor:
            with cursor.copy(
                "COPY synth_name_family (person_id, traeger_id, part, family, spelling) FROM STDIN"
            ) as copy:
                for row in families:
                    copy.write_row(row)
        return persons

    def _household(self, rng, rows, families, limit):  # type: ignore[no-untyped-def]
        s = self.synth
        today = s.today
        staff = self.staff[self.household_number % len(self.staff)]
        self.household_number += 1
        profile = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
        year = rng.choices(range(YEARS), weights=_YEAR_WEIGHTS)[0]
        registered = today - dt.timedelta(days=(YEARS - 1 - year) * 365 + rng.randrange(365))
        municipality = (
            rng.choices([m for m, _w in staff.places], weights=[w for _m, w in staff.places])[0]
            if staff.places
            else None
        )
        family = rng.random() < profile.family_share
        size = 1
        if family:
            size = min(limit, 2 + rng.choices((0, 1, 2, 3, 4), weights=(20, 25, 30, 15, 10))[0])
        household_id = s.table(Household).pk()
        rows["household"].append({"id": household_id, "traeger_id": self.traeger.pk})
        last, last_family = _spelling(rng, rng.choice(profile.last))
        if profile.eu:
            code = "eu_free_movement"
            eu_profile = _weighted(rng, EU_PROFILES)
            target_group = self.region.eu_target_groups.get(eu_profile)
        else:
            code = _weighted(rng, profile.statuses)
            target_group = self.region.target_group_for_status.get(code)
        status = self.statuses.get(code) or next(iter(self.statuses.values()))
        language = _weighted(rng, profile.languages)
        members = []
        head_age = rng.randint(19, 58)
        for index in range(size):
            if index == 0:
                role, age, male = ("head" if size > 1 else ""), head_age, rng.random() < 0.6
            elif index == 1:
                role, age, male = "partner", max(18, head_age + rng.randint(-6, 4)), False
            else:
                role, age, male = (
                    "child",
                    rng.randint(0, min(17, head_age - 18)),
                    rng.random() < 0.5,
                )
            if index == 1:
                male = False
            first, first_family = _spelling(
                rng, rng.choice(profile.male if male else profile.female)
            )
            person_id = s.table(Person).pk()
            born = today - dt.timedelta(days=age * 365 + rng.randrange(365))
            rows["person"].append(
                {
                    "id": person_id,
                    "traeger_id": self.traeger.pk,
                    "organisation_id": staff.post.organisation_id,
                    "post_id": staff.post.pk,
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": born,
                    "sex": "male" if male else "female",
                    "nationalities": [profile.code],
                    "languages": [language],
                    "interpreter_needed": age >= 16 and rng.random() < 0.6,
                    "interpreter_language": language if age >= 16 else "",
                    "municipality_id": municipality,
                    "registered_on": registered,
                    "target_group_id": target_group.pk if target_group else None,
                    "residence_obligation": code in ("refugee", "subsidiary")
                    and rng.random() < 0.5,
                    "household_id": household_id,
                    "household_role": role,
                    "external_key": f"synth-{person_id}",
                    "health_notes": rng.choice(_HEALTH) if rng.random() < 0.05 else "",
                    "created_at": dt.datetime.combine(registered, dt.time(9), tzinfo=UTC),
                    # Changed last when recorded, not at the load's time: otherwise the nightly
                    # deadline run would see every generated person as changed yesterday.
                    "updated_at": dt.datetime.combine(registered, dt.time(9), tzinfo=UTC),
                    "created_by_id": staff.holder.pk,
                }
            )
            for part, family_key, spelling in (
                ("first", first_family, first),
                ("last", last_family, last),
            ):
                if family_key:
                    families.append((person_id, self.traeger.pk, part, family_key, spelling))
            if first_family and rng.random() < 0.1:
                alternatives = [v for v in FAMILIES.get(first_family, ()) if v != first]
                if alternatives:
                    rows["variant"].append(
                        {
                            "id": s.table(PersonNameVariant).pk(),
                            "traeger_id": self.traeger.pk,
                            "person_id": person_id,
                            "first_name": rng.choice(alternatives),
                            "last_name": last,
                        }
                    )
            months = status.typical_validity_months
            rows["status"].append(
                {
                    "id": s.table(ResidenceStatusRecord).pk(),
                    "traeger_id": self.traeger.pk,
                    "person_id": person_id,
                    "status_id": status.pk,
                    "valid_from": registered,
                    "valid_until": registered + dt.timedelta(days=30 * months) if months else None,
                    "recorded_by_id": staff.holder.pk,
                }
            )
            self._deadlines(rng, rows, person_id, age, registered)
            self._audit(
                rows,
                staff,
                "create",
                "person",
                person_id,
                person_id,
                dt.datetime.combine(registered, dt.time(9), tzinfo=UTC),
            )
            members.append((person_id, age, registered, staff))
        return members

    def _deadlines(self, rng, rows, person_id, age, registered):  # type: ignore[no-untyped-def]
        s = self.synth
        for goal_id, rule in self.goals:
            milestone = str(rule.get("milestone", ""))
            if milestone == "schulbesuch" and not 6 <= age <= 16:
                continue
            if milestone == "betreuungsangebot" and not 1 <= age <= 5:
                continue
            if milestone not in ("schulbesuch", "betreuungsangebot") and age < 16:
                continue
            due = _due(registered, rule)
            if due is None:
                continue
            overdue = (s.today - due).days
            met_on = None
            reason = ""
            if overdue > 30:
                status = "met" if rng.random() < 0.8 else "not_applicable"
            elif overdue > 0:
                status = "open" if rng.random() < 0.5 else "met"
            else:
                status = "open"
            if status == "met":
                met_on = min(
                    s.today,
                    registered
                    + dt.timedelta(days=rng.randint(1, max(1, (due - registered).days + 20))),
                )
            if status == "not_applicable":
                reason = "Weggezogen oder Ziel nicht mehr zutreffend."
            rows["deadline"].append(
                {
                    "id": s.table(PersonGoalDeadline).pk(),
                    "traeger_id": self.traeger.pk,
                    "person_id": person_id,
                    "goal_id": goal_id,
                    "status": status,
                    "due_on": due,
                    "start_on": registered,
                    "met_on": met_on,
                    "not_applicable_reason": reason,
                    "automatic_reason": "Frist ab Anmeldung",
                    "computed_at": s.now,
                }
            )

    def _case(self, rng, rows, members, recipients, consent_purposes):  # type: ignore[no-untyped-def]
        s = self.synth
        today = s.today
        head_id, _age, registered, staff = members[0]
        opened = min(today, registered + dt.timedelta(days=rng.randint(0, 60)))
        age_days = (today - opened).days
        if age_days > 1000 or (age_days > 300 and rng.random() < 0.5):
            phase = Phase.CLOSED
            closed = min(today, opened + dt.timedelta(days=rng.randint(240, 1000)))
        else:
            phase = _weighted(rng, _OPEN_PHASES)
            closed = None
        self.case_number += 1
        case_id = s.table(Case).pk()
        end = closed or today
        holder = staff.holder.pk
        rows["case"].append(
            {
                "id": case_id,
                "traeger_id": self.traeger.pk,
                "person_id": head_id,
                "programme_id": staff.post.programme_id,
                "organisation_id": staff.post.organisation_id,
                "post_id": staff.post.pk,
                "case_manager_id": holder,
                "reference": f"{self.short}-{opened.year}-{self.case_number:07d}",
                "phase": phase,
                "phase_changed_at": dt.datetime.combine(end, dt.time(10), tzinfo=UTC),
                "opened_on": opened,
                "participation_offered_on": opened,
                "participation_agreed_on": opened + dt.timedelta(days=7)
                if phase != Phase.INTAKE
                else None,
                "closed_on": closed,
                "summary": rng.choice(_SUMMARIES),
                "created_at": dt.datetime.combine(opened, dt.time(9), tzinfo=UTC),
                "created_by_id": holder,
            }
        )
        self._audit(
            rows,
            staff,
            "create",
            "case",
            case_id,
            head_id,
            dt.datetime.combine(opened, dt.time(9, 5), tzinfo=UTC),
        )
        span = max(1, (end - opened).days)
        for _entry in range(
            max(1, round(TIMELINE_PER_PERSON * len(members) * rng.uniform(0.6, 1.4)))
        ):
            kind = _weighted(rng, _TIMELINE_KINDS)
            at = dt.datetime.combine(
                opened + dt.timedelta(days=rng.randrange(span)),
                dt.time(8 + rng.randrange(9), rng.randrange(60)),
                tzinfo=UTC,
            )
            entry_id = s.table(TimelineEntry).pk()
            rows["timeline"].append(
                {
                    "id": entry_id,
                    "traeger_id": self.traeger.pk,
                    "case_id": case_id,
                    "kind": kind,
                    "occurred_at": at,
                    "title": rng.choice(_TITLES[kind]),
                    "text": rng.choice(_TEXTS),
                    "channel": rng.choice(_CHANNELS) if kind == "contact" else "",
                    "ends_at": at + dt.timedelta(hours=1) if kind == "appointment" else None,
                    "location": "Servicestelle" if kind == "appointment" else "",
                    "author_id": holder,
                    "created_at": at,
                }
            )
            self._audit(rows, staff, "create", "timeline_entry", entry_id, head_id, at)
            self._audit(
                rows, staff, "view", "person", head_id, head_id, at + dt.timedelta(minutes=1)
            )
        if closed is None and rng.random() < 0.3:  # an appointment in the coming two weeks
            at = dt.datetime.combine(
                today + dt.timedelta(days=rng.randint(0, 13)),
                dt.time(9 + rng.randrange(7)),
                tzinfo=UTC,
            )
            rows["timeline"].append(
                {
                    "id": s.table(TimelineEntry).pk(),
                    "traeger_id": self.traeger.pk,
                    "case_id": case_id,
                    "kind": "appointment",
                    "occurred_at": at,
                    "title": "Folgetermin",
                    "ends_at": at + dt.timedelta(hours=1),
                    "location": "Servicestelle",
                    "author_id": holder,
                    "created_at": s.now,
                }
            )
        # consent (most cases), tasks, referrals
        if rng.random() < 0.8:
            consent_id = s.table(Consent).pk()
            valid_until = opened + dt.timedelta(days=730)
            rows["consent"].append(
                {
                    "id": consent_id,
                    "traeger_id": self.traeger.pk,
                    "person_id": head_id,
                    "categories": ["identity", "education_work"],
                    "purpose": _PURPOSE,
                    "form": "written",
                    "valid_from": opened,
                    "valid_until": valid_until,
                    "text_version": CONSENT_TEXT_VERSION,
                    "attested_by_id": holder,
                    "attested_on": opened,
                    "document_id": f"SY-{consent_id:012d}",
                    "recorded_by_id": holder,
                    "recorded_at": dt.datetime.combine(opened, dt.time(11), tzinfo=UTC),
                }
            )
            recipients.append((consent_id, self.jobcenter_id))
            consent_purposes.extend((consent_id, p) for p in self.purpose_ids)
        for _task in range(rng.randint(1, 3) if closed is None else 2):
            done = closed is not None or rng.random() < 0.3
            due = (
                opened + dt.timedelta(days=rng.randint(7, 120))
                if done
                else today + dt.timedelta(days=rng.randint(-20, 40))
            )
            rows["task"].append(
                {
                    "id": s.table(Task).pk(),
                    "traeger_id": self.traeger.pk,
                    "case_id": case_id,
                    "title": rng.choice(_TASKS),
                    "owner_user_id": holder,
                    "due_on": due,
                    "status": "done" if done else rng.choice(("open", "in_progress")),
                    "done_on": min(today, due) if done else None,
                    "created_by_id": holder,
                }
            )
        if self.offers and rng.random() < 0.6:
            requested = opened + dt.timedelta(days=rng.randint(10, 60))
            if closed is not None:
                state = rng.choice(("completed", "completed", "dropped"))
            else:
                state = rng.choice(("requested", "accepted", "waiting", "started"))
            rows["referral"].append(
                {
                    "id": s.table(Referral).pk(),
                    "traeger_id": self.traeger.pk,
                    "case_id": case_id,
                    "person_id": head_id,
                    "offer_id": rng.choice(self.offers),
                    "state": state,
                    "requested_on": min(requested, today),
                    "accepted_on": min(requested + dt.timedelta(days=7), today)
                    if state != "requested"
                    else None,
                    "waiting_since": min(requested, today) if state == "waiting" else None,
                    "started_on": min(requested + dt.timedelta(days=21), today)
                    if state in ("started", "completed", "dropped")
                    else None,
                    "ended_on": closed if state in ("completed", "dropped") else None,
                    "follow_up_on": today + dt.timedelta(days=rng.randint(-10, 30))
                    if closed is None
                    else None,
                    "created_by_id": holder,
                }
            )

    # -- the access log ---------------------------------------------------------------------

    def _audit(self, rows, staff, action, object_type, object_id, person_id, at):  # type: ignore[no-untyped-def]
        self.audit_sequence += 1
        entry = SimpleNamespace(
            chain=self.chain,
            sequence=self.audit_sequence,
            traeger_id=self.traeger.pk,
            user_id=staff.holder.pk,
            username=staff.holder.username,
            organisation=self.org_names[staff.holder.pk],
            roles=Role.CASE_MANAGEMENT.value,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            person_id=person_id,
            categories="",
            channel="web",
            request_id="",
            detail="",
            occurred_at=at,
        )
        digest = entry_digest(cast(AuditEntry, entry), self.audit_hash)
        row = {name: getattr(entry, name) for name in HASHED_FIELDS}
        row.update(
            id=self.synth.table(AuditEntry).pk(),
            occurred_at=at,
            previous_hash=self.audit_hash,
            entry_hash=digest,
        )
        self.audit_hash = digest
        rows["audit"].append(row)

    def finish_audit(self) -> None:
        AuditChainHead.objects.update_or_create(
            chain=self.chain,
            defaults={"sequence": self.audit_sequence, "entry_hash": self.audit_hash},
        )


def iter_plan(
    specs: Sequence[TraegerSpec], counts: Sequence[int]
) -> Iterator[tuple[TraegerSpec, int]]:
    yield from zip(specs, counts, strict=True)
