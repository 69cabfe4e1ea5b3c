"""A person full of canary values, a partner organisation and consents in every state.

Every personal field of the person holds a distinctive string (a *canary*) of one data
category, so a test can assert that no value of a category the partner was not granted appears
in any response.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from lotse.accounts.models import Role, User
from lotse.consent.models import Category, Consent
from lotse.directory.models import FieldOfAction, Organisation
from lotse.intake.models import Assessment
from lotse.people.models import Household, Person, ResidenceStatusRecord
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    ResidenceStatusTypeFactory,
    TimelineEntryFactory,
    TraegerFactory,
    UserFactory,
)

ALL = tuple(Category.values)
PURPOSE = "Abstimmung der Vermittlung in Arbeit und Sprachkurs mit dem Jobcenter"

#: category → values that may appear only when the category is granted ("a|b": two spellings of
#: one value; neither may appear without the grant, one of them must appear with it).
CANARIES: dict[str, tuple[str, ...]] = {
    # The date of birth: "13.07.1991" on pages, "1991-07-13" in the API (either is the value).
    Category.IDENTITY: ("Kanarienvorname", "Kanariennachname", "13.07.1991|1991-07-13"),
    Category.RESIDENCE_STATUS: ("CANARY-RESIDENCE-NOTE", "Kanarienort-Auflage", "Kanarien-Duldung"),
    Category.EDUCATION_WORK: (
        "CANARY-EDU-RESOURCES",
        "CANARY-EDU-SCHOOL",
        "CANARY-EDU-VOCATIONAL",
        "CANARY-EDU-EXPERIENCE",
        "CANARY-EDU-GOALS",
        "CANARY-EDU-NEEDS",
        "CANARY-EDU-TESTPROVIDER",
    ),
    Category.BENEFITS: ("CANARY-BENEFITS-NEEDS",),
    # The family section shows household roles (choice labels) and, for members, only what a
    # consent of the member grants: nothing distinctive of its own to look for.
    Category.FAMILY: (),
    Category.HEALTH: ("CANARY-HEALTH-NOTE", "CANARY-HEALTH-ASSESSMENT"),
    Category.YOUTH_WELFARE: ("CANARY-YOUTH-ASSESSMENT",),
}
#: Values no partner may ever see, whatever is granted.
NEVER = (
    "CANARY-UNMAPPED-FIELD",
    "CANARY-TIMELINE-TITLE",
    "CANARY-TIMELINE-TEXT",
    "CANARY-CASE-SUMMARY",
    "2026-424242",
    "Kanarienkind",
    "CANARY-HOUSEHOLD-LABEL",
)


@dataclass
class Shared:
    traeger: Any
    team: Organisation
    partner_org: Organisation
    other_org: Organisation
    person: Person
    case_manager: User
    partner: User
    other_partner: User  # a partner of another organisation of the same Träger
    b_partner: User  # a partner of another Träger
    fields: dict[str, FieldOfAction] = field(default_factory=dict)
    users: dict[str, User | None] = field(default_factory=dict)

    def consent(
        self,
        categories: tuple[str, ...] | list[str] = ALL,
        *,
        person: Person | None = None,
        recipients: list[Organisation] | None = None,
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        supersedes: Consent | None = None,
        traeger: Any = None,
    ) -> Consent:
        """A consent row as the consent services store it (written form, given earlier)."""
        today = timezone.localdate()
        person = person or self.person
        consent = Consent.objects.create(
            traeger=traeger or person.traeger,
            person=person,
            categories=list(categories),
            purpose=PURPOSE,
            form=Consent.Form.WRITTEN,
            valid_from=valid_from or today - dt.timedelta(days=30),
            valid_until=valid_until,
            text_version="EW-2026-1",
            document_id=f"EW-{uuid.uuid4().hex[:10].upper()}",
            number=(supersedes.number + 1) if supersedes else 1,
            supersedes=supersedes,
            recorded_by=self.case_manager,
            attested_on=valid_from or today - dt.timedelta(days=30),
        )
        consent.recipients.set(recipients if recipients is not None else [self.partner_org])
        return consent


def build_shared() -> Shared:
    traeger = TraegerFactory(slug="kreis-kanarien", name="Kreis Kanarien")
    team = OrganisationFactory(traeger=traeger, key="servicestelle", name="Servicestelle")
    partner_org = OrganisationFactory(
        traeger=traeger, key="jobcenter", name="Jobcenter Kanarien", kind="authority"
    )
    other_org = OrganisationFactory(traeger=traeger, key="beratung", name="Beratungsstelle")
    traeger_b = TraegerFactory(slug="kreis-beta", name="Kreis Beta")
    org_b = OrganisationFactory(traeger=traeger_b, key="jobcenter", name="Jobcenter Beta")

    def user(
        username: str, roles: list[str], organisation: Organisation, tr: Any = traeger
    ) -> User:
        return UserFactory(username=username, traeger=tr, organisation=organisation, roles=roles)

    case_manager = user("cm", [Role.CASE_MANAGEMENT], team)
    partner = user("partner", [Role.PARTNER], partner_org)
    other_partner = user("partner-other", [Role.PARTNER], other_org)
    b_partner = user("partner-b", [Role.PARTNER], org_b, traeger_b)
    users: dict[str, User | None] = {
        "anonymous": None,
        "partner": partner,
        "partner_other_organisation": other_partner,
        "partner_other_traeger": b_partner,
        "case_management_team": case_manager,
    }
    # Every other role *in the partner organisation*: only the partner role opens the pages.
    for role in Role:
        if role != Role.PARTNER:
            users[f"{role.value}_in_partner_org"] = user(f"p-{role.value}", [role], partner_org)
    users["no_role_in_partner_org"] = user("p-none", [], partner_org)

    household = Household.objects.create(traeger=traeger, label="CANARY-HOUSEHOLD-LABEL")
    person = PersonFactory(
        traeger=traeger,
        organisation=team,
        first_name="Kanarienvorname",
        last_name="Kanariennachname",
        date_of_birth=dt.date(1991, 7, 13),
        residence_obligation=True,
        residence_obligation_place="Kanarienort-Auflage",
        health_notes="CANARY-HEALTH-NOTE",
        household=household,
        household_role=Person.HouseholdRole.HEAD,
    )
    PersonFactory(
        traeger=traeger,
        organisation=team,
        first_name="Kanarienkind",
        last_name="Kanarienkind",
        household=household,
        household_role=Person.HouseholdRole.CHILD,
    )
    ResidenceStatusRecord.objects.create(
        traeger=traeger,
        person=person,
        status=ResidenceStatusTypeFactory(traeger=traeger, name="Kanarien-Duldung"),
        valid_from=dt.date(2025, 1, 1),
        note="CANARY-RESIDENCE-NOTE",
    )
    case = CaseFactory(
        traeger=traeger,
        organisation=team,
        person=person,
        case_manager=case_manager,
        reference="2026-424242",
        summary="CANARY-CASE-SUMMARY",
    )
    TimelineEntryFactory(case=case, title="CANARY-TIMELINE-TITLE", text="CANARY-TIMELINE-TEXT")
    fields = {
        key: FieldOfAction.objects.create(
            traeger=traeger, key=key, name=name, data_category=category, sort_order=index
        )
        for index, (key, name, category) in enumerate(
            [
                ("arbeit", "Arbeit", Category.EDUCATION_WORK),
                ("teilhabe", "Soziale Teilhabe", Category.BENEFITS),
                ("gesundheit", "Gesundheit", Category.HEALTH),
                ("jugendhilfe", "Jugendhilfe", Category.YOUTH_WELFARE),
                ("sonstiges", "Sonstiges", ""),
            ]
        )
    }
    Assessment.objects.create(
        traeger=traeger,
        case=case,
        field_of_action=fields["arbeit"],
        resources="CANARY-EDU-RESOURCES",
        school_qualifications="CANARY-EDU-SCHOOL",
        vocational_qualifications="CANARY-EDU-VOCATIONAL",
        work_experience="CANARY-EDU-EXPERIENCE",
        work_status="job_seeker",
        german_level="B1",
        german_test_provider="CANARY-EDU-TESTPROVIDER",
        goals="CANARY-EDU-GOALS",
        needs="CANARY-EDU-NEEDS",
    )
    Assessment.objects.create(
        traeger=traeger,
        case=case,
        field_of_action=fields["teilhabe"],
        needs="CANARY-BENEFITS-NEEDS",
    )
    Assessment.objects.create(
        traeger=traeger,
        case=case,
        field_of_action=fields["gesundheit"],
        needs="CANARY-HEALTH-ASSESSMENT",
    )
    Assessment.objects.create(
        traeger=traeger,
        case=case,
        field_of_action=fields["jugendhilfe"],
        goals="CANARY-YOUTH-ASSESSMENT",
    )
    Assessment.objects.create(
        traeger=traeger,
        case=case,
        field_of_action=fields["sonstiges"],
        goals="CANARY-UNMAPPED-FIELD",
    )
    return Shared(
        traeger=traeger,
        team=team,
        partner_org=partner_org,
        other_org=other_org,
        person=person,
        case_manager=case_manager,
        partner=partner,
        other_partner=other_partner,
        b_partner=b_partner,
        fields=fields,
        users=users,
    )


@pytest.fixture
def shared(db: None) -> Shared:
    return build_shared()
