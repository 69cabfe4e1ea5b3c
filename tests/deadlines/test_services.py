"""Recomputing deadlines per person and household, and the users' decisions on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.core.locking import EditConflict
from lotse.deadlines import services
from lotse.deadlines.models import DeadlineStatus, DisplayStatus, PersonGoalDeadline
from lotse.people.models import ResidenceStatusRecord
from tests.deadlines.conftest import RHEINE_GOALS, make_goal
from tests.factories import PersonFactory, ResidenceStatusTypeFactory

pytestmark = pytest.mark.django_db
D = dt.date


def by_key(person):
    return {
        d.goal.key: d
        for d in PersonGoalDeadline.objects.filter(person=person).select_related("goal")
    }


def test_refresh_creates_the_deadlines_of_the_whole_household(lippe_goals, family):
    mother, school_child, toddler = family

    services.deadlines_refresh_for_person(mother)

    mine = by_key(mother)
    assert mine["leitziel-iii"].due_on == D(2025, 9, 15)
    assert mine["arbeit-i"].due_on == D(2025, 10, 13)  # an adult of working age
    assert mine["sprache-i"].due_on == D(2027, 9, 1)
    assert mine["schule-i"].status == DeadlineStatus.NOT_APPLICABLE
    assert mine["schule-i"].automatic_reason == "too_old"
    assert "kita-iv" not in mine  # structure-level monitoring, not a person's deadline
    assert by_key(school_child)["schule-i"].due_on == D(2025, 9, 29)
    assert by_key(school_child)["schule-i"].status == DeadlineStatus.OPEN
    assert by_key(toddler)["kita-iii"].due_on == D(2025, 9, 29)
    assert by_key(toddler)["schule-i"].status == DeadlineStatus.NOT_APPLICABLE


def test_refresh_is_idempotent_and_follows_changed_data(lippe_goals, family):
    mother, school_child, _ = family
    services.deadlines_refresh_for_person(mother)
    first = by_key(school_child)["schule-i"]

    services.deadlines_refresh_for_person(mother)
    assert PersonGoalDeadline.objects.filter(person=school_child).count() == len(lippe_goals) - 1
    assert by_key(school_child)["schule-i"].computed_at == first.computed_at  # nothing changed

    school_child.registered_on = D(2025, 10, 10)
    school_child.save()
    services.deadlines_refresh_for_person(school_child)
    assert by_key(school_child)["schule-i"].due_on == D(2025, 11, 21)


def test_met_survives_recomputation(lippe_goals, family, case_manager):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = by_key(mother)["leitziel-iii"]

    services.deadline_mark_met(
        actor=case_manager,
        deadline=deadline,
        met_on=D(2025, 9, 10),
        evidence="Ankommensgespräch im Regionalbüro",
        expected_version=deadline.version,
    )
    mother.registered_on = D(2025, 9, 8)
    mother.save()
    services.deadlines_refresh_for_person(mother)

    after = by_key(mother)["leitziel-iii"]
    assert after.status == DeadlineStatus.MET
    assert after.met_on == D(2025, 9, 10)
    assert after.due_on == D(2025, 9, 22)  # the due date still follows the data
    assert AuditEntry.objects.filter(object_type="deadline", action="update").exists()


def test_missed_is_derived_from_the_due_date(lippe_goals, family):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = by_key(mother)["leitziel-iii"]
    assert deadline.display_status(D(2025, 9, 15)) == DisplayStatus.OPEN
    assert deadline.display_status(D(2025, 9, 16)) == DisplayStatus.MISSED


def test_not_applicable_by_a_user_keeps_its_reason_and_can_be_reopened(
    lippe_goals, family, case_manager
):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = by_key(mother)["arbeit-i"]

    services.deadline_mark_not_applicable(
        actor=case_manager,
        deadline=deadline,
        reason="In Vollzeit beschäftigt",
        expected_version=deadline.version,
    )
    services.deadlines_refresh_for_person(mother)
    decided = by_key(mother)["arbeit-i"]
    assert decided.status == DeadlineStatus.NOT_APPLICABLE
    assert decided.reason_text == "In Vollzeit beschäftigt"
    assert not decided.automatic

    services.deadline_reopen(actor=case_manager, deadline=decided, expected_version=decided.version)
    reopened = by_key(mother)["arbeit-i"]
    assert reopened.status == DeadlineStatus.OPEN
    assert reopened.automatic
    assert reopened.not_applicable_reason == ""


def test_a_stale_decision_is_a_conflict(lippe_goals, family, case_manager):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = by_key(mother)["leitziel-iii"]
    stale = deadline.version
    services.deadline_mark_not_applicable(
        actor=case_manager, deadline=deadline, reason="Umzug", expected_version=stale
    )
    other_copy = PersonGoalDeadline.objects.get(pk=deadline.pk)
    with pytest.raises(EditConflict):
        services.deadline_mark_met(
            actor=case_manager,
            deadline=other_copy,
            met_on=D(2025, 9, 10),
            evidence="x",
            expected_version=stale,
        )
    assert PersonGoalDeadline.objects.get(pk=deadline.pk).status == DeadlineStatus.NOT_APPLICABLE


def test_decisions_are_validated(lippe_goals, family, case_manager):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = by_key(mother)["leitziel-iii"]
    with pytest.raises(ValidationError) as error:
        services.deadline_mark_met(
            actor=case_manager,
            deadline=deadline,
            met_on=timezone.localdate() + dt.timedelta(days=1),
            evidence="",
            expected_version=deadline.version,
        )
    assert set(error.value.message_dict) == {"met_on", "evidence"}
    with pytest.raises(ValidationError) as error:
        services.deadline_mark_not_applicable(
            actor=case_manager, deadline=deadline, reason=" ", expected_version=deadline.version
        )
    assert set(error.value.message_dict) == {"reason"}


def test_rheine_integration_course_from_the_residence_title(traeger, organisation):
    goal = make_goal(traeger, "gz-1", RHEINE_GOALS)
    title = ResidenceStatusTypeFactory(traeger=traeger, key="schutz", is_residence_title=True)
    duldung = ResidenceStatusTypeFactory(traeger=traeger, key="duldung", is_residence_title=False)
    adult = PersonFactory(traeger=traeger, organisation=organisation, registered_on=D(2025, 9, 1))
    tolerated = PersonFactory(traeger=traeger, organisation=organisation)
    ResidenceStatusRecord.objects.create(
        traeger=traeger, person=adult, status=title, valid_from=D(2025, 9, 10)
    )
    ResidenceStatusRecord.objects.create(
        traeger=traeger, person=tolerated, status=duldung, valid_from=D(2025, 9, 10)
    )

    services.deadlines_refresh_for_person(adult)
    services.deadlines_refresh_for_person(tolerated)

    assert PersonGoalDeadline.objects.get(person=adult, goal=goal).due_on == D(2025, 11, 5)
    assert (
        PersonGoalDeadline.objects.get(person=tolerated, goal=goal).status
        == DeadlineStatus.NOT_APPLICABLE
    )


def test_refresh_command_recomputes_one_traeger(lippe_goals, family, traeger):
    call_command("refreshdeadlines", "--traeger", traeger.slug)
    assert PersonGoalDeadline.objects.filter(traeger=traeger).count() == 3 * (len(lippe_goals) - 1)


def test_refresh_command_rejects_unknown_traeger(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("refreshdeadlines", "--traeger", "gibt-es-nicht")


def test_the_daily_run_recomputes_only_changed_persons_and_birthdays(
    lippe_goals, traeger, organisation
):
    """Incremental night run (issue 14): persons changed since the last run and persons a
    year older since then; everyone else keeps their rows untouched."""
    from lotse.people.models import Person

    today = dt.date(2026, 12, 9)
    since = dt.date(2026, 12, 8)
    old = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    birthday = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=dt.date(2010, 12, 9)
    )
    leap_day = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=dt.date(2012, 2, 29)
    )
    unchanged = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=dt.date(2010, 12, 10)
    )
    changed = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=dt.date(1990, 5, 17)
    )
    Person.objects.filter(pk__in=[birthday.pk, leap_day.pk, unchanged.pk]).update(updated_at=old)
    Person.objects.filter(pk=changed.pk).update(
        updated_at=dt.datetime(2026, 12, 8, 15, 0, tzinfo=dt.UTC)  # after the last run began
    )
    _basis_recorded(traeger, since)

    services.deadlines_refresh_all(today=today, since=since)

    with_rows = set(PersonGoalDeadline.objects.values_list("person_id", flat=True))
    assert with_rows == {birthday.pk, changed.pk}

    services.deadlines_refresh_all(today=dt.date(2027, 3, 1), since=dt.date(2027, 2, 27))
    assert leap_day.pk in set(PersonGoalDeadline.objects.values_list("person_id", flat=True))


def _basis_recorded(traeger, day):
    """As after a full refresh of ``traeger`` on ``day`` with its current configuration."""
    from lotse.deadlines.models import DeadlineBasis

    DeadlineBasis.objects.update_or_create(
        traeger=traeger,
        defaults={"fingerprint": services.deadline_basis(traeger), "refreshed_on": day},
    )


def test_the_daily_run_is_a_full_one_only_at_the_first_run_and_after_a_gap():
    from lotse.deadlines.models import SchedulerRun
    from lotse.deadlines.scheduler import DAILY_JOB
    from lotse.deadlines.tasks import previous_run_day

    SchedulerRun.objects.create(job=DAILY_JOB, run_on=dt.date(2026, 12, 7))
    assert previous_run_day(dt.date(2026, 12, 9)) == dt.date(2026, 12, 7)  # a Wednesday
    assert previous_run_day(dt.date(2026, 12, 13)) == dt.date(2026, 12, 7)  # a Sunday too
    assert previous_run_day(dt.date(2026, 12, 22)) is None  # more than a week later
    assert previous_run_day(dt.date(2026, 12, 7)) is None  # the first run


def _persons_with_rows():
    return set(PersonGoalDeadline.objects.values_list("person_id", flat=True))


def test_a_changed_configuration_makes_the_daily_run_full_for_that_traeger_only(
    lippe_goals, traeger, organisation
):
    """Issue 14: no weekly full run of the state; a Träger's persons are all recomputed on
    the night after its goals, target groups or school holidays changed (or the engine was
    updated), and only then."""
    from lotse.deadlines.models import DeadlineBasis
    from lotse.people.models import Person
    from tests.factories import OrganisationFactory, TargetGroupFactory, TraegerFactory

    other = TraegerFactory()
    for key in ["arbeit-i", "sprache-i"]:
        make_goal(other, key)
    old = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    here = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=dt.date(1990, 5, 17)
    )
    there = PersonFactory(
        traeger=other,
        organisation=OrganisationFactory(traeger=other),
        date_of_birth=dt.date(1990, 5, 17),
    )
    Person.objects.update(updated_at=old)
    _basis_recorded(traeger, dt.date(2026, 12, 7))
    _basis_recorded(other, dt.date(2026, 12, 7))

    outcomes = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 9), since=dt.date(2026, 12, 8)
    )
    assert [(o.traeger, o.full) for o in outcomes] == [(traeger, False), (other, False)]
    assert _persons_with_rows() == set()  # nobody changed, nobody had a birthday

    # A goal's rule changes in one Träger: its next run is a full one, the other's is not.
    goal = lippe_goals["sprache-i"]
    goal.deadline_rule = {**goal.deadline_rule, "within": goal.deadline_rule["within"] + 1}
    goal.save()
    outcomes = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 10), since=dt.date(2026, 12, 9)
    )
    assert [(o.traeger, o.full) for o in outcomes] == [(traeger, True), (other, False)]
    assert _persons_with_rows() == {here.pk}
    assert DeadlineBasis.objects.get(traeger=traeger).refreshed_on == dt.date(2026, 12, 10)
    assert DeadlineBasis.objects.get(traeger=other).refreshed_on == dt.date(2026, 12, 7)

    # Recorded: the night after is incremental again.
    outcomes = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 11), since=dt.date(2026, 12, 10)
    )
    assert not any(o.full for o in outcomes)

    # School holidays of the other Träger: full there.
    other.school_holidays = [{"name": "Herbstferien", "start": "2026-10-12", "end": "2026-10-24"}]
    other.save(update_fields=["school_holidays"])
    outcomes = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 12), since=dt.date(2026, 12, 11)
    )
    assert [(o.traeger, o.full) for o in outcomes] == [(traeger, False), (other, True)]
    assert there.pk in _persons_with_rows()

    # A new target group (goals may name target groups and their parents): full here.
    TargetGroupFactory(traeger=traeger)
    outcomes = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 13), since=dt.date(2026, 12, 12)
    )
    assert [(o.traeger, o.full) for o in outcomes] == [(traeger, True), (other, False)]


def test_without_a_recorded_basis_or_after_an_engine_update_the_run_is_full(
    lippe_goals, traeger, organisation, monkeypatch
):
    """The first nightly run after an update of Lotse (no basis recorded yet, or another
    engine) recomputes everyone."""
    from lotse.people.models import Person

    person = PersonFactory(
        traeger=traeger, organisation=organisation, date_of_birth=dt.date(1990, 5, 17)
    )
    Person.objects.update(updated_at=dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))

    (outcome,) = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 9), since=dt.date(2026, 12, 8)
    )
    assert outcome.full and _persons_with_rows() == {person.pk}

    (outcome,) = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 10), since=dt.date(2026, 12, 9)
    )
    assert not outcome.full

    monkeypatch.setattr(services, "_CODE_FINGERPRINT", "another engine")
    (outcome,) = services.deadlines_refresh_traeger_all(
        today=dt.date(2026, 12, 11), since=dt.date(2026, 12, 10)
    )
    assert outcome.full
