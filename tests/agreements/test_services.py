"""SMART validation, versioning, locking, closed cases and audit of the agreement services."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.accounts.models import Role
from lotse.agreements import services
from lotse.agreements.models import Agreement, AgreementGoal
from lotse.agreements.services import validate_goals
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from lotse.core.locking import EditConflict
from tests.factories import FieldOfActionFactory, OrganisationFactory, UserFactory


def error_keys(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


class TestSmartValidation:
    def test_complete_goals_pass(self, goals, traeger, today):
        assert validate_goals(goals, traeger_id=traeger.pk, reference_date=today) == {}

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"what": ""}, "what"),
            ({"what": "Arbeit"}, "what"),  # too vague to be specific
            ({"indicator": "  "}, "indicator"),
            ({"responsible": ""}, "responsible"),
            ({"responsible": "somebody"}, "responsible"),
            ({"due_on": None}, "due_on"),
            ({"field_of_action": None}, "field_of_action"),
        ],
    )
    def test_each_smart_part_is_required(self, goals, traeger, today, change, field):
        broken = [goals[0], dataclasses.replace(goals[1], **change)]

        errors = validate_goals(broken, traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {f"goals.1.{field}"}

    @pytest.mark.parametrize("days", [0, -1, -400])
    def test_due_date_must_lie_after_the_agreement_date(self, goals, traeger, today, days):
        goal = dataclasses.replace(goals[0], due_on=today + dt.timedelta(days=days), review_on=None)

        errors = validate_goals([goal], traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {"goals.0.due_on"}

    def test_due_date_counts_from_the_given_agreement_date(self, goals, traeger, today):
        goal = dataclasses.replace(goals[0], due_on=today + dt.timedelta(days=5), review_on=None)
        later = today + dt.timedelta(days=10)

        assert validate_goals([goal], traeger_id=traeger.pk, reference_date=today) == {}
        assert set(validate_goals([goal], traeger_id=traeger.pk, reference_date=later)) == {
            "goals.0.due_on"
        }

    def test_goal_more_than_three_years_ahead_is_not_realistic(self, goals, traeger, today):
        goal = dataclasses.replace(goals[0], due_on=today + dt.timedelta(days=4 * 365))

        errors = validate_goals([goal], traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {"goals.0.due_on"}

    def test_organisation_responsibility_needs_the_organisation(self, goals, traeger, today):
        goal = dataclasses.replace(goals[1], responsible_organisation=None)

        errors = validate_goals([goal], traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {"goals.0.responsible_organisation"}

    def test_organisation_only_when_an_organisation_is_responsible(
        self, goals, traeger, today, jobcenter
    ):
        goal = dataclasses.replace(goals[0], responsible_organisation=jobcenter)

        errors = validate_goals([goal], traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {"goals.0.responsible_organisation"}

    def test_review_must_lie_between_agreement_and_due_date(self, goals, traeger, today):
        late = dataclasses.replace(goals[0], review_on=goals[0].due_on + dt.timedelta(days=1))
        early = dataclasses.replace(goals[0], review_on=today)

        errors = validate_goals([late, early], traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {"goals.0.review_on", "goals.1.review_on"}

    def test_configuration_of_another_traeger_is_refused(self, goals, traeger, today):
        foreign_field = FieldOfActionFactory()
        foreign_org = OrganisationFactory()
        broken = [
            dataclasses.replace(goals[0], field_of_action=foreign_field),
            dataclasses.replace(goals[1], responsible_organisation=foreign_org),
        ]

        errors = validate_goals(broken, traeger_id=traeger.pk, reference_date=today)

        assert set(errors) == {"goals.0.field_of_action", "goals.1.responsible_organisation"}

    def test_service_refuses_an_invalid_draft_and_stores_nothing(
        self, agreeable_case, case_manager, goals
    ):
        draft = services.agreement_start(actor=case_manager, case=agreeable_case)
        broken = [dataclasses.replace(goals[0], indicator="")]

        with pytest.raises(ValidationError) as excinfo:
            services.agreement_update_draft(
                actor=case_manager, agreement=draft, expected_version=draft.version, goals=broken
            )

        assert error_keys(excinfo) == {"goals.0.indicator"}
        draft.refresh_from_db()
        assert draft.version == 1
        assert not AgreementGoal.objects.filter(agreement=draft).exists()


class TestVersioning:
    def test_draft_saves_goals_in_order(self, draft, goals):
        stored = list(draft.goals.order_by("position"))

        assert [g.what for g in stored] == [g.what for g in goals]
        assert stored[1].responsible_organisation == goals[1].responsible_organisation
        assert draft.version == 2
        assert draft.status == Agreement.Status.DRAFT

    def test_agreeing_freezes_the_version(self, agreed, case_manager, goals, today):
        assert agreed.status == Agreement.Status.AGREED
        assert agreed.agreed_on == today
        assert agreed.signed_by_client is True
        assert agreed.agreed_by == case_manager

        with pytest.raises(ValidationError):
            services.agreement_update_draft(
                actor=case_manager,
                agreement=agreed,
                expected_version=agreed.version,
                goals=goals[:1],
            )
        with pytest.raises(ValidationError):
            services.agreement_agree(
                actor=case_manager, agreement=agreed, expected_version=agreed.version
            )
        assert agreed.goals.count() == 2

    def test_changing_an_agreed_agreement_creates_version_two(
        self, agreed, case_manager, goals, today
    ):
        draft = services.agreement_start(actor=case_manager, case=agreed.case)

        assert draft.number == 2
        assert [g.what for g in draft.goals.order_by("position")] == [g.what for g in goals]
        assert draft.language == agreed.language

        changed = [dataclasses.replace(goals[0], what="Deutschkenntnisse auf Niveau B1 erreichen")]
        services.agreement_update_draft(
            actor=case_manager,
            agreement=draft,
            expected_version=draft.version,
            goals=changed,
            language="ti",
        )
        services.agreement_agree(
            actor=case_manager, agreement=draft, expected_version=draft.version, agreed_on=today
        )

        old = Agreement.objects.get(case=agreed.case, number=1)
        new = Agreement.objects.get(case=agreed.case, number=2)
        assert old.status == Agreement.Status.SUPERSEDED
        assert old.superseded_on == today
        assert [g.what for g in old.goals.order_by("position")] == [g.what for g in goals]
        assert new.status == Agreement.Status.AGREED
        assert [g.what for g in new.goals.all()] == ["Deutschkenntnisse auf Niveau B1 erreichen"]

    def test_only_one_draft_at_a_time(self, draft, case_manager):
        with pytest.raises(ValidationError):
            services.agreement_start(actor=case_manager, case=draft.case)
        assert Agreement.objects.filter(case=draft.case).count() == 1

    def test_agreeing_needs_a_goal(self, agreeable_case, case_manager):
        draft = services.agreement_start(actor=case_manager, case=agreeable_case)

        with pytest.raises(ValidationError) as excinfo:
            services.agreement_agree(
                actor=case_manager, agreement=draft, expected_version=draft.version
            )

        assert "goals" in error_keys(excinfo)

    def test_agreeing_needs_the_clients_participation(self, draft, case_manager):
        case = draft.case
        case.participation_agreed_on = None
        case.save()

        with pytest.raises(ValidationError) as excinfo:
            services.agreement_agree(
                actor=case_manager, agreement=draft, expected_version=draft.version
            )

        assert "agreed_on" in error_keys(excinfo)

    def test_agreed_on_cannot_lie_in_the_future(self, draft, case_manager, today):
        with pytest.raises(ValidationError) as excinfo:
            services.agreement_agree(
                actor=case_manager,
                agreement=draft,
                expected_version=draft.version,
                agreed_on=today + dt.timedelta(days=1),
            )
        assert "agreed_on" in error_keys(excinfo)
        draft.refresh_from_db()
        assert draft.status == Agreement.Status.DRAFT

    def test_discarding_a_draft_keeps_the_agreed_version(self, agreed, case_manager):
        draft = services.agreement_start(actor=case_manager, case=agreed.case)

        services.agreement_discard_draft(
            actor=case_manager, agreement=draft, expected_version=draft.version
        )

        assert list(Agreement.objects.filter(case=agreed.case).values_list("number", "status")) == [
            (1, Agreement.Status.AGREED)
        ]


class TestLocking:
    def test_stale_draft_save_is_a_conflict_and_changes_nothing(self, draft, case_manager, goals):
        stale = draft.version - 1

        with pytest.raises(EditConflict):
            services.agreement_update_draft(
                actor=case_manager, agreement=draft, expected_version=stale, goals=goals[:1]
            )

        assert AgreementGoal.objects.filter(agreement=draft).count() == 2

    def test_stale_agree_is_a_conflict_and_supersedes_nothing(self, agreed, case_manager, today):
        draft = services.agreement_start(actor=case_manager, case=agreed.case)

        with pytest.raises(EditConflict):
            services.agreement_agree(
                actor=case_manager, agreement=draft, expected_version=draft.version + 5
            )

        statuses = dict(Agreement.objects.filter(case=agreed.case).values_list("number", "status"))
        assert statuses == {1: Agreement.Status.AGREED, 2: Agreement.Status.DRAFT}


class TestClosedCaseAndPermissions:
    def test_closed_case_is_read_only(self, draft, case_manager, goals):
        case = draft.case
        case.phase = Phase.CLOSED
        case.save()

        with pytest.raises(ValidationError):
            services.agreement_update_draft(
                actor=case_manager, agreement=draft, expected_version=draft.version, goals=goals
            )
        with pytest.raises(ValidationError):
            services.agreement_agree(
                actor=case_manager, agreement=draft, expected_version=draft.version
            )
        with pytest.raises(ValidationError):
            services.agreement_discard_draft(
                actor=case_manager, agreement=draft, expected_version=draft.version
            )
        draft.refresh_from_db()
        assert draft.status == Agreement.Status.DRAFT

    def test_closed_case_gets_no_new_version(self, agreed, case_manager):
        case = agreed.case
        case.phase = Phase.CLOSED
        case.save()

        with pytest.raises(ValidationError):
            services.agreement_start(actor=case_manager, case=case)

    def test_roles_without_case_work_are_refused(self, agreeable_case, traeger, organisation):
        coordinator = UserFactory(
            traeger=traeger, organisation=organisation, roles=[Role.COORDINATION]
        )
        with pytest.raises(PermissionDenied):
            services.agreement_start(actor=coordinator, case=agreeable_case)


class TestAudit:
    def test_each_write_leaves_an_entry_without_the_texts(self, agreed):
        entries = list(
            AuditEntry.objects.filter(object_type="agreement")
            .order_by("id")
            .values_list("action", "detail", "person_id")
        )

        assert [e[0] for e in entries] == ["create", "update", "update"]
        assert all(e[2] == agreed.case.person_id for e in entries)
        assert entries[-1][1].endswith("agreed")
        assert not any("Deutschkenntnisse" in e[1] for e in entries)
