"""``lotse loaddemo`` against the real Kreis Lippe configuration, with a small size."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, FieldProcess, Phase, PhaseTransition, TimelineEntry
from lotse.cases.selectors import CaseFilter, case_list_for_user
from lotse.demo.region import DemoConfigMissing, DemoKeys
from lotse.demo.services import DEFAULT_CONFIG, demo_load
from lotse.directory.models import CaseManagementPost
from lotse.people.models import Household, Person, PersonNameVariant, ResidenceStatusRecord
from lotse.people.names import normalise_name
from lotse.tenancy.models import Traeger

SIZE = 8
pytestmark = pytest.mark.django_db

TENANT_MODELS = [
    Person,
    Household,
    PersonNameVariant,
    ResidenceStatusRecord,
    Case,
    PhaseTransition,
    TimelineEntry,
    FieldProcess,
]


def _load(**options: object) -> str:
    out = StringIO()
    call_command("loaddemo", size=SIZE, stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in TENANT_MODELS}
    counts["User"] = User.objects.count()
    counts["AuditEntry"] = AuditEntry.objects.count()
    return counts


def test_loads_config_users_and_caseload_and_prints_logins():
    output = _load()
    kreis = Traeger.objects.get(slug="kreis-lippe")
    assert "casemanager" in output and "demo" in output
    casemanager = User.objects.get(username="casemanager")
    assert authenticate(username="casemanager", password="demo") == casemanager
    assert casemanager.traeger == kreis
    own_post = CaseManagementPost.objects.get(traeger=kreis, key="cm-sozialraum-4")
    assert own_post.holder == casemanager
    assert casemanager.organisation == own_post.organisation
    assert User.objects.get(username="teamlead").organisation == own_post.organisation
    assert User.objects.get(username="coordinator").organisation.key == "servicestelle"
    assert User.objects.get(username="jobcenter").organisation.key == "jobcenter-lippe"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_role(Role.ADMINISTRATION)
    assert User.objects.get(username="dpo").has_role(Role.DATA_PROTECTION)
    assert not CaseManagementPost.objects.filter(traeger=kreis, holder=None).exists()

    mine = case_list_for_user(casemanager, filters=CaseFilter(mine=True))
    # The generated caseload plus the Rahimi family's case (demo/family.py).
    assert mine.count() == SIZE + 1
    assert mine.filter(person__external_key="demo-familie-rahimi").count() == 1
    assert {c.person.municipality.name for c in mine} == {"Detmold"}


def test_every_row_belongs_to_the_traeger_and_keeps_invariants():
    _load()
    kreis = Traeger.objects.get(slug="kreis-lippe")
    for model in TENANT_MODELS:
        assert model.objects.exists(), model
        assert not model.objects.exclude(traeger=kreis).exists(), model
    for person in Person.objects.all():
        assert person.search_name == normalise_name(person.first_name, person.last_name)
        assert person.external_key.startswith("demo-")
    references = list(Case.objects.values_list("reference", "opened_on", "pk"))
    assert all(ref == f"{opened.year}-{pk:06d}" for ref, opened, pk in references)
    assert not Case.objects.filter(person__household_role__in=["partner", "child"]).exists()
    # Teilhabemanagement: 18–27, Duldung or Gestattung, never Barntrup (opted out).
    participation = Case.objects.filter(programme__kind="participation_management").select_related(
        "person"
    )
    assert participation.exists()
    for case in participation:
        assert case.person.municipality.name != "Barntrup"
        age = (case.opened_on - case.person.date_of_birth).days / 365.25
        assert 18 <= age < 28
    assert (
        AuditEntry.objects.filter(traeger=kreis, object_type="case").count() == Case.objects.count()
    )


def test_spread_of_phases_statuses_places_and_children():
    _load()
    phases = set(Case.objects.values_list("phase", flat=True))
    assert phases == set(Phase.values)
    current = {
        person.residence_statuses.order_by("-valid_from", "-id").first().status.key
        for person in Person.objects.filter(household_role__in=["head", ""])
    }
    assert {"aufenthaltsgestattung", "duldung", "eu-freizuegigkeit"} <= current
    assert len(current) >= 6
    # All 16 appear at the default size; a small demo still spreads widely.
    assert Person.objects.values("municipality").distinct().count() >= 12
    today = timezone.localdate()
    children = Person.objects.filter(household_role="child")
    school_age = [c for c in children if 6 <= (today - c.date_of_birth).days / 365.25 < 16]
    assert school_age
    assert Person.objects.filter(residence_obligation=True).exists()
    assert PersonNameVariant.objects.filter(kind="transliteration").exists()
    assert TimelineEntry.objects.filter(kind="contact").exclude(channel="").exists()
    assert PhaseTransition.objects.exclude(reason="").exists() or Case.objects.count() < 100


def test_second_run_duplicates_nothing_and_keeps_user_edits():
    _load()
    before = _counts()
    person = Person.objects.filter(household_role="head").order_by("pk").first()
    Person.objects.filter(pk=person.pk).update(first_name="Geändert", version=2)
    casemanager = User.objects.get(username="casemanager")
    casemanager.set_password("ein-eigenes-passwort")
    casemanager.save()

    output = _load()

    assert _counts() == before
    person.refresh_from_db()
    assert person.first_name == "Geändert" and person.version == 2
    assert authenticate(username="casemanager", password="ein-eigenes-passwort") == casemanager
    assert "0" in output


def test_same_seed_gives_the_same_people_in_a_fresh_database():
    demo_load(seed=11, size=2)
    first = sorted(
        Person.objects.values_list("external_key", "first_name", "last_name", "date_of_birth")
    )
    from lotse.audit.maintenance import audit_maintenance

    with audit_maintenance():
        AuditEntry.objects.all().delete()
    for model in [
        TimelineEntry,
        PhaseTransition,
        FieldProcess,
        Case,
        PersonNameVariant,
        ResidenceStatusRecord,
        Person,
        Household,
    ]:
        model.objects.all().delete()
    demo_load(seed=11, size=2)
    second = sorted(
        Person.objects.values_list("external_key", "first_name", "last_name", "date_of_birth")
    )
    assert first == second


def test_missing_key_fails_with_a_clear_message():
    with pytest.raises(DemoConfigMissing, match="gibt-es-nicht"):
        demo_load(size=1, keys=DemoKeys(casemanager_post="gibt-es-nicht"))
    assert not Person.objects.exists()


def test_refused_outside_debug_and_demo(monkeypatch):
    monkeypatch.setattr(settings, "DEBUG", False)
    monkeypatch.setattr(settings, "DEMO", False, raising=False)
    monkeypatch.setattr(settings, "TESTING", False, raising=False)
    with pytest.raises(CommandError):
        _load()
    assert not User.objects.filter(username="casemanager").exists()


def test_default_config_is_the_kreis_lippe_file():
    assert DEFAULT_CONFIG.name == "kreis-lippe.yaml" and DEFAULT_CONFIG.exists()


def test_the_demo_consents_pass_the_gate_and_keep_the_partner_journeys():
    """Issue 9: demo consents name purposes and are signed; the Jobcenter partner still has two
    tasks and three shared persons; referrals to providers are journaled; the VHS exists."""
    from lotse.assignments.models import Task
    from lotse.consent.models import Consent, Transfer
    from lotse.directory.models import Organisation
    from lotse.offers.models import Referral
    from lotse.sharing.selectors import shared_person_page

    call_command("loaddemo", size=20, stdout=StringIO())
    kreis = Traeger.objects.get(slug="kreis-lippe")
    jobcenter = Organisation.objects.get(traeger=kreis, key="jobcenter-lippe")
    vhs = Organisation.objects.get(traeger=kreis, key="vhs-detmold-lemgo")
    assert vhs.kind == Organisation.Kind.EDUCATION
    assert Organisation.objects.get(traeger=kreis, key="abh-kreis-lippe").kind == (
        Organisation.Kind.IMMIGRATION_OFFICE
    )
    consents = Consent.objects.filter(traeger=kreis)
    assert consents.exists()
    assert all(c.is_signed and c.purposes.exists() for c in consents)
    assert Task.objects.filter(owner_organisation=jobcenter).count() == 2
    assert Transfer.objects.filter(recipient=jobcenter, flow="task").count() == 2
    partner = User.objects.get(username="jobcenter")
    _page, rows = shared_person_page(partner)
    assert len(rows) == 3
    outside = Referral.objects.filter(case__traeger=kreis, offer__provider__isnull=False).exclude(
        offer__provider=models.F("case__organisation")
    )
    assert outside.exists()
    assert all(r.transfer_id and r.transfer.flow == "referral" for r in outside)


def test_the_demo_family_and_a_worklist_without_years_old_items():
    """Issue 10: the Rahimi household (36, 7, 3) registered last Monday, its case just opened;
    the case managers' Fristen worklists start with what became overdue in the last weeks."""
    import datetime as dt

    from lotse.deadlines.engine import age_on
    from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
    from lotse.deadlines.selectors import WorklistFilter, worklist_for_user
    from lotse.demo.extras import RECENTLY_OVERDUE_DAYS
    from lotse.demo.family import FAMILY_KEY, last_monday

    call_command("loaddemo", size=SIZE, stdout=StringIO())
    today = timezone.localdate()
    mother = Person.objects.get(external_key=FAMILY_KEY)
    members = list(Person.objects.filter(household=mother.household).order_by("date_of_birth"))
    ages = sorted(age_on(m.date_of_birth, today) for m in members)
    assert ages == [3, 7, 36]
    assert {m.registered_on for m in members} == {last_monday(today)}
    case = Case.objects.get(person=mother)
    assert case.case_manager.username == "casemanager"
    assert case.phase == Phase.INTAKE
    open_goals = set(
        PersonGoalDeadline.objects.filter(
            person__in=members, status=DeadlineStatus.OPEN
        ).values_list("person__first_name", "goal__code")
    )
    assert {
        ("Mariam", "Leitziel III"),
        ("Omid", "Leitziel III"),
        ("Sara", "Leitziel III"),
        ("Mariam", "Sprache III"),
        ("Omid", "Schule I"),
        ("Sara", "Kita III"),
    } <= open_goals

    limit = today - dt.timedelta(days=RECENTLY_OVERDUE_DAYS)
    for username in ("casemanager", "casemanager2", "teilhabe2"):
        user = User.objects.get(username=username)
        rows, order = worklist_for_user(user, filters=WorklistFilter(mine=True), today=today)
        first = rows.order_by(*order).first()
        assert first is not None and first.due_on >= limit, username


