"""The intake pages: Erstgespräch, Assessment, Profil, Sprachmittlung."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase, TimelineEntry
from lotse.intake.models import Assessment, CaseProfile, InitialInterview, InterpreterUse
from tests.factories import (
    CaseFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    TimelineEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WARNING_ID = 'id="sprachmittlung-warnung"'
YESTERDAY = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def interview_post(action="draft", version=0, **extra):
    data = {
        "version": version,
        "held_at": YESTERDAY,
        "location": "Regionalbüro Detmold",
        "participants": "Klientin",
        "rahmen__freiwilligkeit": "yes",
        "rahmen__sprache": "Arabisch",
        "lebenssituation__anmeldung": "2026-09-01",
        "lebenssituation__kinder": "2",
        "lebenssituation__deutsch": "A1",
        "action": action,
    }
    data.update(extra)
    return data


@pytest.fixture
def cm_client(client, case_manager):
    client.force_login(case_manager)
    return client


def url(name, case, *args):
    return reverse(f"intake:{name}", args=[case.pk, *args])


# -- Erstgespräch -----------------------------------------------------------------------------


def test_case_page_links_the_intake_pages(cm_client, case):
    content = cm_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for name in ("interview", "assessment", "profile", "interpreters"):
        assert f'href="{url(name, case)}"' in content


def test_interview_form_is_generated_from_the_guide(cm_client, case, guide):
    response = cm_client.get(url("interview", case))
    assert response.status_code == 200
    form = response.context["form"]
    assert {"rahmen__freiwilligkeit", "lebenssituation__kinder", "held_at"} <= set(form.fields)
    content = response.content.decode()
    assert 'type="radio"' in content and 'type="date"' in content
    assert "Wie gut sprechen Sie Deutsch?" in content
    assert AuditEntry.objects.filter(
        object_type="case", object_id=str(case.pk), detail="intake:interview"
    ).exists()


def test_without_a_guide_the_page_says_so(cm_client, case):
    response = cm_client.get(url("interview", case))
    assert response.status_code == 200
    assert "form" not in response.context


def test_draft_then_complete(cm_client, case, guide):
    response = cm_client.post(url("interview", case), interview_post())
    assert response.status_code == 302
    interview = InitialInterview.objects.get(case=case)
    assert interview.status == "draft"
    assert interview.answers["lebenssituation"] == {
        "anmeldung": "2026-09-01",
        "kinder": 2,
        "deutsch": "A1",
    }
    assert interview.answers["rahmen"]["freiwilligkeit"] is True

    # the draft comes back into the form
    form = cm_client.get(url("interview", case)).context["form"]
    assert form.initial["rahmen__freiwilligkeit"] == "yes"
    assert form.initial["version"] == 1

    response = cm_client.post(url("interview", case), interview_post("complete", version=1))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.is_completed
    assert TimelineEntry.objects.filter(case=case, kind="appointment").count() == 1

    response = cm_client.get(url("interview", case))
    assert "form" not in response.context
    assert "Regionalbüro Detmold" in response.content.decode()
    assert "01.09.2026" in response.content.decode()


def test_completing_without_required_answers_is_422_at_the_field(cm_client, case, guide):
    data = interview_post("complete")
    data.pop("lebenssituation__deutsch")
    response = cm_client.post(url("interview", case), data)
    assert response.status_code == 422
    assert "lebenssituation__deutsch" in response.context["form"].errors
    assert not InitialInterview.objects.exists()


def test_wrong_types_are_422(cm_client, case, guide):
    response = cm_client.post(
        url("interview", case),
        interview_post(lebenssituation__kinder="zwei", lebenssituation__deutsch="C2"),
    )
    assert response.status_code == 422
    assert {"lebenssituation__kinder", "lebenssituation__deutsch"} <= set(
        response.context["form"].errors
    )


def test_stale_interview_is_409_and_keeps_the_input(cm_client, case, guide):
    cm_client.post(url("interview", case), interview_post())
    cm_client.post(url("interview", case), interview_post(version=1))
    response = cm_client.post(
        url("interview", case), interview_post(version=1, rahmen__sprache="Tigrinya")
    )
    assert response.status_code == 409
    assert "Tigrinya" in response.content.decode()
    assert InitialInterview.objects.get().answers["rahmen"]["sprache"] == "Arabisch"


def test_child_interpreting_in_the_interview_shows_the_warning(cm_client, case, guide):
    response = cm_client.post(
        url("interview", case),
        interview_post(interpreter_language="ar", interpreter_kind="child"),
    )
    assert response.status_code == 302
    assert InterpreterUse.objects.get().kind == "child"
    for name in ("interview", "assessment", "profile", "interpreters"):
        assert WARNING_ID in cm_client.get(url(name, case)).content.decode(), name


def test_no_warning_for_a_trained_interpreter(cm_client, case, guide, ki):
    cm_client.post(
        url("interview", case),
        interview_post(
            interpreter_language="ar",
            interpreter_kind="trained_lay",
            interpreter_organisation=ki.pk,
        ),
    )
    assert InterpreterUse.objects.get().organisation == ki
    assert WARNING_ID not in cm_client.get(url("profile", case)).content.decode()


# -- closed cases and access ------------------------------------------------------------------


def test_closed_case_pages_are_read_only(cm_client, case, guide, work_field):
    case.phase = Phase.CLOSED
    case.save()
    response = cm_client.get(url("interview", case))
    assert response.status_code == 200 and "form" not in response.context
    assert cm_client.post(url("interview", case), interview_post()).status_code == 422
    assert cm_client.get(url("assessment_edit", case, work_field.pk)).status_code == 302
    response = cm_client.post(
        url("assessment_edit", case, work_field.pk), {"version": 0, "resources": "x"}
    )
    assert response.status_code == 422
    assert "form" not in cm_client.get(url("profile", case)).context
    assert not InitialInterview.objects.exists() and not Assessment.objects.exists()


@pytest.mark.parametrize("name", ["interview", "assessment", "profile", "interpreters"])
def test_case_of_another_team_is_404(client, case, traeger, guide, name):
    other = UserFactory(traeger=traeger, organisation=OrganisationFactory(traeger=traeger))
    client.force_login(other)
    assert client.get(url(name, case)).status_code == 404
    assert client.post(url(name, case), {}).status_code == 404


def test_roles_without_case_work_get_403(client, case, traeger, organisation, guide):
    client.force_login(
        UserFactory(traeger=traeger, organisation=organisation, roles=[Role.COORDINATION])
    )
    assert client.get(url("interview", case)).status_code == 403
    assert client.post(url("interview", case), interview_post()).status_code == 403


def test_field_of_another_traeger_is_404(cm_client, case):
    foreign = FieldOfActionFactory()
    assert cm_client.get(url("assessment_edit", case, foreign.pk)).status_code == 404


# -- Assessment -------------------------------------------------------------------------------


def assessment_post(version=0, **extra):
    data = {
        "version": version,
        "resources": "Führerschein, Familie unterstützt",
        "school_qualifications": "Abitur (Syrien)",
        "recognition_status": "in_progress",
        "recognition_body": "Bezirksregierung Detmold",
        "work_status": "job_seeker",
        "german_level": "A2",
        "german_test_date": "2026-09-15",
        "german_test_provider": "telc",
        "goals": "Ich möchte als Krankenpfleger arbeiten.",
    }
    data.update(extra)
    return data


def test_assessment_save_and_history(cm_client, case, work_field, jobcenter):
    response = cm_client.post(
        url("assessment_edit", case, work_field.pk), assessment_post(authorities=[jobcenter.pk])
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case, field_of_action=work_field)
    assert list(assessment.authorities.all()) == [jobcenter]
    assert assessment.german_test_date == dt.date(2026, 9, 15)

    form = cm_client.get(url("assessment_edit", case, work_field.pk)).context["form"]
    assert form.initial["authorities"] == [jobcenter.pk]
    response = cm_client.post(
        url("assessment_edit", case, work_field.pk),
        assessment_post(version=1, work_status="employed"),
    )
    assert response.status_code == 302

    overview = cm_client.get(url("assessment", case)).content.decode()
    assert "Krankenpfleger" in overview
    history = cm_client.get(url("assessment_history", case, work_field.pk))
    assert history.status_code == 200
    assert [revision.version for revision, _values in history.context["rows"]] == [2, 1]
    changed = {label for label, _v, is_changed in history.context["rows"][0][1] if is_changed}
    assert len(changed) == 2  # work status and authorities


def test_assessment_cefr_validation_is_422(cm_client, case, work_field):
    response = cm_client.post(
        url("assessment_edit", case, work_field.pk),
        assessment_post(german_test_date="", german_test_provider=""),
    )
    assert response.status_code == 422
    assert {"german_test_date", "german_test_provider"} <= set(response.context["form"].errors)
    response = cm_client.post(
        url("assessment_edit", case, work_field.pk), assessment_post(german_level="B3")
    )
    assert response.status_code == 422
    assert not Assessment.objects.exists()


def test_assessment_conflict_is_409(cm_client, case, work_field):
    cm_client.post(url("assessment_edit", case, work_field.pk), assessment_post())
    cm_client.post(url("assessment_edit", case, work_field.pk), assessment_post(version=1))
    response = cm_client.post(
        url("assessment_edit", case, work_field.pk),
        assessment_post(version=1, resources="Mein Stand"),
    )
    assert response.status_code == 409
    assert "Mein Stand" in response.content.decode()


def test_assessment_overview_queries_do_not_grow(
    cm_client, case, traeger, case_manager, jobcenter, django_assert_max_num_queries
):
    from lotse.intake import services

    def add_fields(count):
        for _ in range(count):
            field = FieldOfActionFactory(traeger=traeger)
            services.assessment_save(
                actor=case_manager,
                case=case,
                field_of_action=field,
                expected_version=0,
                values={"resources": "r"},
                authorities=[jobcenter],
            )

    add_fields(1)
    with django_assert_max_num_queries(20) as few:
        assert cm_client.get(url("assessment", case)).status_code == 200
    add_fields(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        cm_client.get(url("assessment", case))


# -- Profile ----------------------------------------------------------------------------------


def test_profile_page_derives_the_arrival_category(cm_client, case):
    case.person.registered_on = dt.date(2020, 1, 1)
    case.person.save()
    response = cm_client.get(url("profile", case))
    assert response.context["arrival_category"] == "established"
    assert 'data-category="established"' in response.content.decode()


def test_profile_set_and_share(cm_client, case, traeger, organisation):
    response = cm_client.post(
        url("profile", case), {"version": 0, "track": "barriers", "reason": "Mehrere Problemlagen"}
    )
    assert response.status_code == 302
    assert CaseProfile.objects.get(case=case).track == "barriers"
    share = cm_client.get(url("profile", case)).context["share"]
    assert (share.barriers, share.acceleration) == (1, 0)

    assert cm_client.post(url("profile", case), {"version": 1, "track": "x"}).status_code == 422
    stale = cm_client.post(
        url("profile", case), {"version": 0, "track": "acceleration", "reason": "Studium"}
    )
    assert stale.status_code == 409


def test_profile_share_shows_no_names(cm_client, case, traeger, organisation):
    other = CaseFactory(traeger=traeger, organisation=organisation)
    CaseProfile.objects.create(
        traeger=traeger,
        case=other,
        track="acceleration",
        reason="r",
        decided_on=dt.date(2026, 1, 1),
    )
    content = cm_client.get(url("profile", case)).content.decode()
    assert other.person.last_name not in content
    assert other.reference not in content


# -- Interpreting -----------------------------------------------------------------------------


def test_interpreting_for_a_contact(cm_client, case, ki):
    contact = TimelineEntryFactory(case=case, kind="contact", channel="phone", title="Telefonat")
    TimelineEntryFactory(case=case, kind="note", title="Notiz")
    form = cm_client.get(url("interpreters", case)).context["form"]
    assert [int(value) for value, _label in form.fields["timeline_entry"].choices] == [contact.pk]

    response = cm_client.post(
        url("interpreters", case),
        {"timeline_entry": contact.pk, "language": "ti", "kind": "relative"},
    )
    assert response.status_code == 302
    assert InterpreterUse.objects.get(timeline_entry=contact).kind == "relative"
    assert WARNING_ID in cm_client.get(url("assessment", case)).content.decode()

    response = cm_client.post(
        url("interpreters", case),
        {"timeline_entry": contact.pk, "language": "ti", "kind": "relative", "organisation": ki.pk},
    )
    assert response.status_code == 422
    assert "organisation" in response.context["form"].errors


def test_interpreters_page_queries_do_not_grow(
    cm_client, case, case_manager, django_assert_max_num_queries
):
    from lotse.intake import services

    def add(count):
        for _ in range(count):
            entry = TimelineEntryFactory(case=case, kind="contact")
            services.interpreter_use_set(
                actor=case_manager,
                case=case,
                timeline_entry=entry,
                data=services.InterpreterInput(language="ar", kind="child"),
            )

    add(1)
    with django_assert_max_num_queries(25) as few:
        assert cm_client.get(url("interpreters", case)).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        cm_client.get(url("interpreters", case))


def test_the_interview_appointment_is_not_offered_for_interpreting(cm_client, case, guide):
    contact = TimelineEntryFactory(case=case, kind="contact", channel="phone")
    cm_client.post(url("interview", case), interview_post("complete"))
    assert TimelineEntry.objects.filter(case=case, kind="appointment").count() == 1
    form = cm_client.get(url("interpreters", case)).context["form"]
    assert [int(value) for value, _label in form.fields["timeline_entry"].choices] == [contact.pk]
