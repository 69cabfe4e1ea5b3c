"""A small Teilhabemanagement region: Lemgo (Kreis Lippe provider), Detmold (Netzwerk Lippe),
Barntrup (opted out); statuses Duldung, Gestattung (eligible) and an Aufenthaltserlaubnis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.directory.models import Organisation, Programme, ProgrammeModule, ProgrammeProvider
from lotse.people.models import Person, ResidenceStatusRecord
from lotse.programmes.models import ModuleBudget
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    ResidenceStatusTypeFactory,
    UserFactory,
    purpose,
)

INTAKE = dt.date(2026, 10, 1)


@dataclass
class Region:
    traeger: Any
    kreis: Organisation
    netzwerk: Organisation
    abh: Organisation
    programme: Programme
    lemgo: Any
    detmold: Any
    barntrup: Any
    duldung: Any
    gestattung: Any
    aufenthaltserlaubnis: Any
    modules: dict[int, ProgrammeModule]
    coach: Any
    team_lead: Any
    netzwerk_coach: Any

    def person(
        self,
        *,
        born: dt.date | None = dt.date(2000, 3, 1),
        municipality: Any = None,
        status: Any = "duldung",
        **kw: Any,
    ) -> Person:
        person = PersonFactory(
            traeger=self.traeger,
            organisation=self.kreis,
            date_of_birth=born,
            municipality=municipality or self.lemgo,
            **kw,
        )
        if status:
            ResidenceStatusRecord.objects.create(
                traeger=self.traeger,
                person=person,
                status=getattr(self, status),
                valid_from=dt.date(2024, 1, 1),
            )
        return person

    def case(self, person: Person | None = None, **kw: Any) -> Case:
        person = person or self.person()
        defaults = {"case_manager": self.coach, "opened_on": INTAKE}
        defaults.update(kw)
        return CaseFactory(
            traeger=self.traeger,
            organisation=self.kreis,
            person=person,
            programme=self.programme,
            **defaults,
        )


@pytest.fixture
def region(db) -> Region:
    from tests.factories import TraegerFactory

    traeger = TraegerFactory(slug="kreis-lippe-test", name="Kreis Lippe (Test)")
    kreis = OrganisationFactory(
        traeger=traeger, key="servicestelle", name="Kreis Lippe Servicestelle"
    )
    netzwerk = OrganisationFactory(
        traeger=traeger, key="netzwerk-lippe", name="Netzwerk Lippe gGmbH"
    )
    abh = OrganisationFactory(
        traeger=traeger,
        key="abh",
        name="ABH Kreis Lippe",
        kind=Organisation.Kind.IMMIGRATION_OFFICE,
    )
    # The purpose makes the referral to the ABH a configured module (programmes.modules).
    purpose(traeger, "weiterleitung-abh-bleiberecht", "Weiterleitung an die ABH (Bleiberecht)")
    duldung = ResidenceStatusTypeFactory(traeger=traeger, key="duldung", name="Duldung")
    gestattung = ResidenceStatusTypeFactory(
        traeger=traeger, key="gestattung", name="Aufenthaltsgestattung"
    )
    ae = ResidenceStatusTypeFactory(traeger=traeger, key="ae", name="Aufenthaltserlaubnis")
    programme = ProgrammeFactory(
        traeger=traeger,
        key="durchstarten",
        name="Durchstarten in Ausbildung und Arbeit",
        kind=Programme.Kind.PARTICIPATION_MANAGEMENT,
        min_age=18,
        max_age=27,
        coverage_note="Barntrup möchte nicht berücksichtigt werden.",
    )
    programme.eligible_statuses.set([duldung, gestattung])
    lemgo = MunicipalityFactory(traeger=traeger, key="lemgo", name="Lemgo")
    detmold = MunicipalityFactory(traeger=traeger, key="detmold", name="Detmold")
    barntrup = MunicipalityFactory(traeger=traeger, key="barntrup", name="Barntrup")
    ProgrammeProvider.objects.create(
        traeger=traeger, programme=programme, municipality=lemgo, organisation=kreis
    )
    ProgrammeProvider.objects.create(
        traeger=traeger, programme=programme, municipality=detmold, organisation=netzwerk
    )
    modules = {
        n: ProgrammeModule.objects.create(
            traeger=traeger,
            programme=programme,
            key=f"baustein-{n}",
            number=n,
            name=f"Baustein {n}",
            participants_per_coach=20 if n == 1 else None,
        )
        for n in (1, 2, 3, 4)
    }
    for module in modules.values():
        ModuleBudget.objects.create(traeger=traeger, module=module, year=2026, amount_cents=100_000)
    coach = UserFactory(
        username="coach", traeger=traeger, organisation=kreis, roles=[Role.CASE_MANAGEMENT]
    )
    team_lead = UserFactory(
        username="lead", traeger=traeger, organisation=kreis, roles=[Role.TEAM_LEAD]
    )
    netzwerk_coach = UserFactory(
        username="nw", traeger=traeger, organisation=netzwerk, roles=[Role.CASE_MANAGEMENT]
    )
    CaseManagementPostFactory(
        traeger=traeger, programme=programme, organisation=kreis, holder=coach, name="TM Kreis"
    )
    return Region(
        traeger=traeger,
        kreis=kreis,
        netzwerk=netzwerk,
        abh=abh,
        programme=programme,
        lemgo=lemgo,
        detmold=detmold,
        barntrup=barntrup,
        duldung=duldung,
        gestattung=gestattung,
        aufenthaltserlaubnis=ae,
        modules=modules,
        coach=coach,
        team_lead=team_lead,
        netzwerk_coach=netzwerk_coach,
    )