def test_the_demo_has_case_conferences_in_every_state_with_a_neutral_moderator():
    """Issue 12: conferences in every state; the Jobcenter's one across two municipalities is
    three weeks ahead with the Ausländerbehörde invited without case data (no consent); the
    held ones carry minutes, three agreements as tasks and two optimisation needs."""
    from lotse.assignments.models import Task
    from lotse.conferences.models import Conference, ConferenceState, OptimisationNeed

    call_command("loaddemo", size=SIZE, stdout=StringIO())
    kreis = Traeger.objects.get(slug="kreis-lippe")
    moderator = User.objects.get(username="moderator")
    assert moderator.has_role(Role.COORDINATION)
    assert moderator.organisation.key == "ki-kreis-lippe"
    assert authenticate(username="moderator", password="demo") == moderator
    conferences = Conference.objects.filter(traeger=kreis)
    assert set(conferences.values_list("state", flat=True)) == set(ConferenceState.values)

    scheduled = conferences.get(state=ConferenceState.SCHEDULED)
    assert scheduled.initiator.key == "jobcenter-lippe"
    assert scheduled.moderator == moderator
    assert (timezone.localtime(scheduled.starts_at).date() - timezone.localdate()).days == 21
    assert scheduled.indication.municipalities.count() == 2
    participants = {p.organisation.key: p for p in scheduled.participants.all()}
    assert set(participants) == {"jobcenter-lippe", "jugendamt-kreis-lippe", "abh-detmold"}
    assert participants["jugendamt-kreis-lippe"].sees_case_data
    assert not participants["abh-detmold"].sees_case_data
    assert participants["abh-detmold"].gate_reasons

    held = conferences.get(state=ConferenceState.HELD)
    assert held.starts_at < timezone.now()
    assert held.agenda.exclude(minutes="").count() == 6
    tasks = Task.objects.filter(pk__in=held.agreements.values("task"))
    assert tasks.count() == 3
    assert {t.owner_organisation.key for t in tasks if t.owner_organisation} == {
        "jugendamt-kreis-lippe"
    }
    assert OptimisationNeed.objects.filter(conference=held).count() == 2
    assert held.evaluations.count() == 2
    assert held.participants.filter(evaluation_submitted=True).count() == 2
    followed = conferences.get(state=ConferenceState.FOLLOWED_UP)
    follow_up = followed.case.timeline.filter(kind="contact", occurred_at__lt=timezone.now())
    # Titles are encrypted at rest: compare the decrypted values
    assert any(
        "fallkonferenz" in entry.title.lower() or "case conference" in entry.title.lower()
        for entry in follow_up
    )
    # A second run adds nothing.
    call_command("loaddemo", size=SIZE, stdout=StringIO())
    assert Conference.objects.filter(traeger=kreis).count() == conferences.count() == 8
