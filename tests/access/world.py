"""Two Träger with data, and one user per actor of the permission matrix.

Everything of Träger A carries a *marker* name; a user of Träger B must never see one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from lotse.accounts.models import Role, User
from lotse.cases.models import (
    Case,
    FieldProcess,
    PhaseTransition,
    TimelineEntry,
)
from lotse.consent.models import Purpose
from lotse.directory.models import Organisation, Programme
from lotse.people.models import Household, Person, PersonNameVariant, ResidenceStatusRecord
from tests.factories import (
    CaseFactory,
    FieldOfActionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    ResidenceStatusTypeFactory,
    TargetGroupFactory,
    TimelineEntryFactory,
    TraegerFactory,
    UserFactory,
)

#: Names that exist only in Träger A.
A_MARKERS = (
    "Zebrowski",
    "Quirina",
    "Zebrovskij",
    "2026-777777",
    "Geheimtermin Alpha",
    "Alpha-Anliegen",
    "Amt Alpha",
    "Alphastadt",
    "Programm Alpha",
    "Alphauser",
)

#: Columns of the permission matrix, in this order.
ACTORS = (
    "anonymous",
    *(role.value for role in Role),
    "no_role",
    "other_traeger",
    "other_organisation",
)


@dataclass
class World:
    traeger_a: Any
    org_a: Organisation
    traeger_b: Any
    org_b: Organisation
    person: Person
    case: Case
    entry: TimelineEntry
    municipality: Any
    programme: Any
    status_type: Any
    field_of_action: Any
    case_manager: User
    users: dict[str, User | None] = field(default_factory=dict)
    b_users: dict[str, User] = field(default_factory=dict)


def build_world() -> World:
    traeger_a = TraegerFactory(slug="traeger-a", name="Kreis Alpha")
    traeger_b = TraegerFactory(slug="traeger-b", name="Kreis Beta")
    org_a = OrganisationFactory(traeger=traeger_a, key="amt-alpha", name="Amt Alpha")
    org_a2 = OrganisationFactory(traeger=traeger_a, key="verein-alpha", name="Verein Alpha")
    org_b = OrganisationFactory(traeger=traeger_b, key="amt-beta", name="Amt Beta")

    def a_user(username: str, roles: list[str], organisation: Organisation = org_a) -> User:
        return UserFactory(
            username=username,
            last_name="Alphauser",
            traeger=traeger_a,
            organisation=organisation,
            roles=roles,
        )

    users: dict[str, User | None] = {"anonymous": None}
    for role in Role:
        users[role.value] = a_user(f"a-{role.value}", [role])
    users["no_role"] = a_user("a-no-role", [])
    users["other_organisation"] = a_user("a2-case-management", [Role.CASE_MANAGEMENT], org_a2)
    b_users = {
        role.value: UserFactory(
            username=f"b-{role.value}",
            last_name="Betauser",
            traeger=traeger_b,
            organisation=org_b,
            roles=[role],
        )
        for role in Role
    }
    users["other_traeger"] = b_users[Role.CASE_MANAGEMENT]

    municipality = MunicipalityFactory(traeger=traeger_a, name="Alphastadt")
    programme = ProgrammeFactory(traeger=traeger_a, name="Programm Alpha")
    # Träger A configures the modules of the programmes app (Teilhabemanagement and the
    # referral to the Ausländerbehörde); without them their pages are 404 (programmes.modules).
    ProgrammeFactory(
        traeger=traeger_a,
        key="teilhabe-alpha",
        name="Teilhabe Alpha",
        kind=Programme.Kind.PARTICIPATION_MANAGEMENT,
    )
    OrganisationFactory(
        traeger=traeger_a,
        key="abh-welt-alpha",
        name="Ausländerbehörde Alpha",
        kind=Organisation.Kind.IMMIGRATION_OFFICE,
    )
    Purpose.objects.get_or_create(
        traeger=traeger_a,
        key="weiterleitung-abh-bleiberecht",
        defaults={"name": "Weiterleitung an die Ausländerbehörde"},
    )
    status_type = ResidenceStatusTypeFactory(traeger=traeger_a, name="Status Alpha")
    field_of_action = FieldOfActionFactory(traeger=traeger_a, name="Feld Alpha")
    TargetGroupFactory(traeger=traeger_a, name="Zielgruppe Alpha")
    case_manager = users[Role.CASE_MANAGEMENT]
    assert case_manager is not None
    person = PersonFactory(
        traeger=traeger_a,
        organisation=org_a,
        last_name="Zebrowski",
        first_name="Quirina",
        municipality=municipality,
    )
    PersonNameVariant.objects.create(
        traeger=traeger_a, person=person, last_name="Zebrovskij", search_name="zebrovskij"
    )
    case = CaseFactory(
        traeger=traeger_a,
        organisation=org_a,
        person=person,
        programme=programme,
        case_manager=case_manager,
        reference="2026-777777",
        summary="Alpha-Anliegen",
        participation_offered_on=dt.date(2026, 10, 1),
        participation_agreed_on=dt.date(2026, 10, 8),
    )
    entry = TimelineEntryFactory(
        case=case,
        title="Geheimtermin Alpha",
        author=case_manager,
        attachment=ContentFile(b"%PDF-1.4 Alpha", name="alpha.pdf"),
        attachment_name="alpha.pdf",
    )

    # Träger B has data of its own, so its lists are not trivially empty.
    b_person = PersonFactory(traeger=traeger_b, organisation=org_b, last_name="Betamann")
    b_case = CaseFactory(
        traeger=traeger_b,
        organisation=org_b,
        person=b_person,
        case_manager=b_users["case_management"],
    )
    TimelineEntryFactory(case=b_case, title="Termin Beta")

    return World(
        traeger_a=traeger_a,
        org_a=org_a,
        traeger_b=traeger_b,
        org_b=org_b,
        person=person,
        case=case,
        entry=entry,
        municipality=municipality,
        programme=programme,
        status_type=status_type,
        field_of_action=field_of_action,
        case_manager=case_manager,
        users=users,
        b_users=b_users,
    )


def snapshot_of(traeger: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of personal data of ``traeger`` with the columns a write would change."""
    scoped = {"traeger": traeger}
    return {
        "persons": list(
            Person.objects.filter(**scoped)
            .order_by("id")
            .values_list(
                "id",
                "version",
                "last_name",
                "first_name",
                "date_of_birth",
                "nationalities",
                "municipality_id",
                "household_id",
                "household_role",
                "organisation_id",
            )
        ),
        "households": list(Household.objects.filter(**scoped).order_by("id").values_list("id")),
        "name_variants": list(
            PersonNameVariant.objects.filter(**scoped).order_by("id").values_list("id", "last_name")
        ),
        "statuses": list(
            ResidenceStatusRecord.objects.filter(**scoped)
            .order_by("id")
            .values_list("id", "valid_from")
        ),
        "cases": list(
            Case.objects.filter(**scoped)
            .order_by("id")
            .values_list(
                "id",
                "version",
                "phase",
                "summary",
                "case_manager_id",
                "programme_id",
                "opened_on",
            )
        ),
        "transitions": list(
            PhaseTransition.objects.filter(**scoped).order_by("id").values_list("id")
        ),
        "field_processes": list(
            FieldProcess.objects.filter(**scoped).order_by("id").values_list("id", "stage")
        ),
        "timeline": list(
            TimelineEntry.objects.filter(**scoped).order_by("id").values_list("id", "title")
        ),
    }
