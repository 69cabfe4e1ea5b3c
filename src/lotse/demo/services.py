"""Writing the demo: configuration, demo users and the generated caseload.

Invariants kept although rows are written with ``bulk_create`` for speed:
- every row carries the Träger of the configuration;
- ``search_name`` and the name keys are ``person_name_fields(first, last)`` as in the people
  services;
- case numbers are ``YYYY-NNNNNN`` (year opened, primary key), as ``case_open`` writes them;
- phase changes are journaled (``PhaseTransition`` plus a timeline entry) as
  ``case_change_phase`` does, and every person and case gets its "create" audit entry.

Idempotence: a demo person is identified by ``external_key`` (``demo-<post>-<n>``); a client
whose key exists is skipped entirely, so a second run adds nothing and never overwrites what
users changed. Demo users are created once; an existing user keeps their password.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.audit.models import AuditEntry
from lotse.audit.services import audit_append_prepared
from lotse.cases.models import Case, FieldProcess, Phase, PhaseTransition, TimelineEntry
from lotse.demo.generator import ClientSpec, PersonSpec, generate
from lotse.demo.names import STAFF_FIRST_FEMALE, STAFF_FIRST_MALE, STAFF_LAST
from lotse.demo.region import DEFAULT_KEYS, DemoKeys, Region, region_load
from lotse.directory.models import CaseManagementPost, Organisation
from lotse.people.models import Household, Person, PersonNameVariant, ResidenceStatusRecord
from lotse.people.names import normalise_name, person_name_fields
from lotse.teams.models import Substitution
from lotse.tenancy.models import Traeger

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo login, refused outside DEBUG/DEMO
DEMO_KEY_PREFIX = "demo-"
DEFAULT_CONFIG = Path(settings.PROJECT_DIR) / "config" / "kreis-lippe.yaml"
BATCH = 500


class DemoRefused(Exception):
    """The demo cannot be loaded here (e.g. a demo username belongs to another Träger)."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str
    organisation: str
    created: bool


