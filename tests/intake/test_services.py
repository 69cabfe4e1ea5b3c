"""Services of the intake: Erstgespräch, assessment, profile, interpreting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase, TimelineEntry
from lotse.core.locking import EditConflict
from lotse.intake import selectors, services
from lotse.intake.models import (
    Assessment,
    AssessmentRevision,
    CaseProfile,
    InitialInterview,
    InterpreterUse,
)
from tests.factories import (
    CaseFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    TimelineEntryFactory,
    TraegerFactory,
    UserFactory,
)
from tests.intake.conftest import complete_answers

pytestmark = pytest.mark.django_db

HELD = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=0)


def save_interview(actor, case, **kwargs):
    params = {
        "expected_version": 0,
        "held_at": HELD,
        "answers": complete_answers(),
        "location": "Regionalbüro",
        "participants": "Klientin\nCase Managerin",
    }
    params.update(kwargs)
    return services.interview_save(actor=actor, case=case, **params)


# -- Erstgespräch -----------------------------------------------------------------------------


def test_draft_keeps_the_guide_key_version_and_questions(case, case_manager, guide):
    interview = save_interview(case_manager, case, answers={"rahmen": {"sprache": "Arabisch"}})

    interview.refresh_from_db()
    assert interview.status == InitialInterview.Status.DRAFT
    assert (interview.guide_key, interview.guide_version) == ("erstgespraech", "1.0")
    assert interview.guide_sections == guide.sections
    assert interview.answers == {"rahmen": {"sprache": "Arabisch"}}
    assert interview.version == 1
    assert not TimelineEntry.objects.filter(case=case).exists()
    assert AuditEntry.objects.filter(object_type="initial_interview", action="create").count() == 1


def test_a_later_guide_change_does_not_reinterpret_the_answers(case, case_manager, guide):
    interview = save_interview(case_manager, case, answers={"rahmen": {"sprache": "Arabisch"}})
    guide.guide_version = "2.0"
    guide.sections = [
        {"key": "neu", "title": "Neu", "questions": [{"key": "x", "text": "X", "required": True}]}
    ]
    guide.save()

    completed = save_interview(
        case_manager, case, expected_version=interview.version, complete=True
    )

    completed.refresh_from_db()
    assert completed.guide_version == "1.0"
    assert completed.is_completed
    assert [s.key for s in selectors.interview_sections(completed, guide)] == [
        "rahmen",
        "lebenssituation",
    ]


def test_completing_checks_required_answers_and_changes_nothing_on_error(case, case_manager, guide):
    interview = save_interview(case_manager, case, answers={})
    with pytest.raises(ValidationError) as error:
        save_interview(case_manager, case, expected_version=1, answers={}, complete=True)
    assert set(error.value.message_dict) == {"rahmen__freiwilligkeit", "lebenssituation__deutsch"}
    interview.refresh_from_db()
    assert interview.status == InitialInterview.Status.DRAFT
    assert interview.version == 1


def test_completing_adds_a_timeline_entry_and_freezes_the_interview(case, case_manager, guide):
    interview = save_interview(case_manager, case, complete=True)

    interview.refresh_from_db()
    assert interview.is_completed
    assert interview.completed_by == case_manager
    entry = TimelineEntry.objects.get(case=case)
    assert entry.kind == TimelineEntry.Kind.APPOINTMENT
    assert entry.occurred_at == HELD
    assert interview.timeline_entry == entry
    assert "Arabisch" not in entry.text  # answers stay in the interview, not in the timeline

    with pytest.raises(ValidationError):
        save_interview(case_manager, case, expected_version=interview.version, complete=False)


def test_a_completed_interview_cannot_lie_in_the_future(case, case_manager, guide):
    future = timezone.now() + dt.timedelta(days=2)
    save_interview(case_manager, case, held_at=future)  # a planned draft is fine
    with pytest.raises(ValidationError) as error:
        save_interview(case_manager, case, expected_version=1, held_at=future, complete=True)
    assert "held_at" in error.value.message_dict


def test_stale_version_is_a_conflict(case, case_manager, team_lead, guide):
    save_interview(case_manager, case, answers={})
    save_interview(team_lead, case, expected_version=1, answers={"rahmen": {"sprache": "Farsi"}})

    with pytest.raises(EditConflict):
        save_interview(case_manager, case, expected_version=1, answers={})
    with pytest.raises(EditConflict):  # "new" although someone else already started it
        save_interview(case_manager, case, expected_version=0, answers={})
    assert InitialInterview.objects.get(case=case).answers == {"rahmen": {"sprache": "Farsi"}}


def test_without_a_guide_there_is_no_interview(case, case_manager):
    with pytest.raises(ValidationError):
        save_interview(case_manager, case)
    assert not InitialInterview.objects.exists()


def test_interpreter_of_the_interview_is_recorded_and_removed(case, case_manager, guide, ki):
    interpreter = services.InterpreterInput(language="ar", kind="trained_lay", organisation=ki)
    interview = save_interview(case_manager, case, interpreter=interpreter)
    use = InterpreterUse.objects.get(interview=interview)
    assert (use.language, use.kind, use.organisation) == ("ar", "trained_lay", ki)

    save_interview(case_manager, case, expected_version=1, interpreter=None)
    assert not InterpreterUse.objects.exists()


def test_interpreter_errors_are_keyed_for_the_form(case, case_manager, guide, ki):
    bad = services.InterpreterInput(language="xx", kind="child", organisation=ki)
    with pytest.raises(ValidationError) as error:
        save_interview(case_manager, case, interpreter=bad)
    assert set(error.value.message_dict) == {"interpreter_language", "interpreter_organisation"}


# -- closed cases and permissions -------------------------------------------------------------


@pytest.fixture
def closed_case(case):
    case.phase = Phase.CLOSED
    case.save()
    return case


def test_closed_case_is_read_only(closed_case, case_manager, guide, work_field):
    with pytest.raises(ValidationError):
        save_interview(case_manager, closed_case)
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=case_manager,
            case=closed_case,
            field_of_action=work_field,
            expected_version=0,
            values={"resources": "Führerschein"},
            authorities=[],
        )
    with pytest.raises(ValidationError):
        services.profile_set(
            actor=case_manager,
            case=closed_case,
            track="acceleration",
            reason="x",
            expected_version=0,
        )
    entry = TimelineEntryFactory(case=closed_case, kind="contact")
    with pytest.raises(ValidationError):
        services.interpreter_use_set(
            actor=case_manager,
            case=closed_case,
            timeline_entry=entry,
            data=services.InterpreterInput(language="ar", kind="professional"),
        )
    assert not (
        InitialInterview.objects.exists()
        or Assessment.objects.exists()
        or CaseProfile.objects.exists()
        or InterpreterUse.objects.exists()
    )


def test_roles_without_case_work_are_refused(case, traeger, organisation, guide):
    coordinator = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.COORDINATION])
    with pytest.raises(PermissionDenied):
        save_interview(coordinator, case)


def test_a_case_of_another_traeger_is_refused(case_manager, guide):
    foreign = CaseFactory(traeger=TraegerFactory())
    with pytest.raises(ValidationError):
        save_interview(case_manager, foreign)


# -- Assessment -------------------------------------------------------------------------------


def assess(actor, case, field, version=0, authorities=(), **values):
    return services.assessment_save(
        actor=actor,
        case=case,
        field_of_action=field,
        expected_version=version,
        values=values,
        authorities=list(authorities),
    )


def test_assessment_per_field_with_history(case, case_manager, team_lead, work_field, jobcenter):
    first = assess(
        case_manager,
        case,
        work_field,
        authorities=[jobcenter],
        resources="Führerschein",
        work_status="job_seeker",
    )
    second = assess(team_lead, case, work_field, version=first.version, work_status="employed")

    assert second.version == 2
    second.refresh_from_db()
    assert second.resources == "Führerschein"  # values not given stay
    assert second.work_status == "employed"
    revisions = selectors.assessment_history(second)
    assert [r.version for r in revisions] == [2, 1]
    assert revisions[1].data["work_status"] == "job_seeker"
    assert revisions[1].data["authorities"] == [{"id": jobcenter.pk, "name": jobcenter.name}]
    assert revisions[0].data["authorities"] == []
    assert revisions[0].changed_by == team_lead


def test_assessment_conflict_changes_nothing(case, case_manager, team_lead, work_field):
    assess(case_manager, case, work_field, resources="A")
    assess(team_lead, case, work_field, version=1, resources="B")
    with pytest.raises(EditConflict):
        assess(case_manager, case, work_field, version=1, resources="C")
    with pytest.raises(EditConflict):
        assess(case_manager, case, work_field, version=0, resources="C")
    assert Assessment.objects.get().resources == "B"
    assert AssessmentRevision.objects.count() == 2


def test_each_field_of_action_has_its_own_assessment(
    case, case_manager, work_field, language_field
):
    assess(case_manager, case, work_field, resources="Arbeit")
    assess(case_manager, case, language_field, resources="Sprache")
    assert [a.resources for a in selectors.assessments_of(case)] == ["Arbeit", "Sprache"]


@pytest.mark.parametrize(
    ("values", "error_fields"),
    [
        ({"german_level": "B1"}, {"german_test_date", "german_test_provider"}),
        ({"german_level": "B1", "german_test_date": dt.date(2026, 9, 1)}, {"german_test_provider"}),
        ({"german_level": "D1"}, {"german_level"}),
        (
            {
                "german_level": "not_tested",
                "german_test_date": dt.date(2026, 9, 1),
                "german_test_provider": "telc",
            },
            {"german_test_date", "german_test_provider"},
        ),
        ({"german_test_provider": "telc"}, {"german_test_provider"}),
        (
            {
                "german_level": "A2",
                "german_test_date": timezone.localdate() + dt.timedelta(days=3),
                "german_test_provider": "telc",
            },
            {"german_test_date"},
        ),
        ({"recognition_status": "in_progress"}, {"recognition_body"}),
        ({"recognition_body": "IHK FOSA"}, {"recognition_body"}),
        ({"recognition_status": "maybe", "recognition_body": "IHK"}, {"recognition_status"}),
        ({"work_status": "retired"}, {"work_status"}),
    ],
)
def test_assessment_validation(case, case_manager, work_field, values, error_fields):
    with pytest.raises(ValidationError) as error:
        assess(case_manager, case, work_field, **values)
    assert set(error.value.message_dict) == error_fields
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("level", ["A1", "A2", "B1", "B2", "C1", "C2"])
def test_every_cefr_level_with_test_date_and_provider_is_accepted(
    case, case_manager, language_field, level
):
    saved = assess(
        case_manager,
        case,
        language_field,
        german_level=level,
        german_test_date=dt.date(2026, 9, 1),
        german_test_provider="telc",
    )
    assert saved.german_level == level


def test_not_tested_needs_no_test_data(case, case_manager, language_field):
    assert assess(case_manager, case, language_field, german_level="not_tested").pk


def test_recognition_with_body(case, case_manager, work_field):
    saved = assess(
        case_manager,
        case,
        work_field,
        recognition_status="partial",
        recognition_body="Bezirksregierung Detmold",
    )
    assert saved.get_recognition_status_display()


def test_authorities_of_another_traeger_are_refused(case, case_manager, work_field):
    foreign = OrganisationFactory(traeger=TraegerFactory())
    with pytest.raises(ValidationError) as error:
        assess(case_manager, case, work_field, authorities=[foreign])
    assert "authorities" in error.value.message_dict


def test_field_of_action_of_another_traeger_is_refused(case, case_manager):
    foreign = FieldOfActionFactory(traeger=TraegerFactory())
    with pytest.raises(ValidationError):
        assess(case_manager, case, foreign, resources="x")


def test_work_status_of_takes_the_latest_recorded_status(
    case, case_manager, work_field, language_field, traeger, organisation
):
    person = case.person
    assert selectors.work_status_of(person) is None
    assess(case_manager, case, language_field, resources="ohne Arbeitsstatus")
    assert selectors.work_status_of(person) is None
    first = assess(case_manager, case, work_field, work_status="job_seeker")
    assert selectors.work_status_of(person) == "job_seeker"
    second_case = CaseFactory(traeger=traeger, organisation=organisation, person=person)
    assess(case_manager, second_case, work_field, work_status="in_training")
    assert selectors.work_status_of(person) == "in_training"
    assess(case_manager, case, work_field, version=first.version, work_status="employed")
    assert selectors.work_status_of(person) == "employed"
    other = CaseFactory(traeger=traeger, organisation=organisation)
    assert selectors.work_status_of(other.person) is None


# -- Profile ----------------------------------------------------------------------------------


def test_profile_with_reason_and_conflict(case, case_manager, team_lead):
    with pytest.raises(ValidationError) as error:
        services.profile_set(
            actor=case_manager, case=case, track="acceleration", reason="  ", expected_version=0
        )
    assert "reason" in error.value.message_dict
    profile = services.profile_set(
        actor=case_manager,
        case=case,
        track="acceleration",
        reason="Studium, B2",
        expected_version=0,
    )
    services.profile_set(
        actor=team_lead,
        case=case,
        track="barriers",
        reason="Wohnungslosigkeit",
        expected_version=profile.version,
    )
    with pytest.raises(EditConflict):
        services.profile_set(
            actor=case_manager,
            case=case,
            track="acceleration",
            reason="x",
            expected_version=profile.version,
        )
    stored = CaseProfile.objects.get(case=case)
    assert (stored.track, stored.version) == ("barriers", 2)


# -- Interpreting -----------------------------------------------------------------------------


def test_interpreter_for_a_contact_replaces_an_earlier_record(case, case_manager, ki):
    contact = TimelineEntryFactory(case=case, kind="contact", channel="in_person")
    services.interpreter_use_set(
        actor=case_manager,
        case=case,
        timeline_entry=contact,
        data=services.InterpreterInput(language="ar", kind="child"),
    )
    assert [u.kind for u in selectors.discouraged_interpreter_uses(case)] == ["child"]

    services.interpreter_use_set(
        actor=case_manager,
        case=case,
        timeline_entry=contact,
        data=services.InterpreterInput(language="ar", kind="trained_lay", organisation=ki),
    )
    assert InterpreterUse.objects.count() == 1
    assert selectors.discouraged_interpreter_uses(case) == []


@pytest.mark.parametrize("kind", ["relative", "child", "untrained"])
def test_discouraged_interpreters(case, case_manager, kind):
    contact = TimelineEntryFactory(case=case, kind="appointment")
    services.interpreter_use_set(
        actor=case_manager,
        case=case,
        timeline_entry=contact,
        data=services.InterpreterInput(language="fa", kind=kind),
    )
    assert [u.kind for u in selectors.discouraged_interpreter_uses(case)] == [kind]


def test_interpreting_only_for_conversations_of_the_case(case, case_manager, traeger, organisation):
    note = TimelineEntryFactory(case=case, kind="note")
    other = TimelineEntryFactory(
        case=CaseFactory(traeger=traeger, organisation=organisation), kind="contact"
    )
    for entry in (note, other):
        with pytest.raises(ValidationError) as error:
            services.interpreter_use_set(
                actor=case_manager,
                case=case,
                timeline_entry=entry,
                data=services.InterpreterInput(language="ar", kind="professional"),
            )
        assert "timeline_entry" in error.value.message_dict


def test_interpreter_organisation_must_be_of_the_traeger(case, case_manager):
    contact = TimelineEntryFactory(case=case, kind="contact")
    foreign = OrganisationFactory(traeger=TraegerFactory())
    with pytest.raises(ValidationError) as error:
        services.interpreter_use_set(
            actor=case_manager,
            case=case,
            timeline_entry=contact,
            data=services.InterpreterInput(
                language="ar", kind="professional", organisation=foreign
            ),
        )
    assert set(error.value.message_dict) == {"organisation"}
