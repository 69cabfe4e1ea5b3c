"""Indication, calling, mediation and preparation of case conferences (seed 002, 4.2.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conferences import services
from lotse.conferences.models import ConferenceState, ConferenceStep, Scope
from lotse.conferences.selectors import indication_prefill, moderator_choices
from lotse.consent.models import Transfer
from tests.factories import OrganisationFactory, UserFactory, grant_consent


def _indicate(case, actor, municipalities, **kw):
    kw.setdefault("authorities", [])
    kw.setdefault("topics", [])
    kw.setdefault("reason", "Umzug von Detmold nach Lemgo, mehrere Behörden beteiligt.")
    return services.indication_record(
        actor=actor, case=case, municipalities=municipalities, indicated=True, **kw
    )


def _called(case, actor, municipalities, initiator):
    _check, conference = _indicate(case, actor, municipalities)
    return services.conference_request(
        actor=actor,
        conference=conference,
        expected_version=conference.version,
        initiator=initiator,
        summary="Familie mit drei Kindern, Umzug in eine andere Kommune, Arbeitssuche.",
        shared_categories=["identity", "education_work"],
    )


def _in_three_weeks():
    return timezone.now() + dt.timedelta(days=21)


@pytest.mark.django_db
class TestIndication:
    def test_prefill_names_the_municipalities_and_authorities_the_case_works_with(
        self, assessed_case, detmold, lemgo, abh, topic
    ):
        grant_consent(assessed_case.person, abh)
        from lotse.cases.models import FieldProcess

        FieldProcess.objects.create(
            traeger=assessed_case.traeger, case=assessed_case, field_of_action=topic
        )
        criteria = indication_prefill(assessed_case)
        assert criteria.municipality_ids == sorted([detmold.pk, lemgo.pk])
        assert criteria.authority_ids == [abh.pk]
        assert criteria.topic_ids == [topic.pk]

    def test_across_two_municipalities_opens_a_conference(
        self, assessed_case, case_manager, detmold, lemgo
    ):
        check, conference = _indicate(assessed_case, case_manager, [detmold, lemgo])
        assert check.scope == Scope.CROSS_MUNICIPAL
        assert conference.state == ConferenceState.INDICATED
        assert conference.ical_uid.endswith("@lotse")

    def test_one_municipality_is_internal_cooperation_without_a_conference(
        self, assessed_case, case_manager, detmold
    ):
        check, conference = _indicate(assessed_case, case_manager, [detmold])
        assert check.scope == Scope.INTERNAL
        assert conference is None

    def test_never_as_fire_brigade_before_the_assessment(self, case, case_manager, detmold, lemgo):
        with pytest.raises(ValidationError) as error:
            _indicate(case, case_manager, [detmold, lemgo])
        assert "indicated" in error.value.message_dict

    def test_the_reason_is_required(self, assessed_case, case_manager, detmold, lemgo):
        with pytest.raises(ValidationError) as error:
            _indicate(assessed_case, case_manager, [detmold, lemgo], reason=" ")
        assert "reason" in error.value.message_dict

    def test_outside_the_case_team_is_refused(self, assessed_case, traeger, detmold, lemgo):
        stranger = UserFactory(traeger=traeger, roles=[Role.CASE_MANAGEMENT])
        with pytest.raises(PermissionDenied):
            _indicate(assessed_case, stranger, [detmold, lemgo])


@pytest.mark.django_db
class TestCalling:
    def test_an_entitled_body_calls_it_at_once(
        self, assessed_case, case_manager, detmold, lemgo, jobcenter, conference_settings
    ):
        conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
        assert conference.state == ConferenceState.AGREED
        assert conference.agreed_by == jobcenter
        kinds = list(conference.steps.values_list("kind", flat=True))
        assert kinds == ["indicated", "requested", "agreed"]

    def test_a_provider_requests_and_needs_an_entitled_body(
        self,
        assessed_case,
        case_manager,
        detmold,
        lemgo,
        provider,
        jobcenter,
        conference_settings,
    ):
        conference = _called(assessed_case, case_manager, [detmold, lemgo], provider)
        assert conference.state == ConferenceState.REQUESTED
        with pytest.raises(ValidationError):
            services.conference_agree(
                actor=case_manager,
                conference=conference,
                expected_version=conference.version,
                organisation=provider,
                agreed=True,
            )
        services.conference_agree(
            actor=case_manager,
            conference=conference,
            expected_version=conference.version,
            organisation=jobcenter,
            agreed=True,
        )
        assert conference.state == ConferenceState.AGREED

    def test_disagreement_goes_to_the_servicestelle_which_mediates(
        self,
        assessed_case,
        case_manager,
        coordinator,
        detmold,
        lemgo,
        provider,
        jobcenter,
        conference_settings,
    ):
        conference = _called(assessed_case, case_manager, [detmold, lemgo], provider)
        services.conference_agree(
            actor=case_manager,
            conference=conference,
            expected_version=conference.version,
            organisation=jobcenter,
            agreed=False,
            note="Aus Sicht des Jobcenters genügt ein Gespräch.",
        )
        assert conference.state == ConferenceState.MEDIATION
        with pytest.raises(PermissionDenied):
            services.conference_mediate(
                actor=case_manager,
                conference=conference,
                expected_version=conference.version,
                held=True,
                outcome="x",
            )
        services.conference_mediate(
            actor=coordinator,
            conference=conference,
            expected_version=conference.version,
            held=True,
            outcome="Nach Rücksprache mit beiden Stellen findet die Konferenz statt.",
        )
        assert conference.state == ConferenceState.AGREED
        step = conference.steps.get(kind=ConferenceStep.Kind.MEDIATED)
        assert step.note.startswith("Nach Rücksprache")

    def test_the_summary_must_not_name_the_person(
        self, assessed_case, case_manager, detmold, lemgo, jobcenter, conference_settings
    ):
        _check, conference = _indicate(assessed_case, case_manager, [detmold, lemgo])
        with pytest.raises(ValidationError) as error:
            services.conference_request(
                actor=case_manager,
                conference=conference,
                expected_version=conference.version,
                initiator=jobcenter,
                summary=f"Frau {assessed_case.person.last_name} sucht Arbeit.",
                shared_categories=["identity"],
            )
        assert assessed_case.person.last_name in error.value.message_dict["summary"][0]


@pytest.mark.django_db
class TestPreparation:
    @pytest.fixture
    def agreed(self, assessed_case, case_manager, detmold, lemgo, jobcenter, conference_settings):
        return _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)

    def _schedule(self, conference, coordinator, **kw):
        kw.setdefault("starts_at", _in_three_weeks())
        kw.setdefault("moderator", coordinator)
        return services.conference_schedule(
            actor=coordinator,
            conference=conference,
            expected_version=conference.version,
            duration_minutes=90,
            location="Kreishaus Detmold, Raum 2.14",
            video_link="",
            **kw,
        )

    def test_three_weeks_ahead_with_a_neutral_moderator(self, agreed, coordinator):
        self._schedule(agreed, coordinator)
        assert agreed.state == ConferenceState.SCHEDULED
        assert agreed.ical_sequence == 0

    def test_a_date_outside_two_to_four_weeks_needs_a_reason(self, agreed, coordinator):
        soon = timezone.now() + dt.timedelta(days=5)
        with pytest.raises(ValidationError) as error:
            self._schedule(agreed, coordinator, starts_at=soon)
        assert "2 to 4 weeks" in error.value.message_dict["override_reason"][0] or (
            "2 bis 4 Wochen" in error.value.message_dict["override_reason"][0]
        )
        self._schedule(agreed, coordinator, starts_at=soon, override_reason="Abschiebung droht")
        assert agreed.date_override_reason == "Abschiebung droht"

    def test_a_change_counts_up_the_sequence(self, agreed, coordinator):
        self._schedule(agreed, coordinator)
        self._schedule(agreed, coordinator, starts_at=_in_three_weeks() + dt.timedelta(days=1))
        assert agreed.ical_sequence == 1
        assert agreed.steps.filter(kind=ConferenceStep.Kind.RESCHEDULED).count() == 1

    def test_a_moderator_from_an_involved_organisation_is_refused(
        self, agreed, coordinator, traeger, jobcenter
    ):
        biased = UserFactory(traeger=traeger, organisation=jobcenter, roles=[Role.COORDINATION])
        assert biased not in moderator_choices(agreed)
        assert coordinator in moderator_choices(agreed)
        with pytest.raises(ValidationError) as error:
            self._schedule(agreed, coordinator, moderator=biased)
        assert "neutral" in error.value.message_dict["moderator"][0]

    def test_the_gate_decides_per_participant_organisation(
        self, agreed, coordinator, jobcenter, abh
    ):
        grant_consent(
            agreed.case.person,
            jobcenter,
            categories=("identity", "education_work"),
            purposes=("fallkonferenz",),
        )
        with_basis = services.participant_add(
            actor=coordinator,
            conference=agreed,
            organisation=jobcenter,
            name="Kerstin Meier",
            email="k.meier@jobcenter.example",
            role_in_case="Arbeitsvermittlung",
        )
        without = services.participant_add(
            actor=coordinator,
            conference=agreed,
            organisation=abh,
            name="Elena Petrović",
            email="e.petrovic@abh.example",
            role_in_case="Aufenthaltsrecht",
        )
        assert with_basis.sees_case_data is True
        assert without.sees_case_data is False
        assert "Ausländerbehörde" in without.gate_reasons[0]
        services.share_with_participant(actor=coordinator, participant=with_basis)
        transfer = Transfer.objects.get(recipient=jobcenter)
        assert transfer.flow == "conference"
        assert transfer.purpose_key == "fallkonferenz"
        assert not Transfer.objects.filter(recipient=abh).exists()

    def test_a_participant_from_the_moderators_organisation_is_refused(
        self, agreed, coordinator, servicestelle
    ):
        self._schedule(agreed, coordinator)
        with pytest.raises(ValidationError) as error:
            services.participant_add(
                actor=coordinator,
                conference=agreed,
                organisation=servicestelle,
                name="Jana Hoffmann",
                email="j.hoffmann@example.org",
                role_in_case="Servicestelle",
            )
        assert "organisation" in error.value.message_dict


@pytest.mark.django_db
class TestOptimisationNeeds:
    def test_a_need_naming_the_person_is_refused(
        self,
        assessed_case,
        case_manager,
        coordinator,
        detmold,
        lemgo,
        jobcenter,
        topic,
        conference_settings,
    ):
        conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
        with pytest.raises(ValidationError) as error:
            services.optimisation_need_add(
                actor=coordinator,
                field_of_action=topic,
                category="sprachbarrieren",
                description=f"{assessed_case.person.first_name} fand keinen Sprachkurs.",
                organisations=[jobcenter],
                conference=conference,
            )
        assert "description" in error.value.message_dict
        need = services.optimisation_need_add(
            actor=coordinator,
            field_of_action=topic,
            category="sprachbarrieren",
            description="Keine Sprachkurse mit Kinderbetreuung im Nordkreis.",
            organisations=[jobcenter, OrganisationFactory(traeger=assessed_case.traeger)],
            conference=conference,
        )
        assert need.organisations.count() == 2

    def test_the_category_comes_from_the_configuration(
        self, coordinator, topic, conference_settings
    ):
        with pytest.raises(ValidationError) as error:
            services.optimisation_need_add(
                actor=coordinator,
                field_of_action=topic,
                category="erfunden",
                description="Fehlende Kitaplätze.",
                organisations=[],
            )
        assert "category" in error.value.message_dict


@pytest.mark.django_db
class TestRun:
    @pytest.fixture
    def scheduled(
        self,
        assessed_case,
        case_manager,
        coordinator,
        detmold,
        lemgo,
        jobcenter,
        conference_settings,
    ):
        conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
        services.conference_schedule(
            actor=coordinator,
            conference=conference,
            expected_version=conference.version,
            starts_at=_in_three_weeks(),
            duration_minutes=90,
            location="Raum 1",
            video_link="",
            moderator=coordinator,
        )
        services.participant_add(
            actor=coordinator,
            conference=conference,
            organisation=jobcenter,
            name="Kerstin Meier",
            email="k.meier@jobcenter.example",
            role_in_case="Vermittlung",
        )
        return conference

    def test_the_agenda_comes_from_the_template_and_warns_above_90_minutes(self, scheduled):
        items = list(scheduled.agenda.order_by("position"))
        assert [i.key for i in items][0] == "begruessung"
        assert sum(i.planned_minutes for i in items) == 60
        assert services.agenda_warning(scheduled, 60) is None
        assert "90" in services.agenda_warning(scheduled, 105)

    def test_minutes_are_encrypted_and_held_needs_confidentiality(
        self, scheduled, coordinator, case_manager
    ):
        from django.db import connection

        item = scheduled.agenda.get(key="fall")
        person = scheduled.participants.get()
        services.conference_record(
            actor=coordinator,
            conference=scheduled,
            minutes={item.pk: "Wohnung fehlt."},
            planned={},
            attended={person.pk},
            confidentiality=set(),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT minutes FROM conferences_agendaitem WHERE id = %s", [item.pk])
            stored = cursor.fetchone()[0]
        assert "Wohnung" not in stored
        with pytest.raises(ValidationError) as error:
            services.conference_conclude(
                actor=coordinator, conference=scheduled, expected_version=scheduled.version
            )
        assert "Kerstin Meier" in error.value.messages[0]
        services.conference_record(
            actor=coordinator,
            conference=scheduled,
            minutes={},
            planned={},
            attended={person.pk},
            confidentiality={person.pk},
        )
        services.conference_conclude(
            actor=coordinator, conference=scheduled, expected_version=scheduled.version
        )
        assert scheduled.state == ConferenceState.HELD
        services.conference_follow_up(
            actor=case_manager,
            conference=scheduled,
            expected_version=scheduled.version,
            occurred_at=timezone.now(),
            channel="in_person",
            text="Ergebnisse mit Sprachmittlung erklärt.",
        )
        assert scheduled.state == ConferenceState.FOLLOWED_UP
        entry = scheduled.case.timeline.get()
        assert entry.title.startswith(("Follow-up", "Nachgespräch"))
        assert entry.text == "Ergebnisse mit Sprachmittlung erklärt."


@pytest.mark.django_db
class TestBindingAgreements:
    def test_agreements_become_tasks_on_the_right_worklists_and_are_carried_on(
        self,
        assessed_case,
        case_manager,
        coordinator,
        traeger,
        detmold,
        lemgo,
        jobcenter,
        abh,
        conference_settings,
    ):
        from lotse.assignments.selectors import partner_tasks
        from lotse.conferences.selectors import open_agreements_carried
        from lotse.consent.gate import TransferRefused

        conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
        services.conference_schedule(
            actor=coordinator,
            conference=conference,
            expected_version=conference.version,
            starts_at=_in_three_weeks(),
            duration_minutes=90,
            location="Raum 1",
            video_link="",
            moderator=coordinator,
        )
        grant_consent(
            assessed_case.person,
            jobcenter,
            categories=("identity", "education_work"),
            purposes=("fallkonferenz",),
        )
        due = timezone.localdate() + dt.timedelta(days=14)
        to_jobcenter = services.agreement_record(
            actor=coordinator,
            conference=conference,
            title="Vermittlungsvorschlag schicken",
            due_on=due,
            owner_organisation=jobcenter,
        )
        to_case_manager = services.agreement_record(
            actor=coordinator,
            conference=conference,
            title="Wohnungsamt Lemgo anschreiben",
            due_on=due,
            owner_user=case_manager,
        )
        with pytest.raises(TransferRefused):
            services.agreement_record(
                actor=coordinator,
                conference=conference,
                title="Aufenthalt prüfen",
                due_on=due,
                owner_organisation=abh,
            )
        assert to_jobcenter.task.owner_organisation == jobcenter
        assert to_case_manager.task.owner_user == case_manager
        partner = UserFactory(traeger=traeger, organisation=jobcenter, roles=[Role.PARTNER])
        assert list(partner_tasks(partner)) == [to_jobcenter.task]

        _check, follow_on = _indicate(assessed_case, case_manager, [detmold, lemgo])
        assert {a.pk for a in open_agreements_carried(follow_on)} == {
            to_jobcenter.pk,
            to_case_manager.pk,
        }