@dataclass
class DemoReport:
    traeger: str
    config_text: str
    logins: list[DemoLogin] = field(default_factory=list)
    persons_created: int = 0
    households_created: int = 0
    cases_created: int = 0
    clients_skipped: int = 0
    phases: Counter[str] = field(default_factory=Counter)
    caseloads: list[tuple[str, str, int, int]] = field(default_factory=list)
    missing_statuses: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [
            self.config_text,
            "",
            # de: Demodaten für {traeger}: {persons} Personen in {households} Haushalten und
            # de: {cases} Fälle angelegt; {skipped} bereits vorhandene Klient:innen übersprungen.
            _(
                "Demo data for {traeger}: created {persons} persons in {households} households "
                "and {cases} cases; skipped {skipped} clients that already existed."
            ).format(
                traeger=self.traeger,
                persons=self.persons_created,
                households=self.households_created,
                cases=self.cases_created,
                skipped=self.clients_skipped,
            ),
        ]
        if self.missing_statuses:
            lines.append(
                # de: Hinweis: Die Konfiguration enthält keinen Aufenthaltsstatus für {codes};
                # de: Klient:innen mit diesem Status (z. B. aus der Ukraine, § 24 AufenthG)
                # de: fehlen in den Demodaten.
                _(
                    "Note: the configuration has no residence status for {codes}; clients with "
                    "that status (e.g. from Ukraine, § 24 AufenthG) are missing from the demo data."
                ).format(codes=", ".join(self.missing_statuses))
            )
        if self.phases:
            # de: Neue Fälle je Phase:
            lines.append(_("New cases per phase:"))
            for phase in Phase:
                if self.phases[phase]:
                    lines.append(f"  {str(phase.label):<16} {self.phases[phase]:>5}")
        # de: Offene Fälle je Stelle (Soll):
        lines.append(_("Open cases per post (target):"))
        width = max((len(post) for post, *_rest in self.caseloads), default=0)
        for post, holder, count, target in self.caseloads:
            lines.append(f"  {post:<{width}}  {holder:<14} {count:>4} ({target})")
        lines.append("")
        # de: Demo-Anmeldungen (Passwort für alle: „{password}“):
        lines.append(
            _("Demo logins (password for all: “{password}”):").format(password=DEMO_PASSWORD)
        )
        # de: Benutzername / Rolle / Name / Organisation
        header = (_("Username"), _("Role"), _("Name"), _("Organisation"))
        rows = [
            (login.username, login.role, login.name, login.organisation) for login in self.logins
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            lines.append(
                "  " + "  ".join(f"{str(row[i]):<{widths[i]}}" for i in range(3)) + f"  {row[3]}"
            )
        # de: Bereits vorhandene Benutzer:innen behalten ihr Passwort.
        lines.append(_("Users that already existed keep their password."))
        return "\n".join(lines)


@dataclass(frozen=True)
class _UserPlan:
    username: str
    role: str
    organisation: Organisation
    is_staff: bool = False


def _staff_names(seed: int, count: int) -> list[tuple[str, str]]:
    """Fictitious staff names, distinct first and last names (deterministic from the seed)."""
    rng = random.Random(f"{seed}:staff")
    female = rng.sample(STAFF_FIRST_FEMALE, len(STAFF_FIRST_FEMALE))
    male = rng.sample(STAFF_FIRST_MALE, len(STAFF_FIRST_MALE))
    lasts = rng.sample(STAFF_LAST, len(STAFF_LAST))
    names = []
    for index in range(count):
        pool = female if (rng.random() < 0.65 and female) or not male else male
        first = pool.pop() if pool else rng.choice(STAFF_FIRST_FEMALE)
        names.append((first, lasts[index % len(lasts)]))
    return names


def _user_plans(region: Region) -> tuple[list[_UserPlan], dict[str, str]]:
    """The demo users and which of them holds which post (post key → username)."""
    keys = region.keys
    own = region.post_objects[keys.casemanager_post]
    servicestelle = region.organisations[keys.servicestelle]
    plans = [
        _UserPlan("casemanager", Role.CASE_MANAGEMENT, own.organisation),
        _UserPlan("teamlead", Role.TEAM_LEAD, own.organisation),
        _UserPlan("coordinator", Role.COORDINATION, servicestelle),
        _UserPlan("jobcenter", Role.PARTNER, region.organisations[keys.jobcenter]),
        _UserPlan("admin", Role.ADMINISTRATION, servicestelle, is_staff=True),
        _UserPlan("dpo", Role.DATA_PROTECTION, servicestelle),
    ]
    holders = {own.key: "casemanager"}
    case_management, participation = 1, 0
    for post in region.posts:
        if post.key == own.key:
            continue
        if post.participation:
            participation += 1
            username = f"teilhabe{participation}"
        else:
            case_management += 1
            username = f"casemanager{case_management}"
        holders[post.key] = username
        plans.append(
            _UserPlan(username, Role.CASE_MANAGEMENT, region.post_objects[post.key].organisation)
        )
    # Last, so the staff names drawn for the users above stay as they were.
    plans.append(_UserPlan("moderator", Role.COORDINATION, region.organisations[keys.moderation]))
    return plans, holders


def _ensure_users(region: Region, seed: int) -> tuple[list[DemoLogin], dict[str, User]]:
    plans, holders = _user_plans(region)
    names = _staff_names(seed, len(plans))
    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for plan, (first, last) in zip(plans, names, strict=True):
        user = User.objects.filter(username=plan.username).first()
        created = user is None
        if user is None:
            user = User(
                username=plan.username,
                first_name=first,
                last_name=last,
                email=f"{plan.username}@demo.lotse.invalid",
                traeger=region.traeger,
                organisation=plan.organisation,
                is_staff=plan.is_staff,
                # Signs in without a second factor, but only while LOTSE_DEMO is on.
                mfa_exempt=True,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif user.traeger_id != region.traeger.pk:
            raise DemoRefused(
                # de: Der Benutzername „{username}“ gehört bereits zu einem anderen Träger;
                # de: die Demodaten werden nicht geladen.
                _(
                    "The username “{username}” already belongs to another Träger; the demo data "
                    "is not loaded."
                ).format(username=plan.username)
            )
        if not user.mfa_exempt:
            User.objects.filter(pk=user.pk).update(mfa_exempt=True)
            user.mfa_exempt = True
        RoleAssignment.objects.get_or_create(user=user, role=plan.role)
        user.__dict__.pop("_role_cache", None)
        users[plan.username] = user
        logins.append(
            DemoLogin(
                plan.username,
                str(Role(plan.role).label),
                user.display_name(),
                str(user.organisation or ""),
                created,
            )
        )
    for post_key, username in holders.items():
        post = region.post_objects[post_key]
        if post.holder_id is None:
            post.holder = users[username]
            post.save(update_fields=["holder"])
    lead = users["teamlead"]
    for post in region.post_objects.values():
        if post.organisation_id == lead.organisation_id and post.team_lead_id is None:
            post.team_lead = lead
            post.save(update_fields=["team_lead"])
    _ensure_substitution(region, holders, users)
    return logins, users


def _ensure_substitution(region: Region, holders: dict[str, str], users: dict[str, User]) -> None:
    """One current Vertretung: the second case manager covers the third's post on leave."""
    by_user = {username: key for key, username in holders.items()}
    if "casemanager2" not in users or "casemanager3" not in by_user:
        return
    post = region.post_objects[by_user["casemanager3"]]
    if Substitution.objects.filter(traeger_id=region.traeger.pk, post=post).exists():
        return
    today = timezone.localdate()
    Substitution.objects.create(
        traeger_id=region.traeger.pk,
        post=post,
        substitute=users["casemanager2"],
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=11),
        reason=_("Holiday cover"),
        created_by=users.get("teamlead"),
    )


def demo_load(
    *,
    seed: int = 2026,
    size: int = 100,
    config_path: Path | str = DEFAULT_CONFIG,
    keys: DemoKeys = DEFAULT_KEYS,
    today: dt.date | None = None,
) -> DemoReport:
    """Load the configuration, the demo users and the demo caseload (idempotent)."""
    from lotse.directory.config import config_load  # the configuration toolkit's service

    today = today or timezone.localdate()
    with transaction.atomic():
        config_report = config_load(path=config_path)
        traeger = Traeger.objects.get(slug=config_report.traeger_slug)
        region = region_load(traeger=traeger, keys=keys)
        logins, _users = _ensure_users(region, seed)
        clients = generate(
            seed=seed,
            size=size,
            posts=region.posts,
            own_post=keys.casemanager_post,
            status_codes=region.status_codes,
            today=today,
        )
        report = DemoReport(
            traeger=traeger.name,
            config_text=config_report.as_text(),
            logins=logins,
            missing_statuses=region.missing_optional_statuses,
        )
        _write_clients(region, clients, report)
        report.caseloads = _caseloads(region)
    return report


def _caseloads(region: Region) -> list[tuple[str, str, int, int]]:
    result = []
    for post in (
        CaseManagementPost.objects.filter(traeger=region.traeger)
        .select_related("holder")
        .order_by("sort_order", "key")
    ):
        count = (
            Case.objects.filter(traeger=region.traeger, post=post)
            .exclude(phase=Phase.CLOSED)
            .count()
        )
        holder = post.holder.username if post.holder else "—"
        result.append((post.name, holder, count, post.target_caseload))
    return result


def _write_clients(region: Region, clients: list[ClientSpec], report: DemoReport) -> None:
    traeger_id = region.traeger.pk
    existing = set(
        Person.objects.filter(
            traeger_id=traeger_id, external_key__startswith=DEMO_KEY_PREFIX
        ).values_list("external_key", flat=True)
    )
    new = [c for c in clients if c.head.key not in existing]
    report.clients_skipped = len(clients) - len(new)
    if not new:
        return
    posts = {key: post for key, post in region.post_objects.items()}
    holders = {key: post.holder for key, post in posts.items()}

    households: dict[str, Household] = {}
    for client in new:
        if client.members:
            households[client.key] = Household(traeger_id=traeger_id, label=client.head.last_name)
    Household.objects.bulk_create(households.values(), batch_size=BATCH)
    report.households_created = len(households)

    persons: list[tuple[ClientSpec, PersonSpec, Person]] = []
    for client in new:
        post = posts[client.post_key]
        for spec in client.persons:
            if spec.key in existing:
                continue
            current = spec.current_status
            persons.append(
                (
                    client,
                    spec,
                    Person(
                        traeger_id=traeger_id,
                        organisation_id=post.organisation_id,
                        post=post,
                        first_name=spec.first_name,
                        last_name=spec.last_name,
                        **person_name_fields(spec.first_name, spec.last_name),
                        date_of_birth=spec.date_of_birth,
                        sex=spec.sex,
                        nationalities=spec.nationalities,
                        languages=spec.languages,
                        interpreter_needed=spec.interpreter_needed,
                        interpreter_language=spec.interpreter_language,
                        municipality=region.municipalities[spec.place.key],
                        registered_on=spec.registered_on,
                        target_group=region.eu_target_groups.get(spec.eu_profile)
                        or region.target_group_for_status.get(current),
                        residence_obligation=spec.residence_obligation,
                        residence_obligation_place=spec.residence_obligation_place,
                        residence_obligation_until=spec.residence_obligation_until,
                        household=households.get(client.key),
                        household_role=spec.household_role if client.members else "",
                        external_key=spec.key,
                        created_by=holders[client.post_key],
                    ),
                )
            )
    Person.objects.bulk_create([p for _c, _s, p in persons], batch_size=BATCH)
    report.persons_created = len(persons)

    variants: list[PersonNameVariant] = []
    records: list[ResidenceStatusRecord] = []
    for client, spec, person in persons:
        for variant in spec.variants:
            variants.append(
                PersonNameVariant(
                    traeger_id=traeger_id,
                    person=person,
                    first_name=variant.first_name,
                    last_name=variant.last_name,
                    kind=variant.kind,
                    search_name=normalise_name(variant.first_name, variant.last_name),
                    name_key=person_name_fields(variant.first_name, variant.last_name)["name_key"],
                )
            )
        for status in spec.statuses:
            records.append(
                ResidenceStatusRecord(
                    traeger_id=traeger_id,
                    person=person,
                    status=region.statuses[status.code],
                    valid_from=status.valid_from,
                    valid_until=status.valid_until,
                    note=status.note,
                    recorded_by=holders[client.post_key],
                )
            )
    PersonNameVariant.objects.bulk_create(variants, batch_size=BATCH)
    ResidenceStatusRecord.objects.bulk_create(records, batch_size=BATCH)

    heads = {spec.key: person for _client, spec, person in persons if spec.household_role == "head"}
    cases: list[tuple[ClientSpec, Case]] = []
    for client in new:
        head = heads.get(client.head.key)
        if head is None:
            continue
        post = posts[client.post_key]
        plan = client.case
        changed_at = plan.transitions[-1].at if plan.transitions else plan.opened_at
        cases.append(
            (
                client,
                Case(
                    traeger_id=traeger_id,
                    person=head,
                    programme_id=post.programme_id,
                    organisation_id=post.organisation_id,
                    post=post,
                    case_manager=holders[client.post_key],
                    reference=f"tmp-{uuid.uuid4().hex}",
                    phase=plan.phase,
                    phase_changed_at=changed_at,
                    opened_on=plan.opened_on,
                    participation_offered_on=plan.participation_offered_on,
                    participation_agreed_on=plan.participation_agreed_on,
                    closed_on=plan.closed_on,
                    summary=plan.summary,
                    created_by=holders[client.post_key],
                ),
            )
        )
    Case.objects.bulk_create([c for _client, c in cases], batch_size=BATCH)
    for _client, case in cases:
        case.reference = f"{case.opened_on.year}-{case.pk:06d}"
        report.phases[case.phase] += 1
    Case.objects.bulk_update([c for _client, c in cases], ["reference"], batch_size=BATCH)
    report.cases_created = len(cases)

    _write_journal(region, cases)
    _write_audit(region, persons, cases)


def _write_journal(region: Region, cases: list[tuple[ClientSpec, Case]]) -> None:
    traeger_id = region.traeger.pk
    transitions: list[PhaseTransition] = []
    entries: list[TimelineEntry] = []
    processes: list[FieldProcess] = []
    fields = [f for f in region.fields_of_action if not f.cross_cutting]
    with translation.override(settings.LANGUAGE_CODE):
        for client, case in cases:
            author = case.case_manager
            for step in client.case.transitions:
                transitions.append(
                    PhaseTransition(
                        traeger_id=traeger_id,
                        case=case,
                        from_phase=step.from_phase,
                        to_phase=step.to_phase,
                        reason=step.reason,
                        changed_by=author,
                    )
                )
                transitions[-1].changed_at = step.at
                entries.append(
                    TimelineEntry(
                        traeger_id=traeger_id,
                        case=case,
                        kind=TimelineEntry.Kind.PHASE,
                        occurred_at=step.at,
                        author=author,
                        text=step.reason,
                        # Same wording as ``case_change_phase``.
                        title=_("Phase changed: %(from)s → %(to)s")
                        % {"from": Phase(step.from_phase).label, "to": Phase(step.to_phase).label},
                    )
                )
            for item in client.case.entries:
                entries.append(
                    TimelineEntry(
                        traeger_id=traeger_id,
                        case=case,
                        kind=item.kind,
                        occurred_at=item.at,
                        title=item.title,
                        text=item.text,
                        channel=item.channel,
                        ends_at=item.ends_at,
                        location=item.location,
                        author=author,
                    )
                )
            processes.extend(_field_processes(client, case, fields, traeger_id))
    wanted = [t.changed_at for t in transitions]
    PhaseTransition.objects.bulk_create(transitions, batch_size=BATCH)
    # ``changed_at`` is auto_now_add: bulk_create stamps "now", the journal needs the history.
    for transition, changed_at in zip(transitions, wanted, strict=True):
        transition.changed_at = changed_at
    PhaseTransition.objects.bulk_update(transitions, ["changed_at"], batch_size=BATCH)
    TimelineEntry.objects.bulk_create(entries, batch_size=BATCH)
    FieldProcess.objects.bulk_create(processes, batch_size=BATCH)


def _field_processes(
    client: ClientSpec, case: Case, fields: list[Any], traeger_id: int
) -> list[FieldProcess]:
    """From Serviceplanung on, each field of action is in the Einwanderungs- or Integrationsprozess."""
    order: list[str] = [
        Phase.SERVICE_PLANNING,
        Phase.LINKING,
        Phase.MONITORING,
        Phase.EVALUATION,
        Phase.CLOSED,
    ]
    if case.phase not in order:
        return []
    rng = random.Random(f"fields:{client.key}")
    progress = order.index(case.phase) / (len(order) - 1)
    result = []
    for field_of_action in fields:
        if rng.random() < 0.35:
            continue
        integrated = rng.random() < 0.15 + 0.7 * progress
        changed = case.participation_agreed_on or case.opened_on
        if client.case.transitions:
            changed = client.case.transitions[min(len(client.case.transitions) - 1, 2)].at.date()
        result.append(
            FieldProcess(
                traeger_id=traeger_id,
                case=case,
                person_id=case.person_id,
                field_of_action=field_of_action,
                stage=FieldProcess.Stage.INTEGRATION
                if integrated
                else FieldProcess.Stage.IMMIGRATION,
                changed_on=changed,
            )
        )
    return result


def _write_audit(
    region: Region,
    persons: list[tuple[ClientSpec, PersonSpec, Person]],
    cases: list[tuple[ClientSpec, Case]],
) -> None:
    """The "create" entries the services would have written, marked as written by the demo."""
    entries: list[AuditEntry] = []
    roles = ",".join(sorted([Role.CASE_MANAGEMENT.value]))
    organisations = {o.pk: str(o) for o in Organisation.objects.filter(traeger=region.traeger)}

    def entry(
        user: User | None, object_type: str, object_id: int, person_id: int, category: str
    ) -> None:
        entries.append(
            AuditEntry(
                traeger_id=region.traeger.pk,
                user=user,
                username=user.username if user else "loaddemo",
                organisation=organisations.get(user.organisation_id, "")
                if user and user.organisation_id
                else "",
                roles=roles if user else "",
                action=AuditEntry.Action.CREATE,
                object_type=object_type,
                object_id=str(object_id),
                person_id=person_id,
                categories=category,
                channel="demo",
                detail="loaddemo",
            )
        )

    for _client, _spec, person in persons:
        entry(person.created_by, "person", person.pk, person.pk, "identity")
    for _client, case in cases:
        entry(case.case_manager, "case", case.pk, case.person_id, "case")
    audit_append_prepared(entries)
