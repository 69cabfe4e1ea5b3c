"""factory_boy factories shared by the whole test suite."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.cases.models import Case, Phase, TimelineEntry
from lotse.consent.models import Consent, Purpose
from lotse.directory.models import (
    CaseManagementPost,
    FieldOfAction,
    Municipality,
    Organisation,
    Programme,
    ResidenceStatusType,
    Sozialraum,
    TargetGroup,
)
from lotse.people.models import Person
from lotse.people.names import normalise_name
from lotse.tenancy.models import Traeger


class TraegerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Traeger
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"traeger-{n}")
    name = factory.Sequence(lambda n: f"Kreis Test {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.SERVICE_CENTRE


class SozialraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sozialraum

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"sozialraum-{n}")
    name = factory.Sequence(lambda n: f"Sozialraum {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"gemeinde-{n}")
    name = factory.Sequence(lambda n: f"Gemeinde {n}")


class FieldOfActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfAction

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"feld-{n}")
    name = factory.Sequence(lambda n: f"Handlungsfeld {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"zielgruppe-{n}")
    name = factory.Sequence(lambda n: f"Zielgruppe {n}")


class ResidenceStatusTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidenceStatusType

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"status-{n}")
    name = factory.Sequence(lambda n: f"Aufenthaltsstatus {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"programm-{n}")
    name = "Kommunales Integrationsmanagement – Case Management"
    kind = Programme.Kind.CASE_MANAGEMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    traeger = factory.SubFactory(TraegerFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, traeger=factory.SelfAttribute("..traeger")
    )
    password = factory.django.Password("demo-password-123")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for role in extracted if extracted is not None else [Role.CASE_MANAGEMENT]:
            RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)


class CaseManagementPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseManagementPost

    traeger = factory.SubFactory(TraegerFactory)
    key = factory.Sequence(lambda n: f"stelle-{n}")
    name = factory.Sequence(lambda n: f"Stelle {n}")
    programme = factory.SubFactory(ProgrammeFactory, traeger=factory.SelfAttribute("..traeger"))
    organisation = factory.SubFactory(
        OrganisationFactory, traeger=factory.SelfAttribute("..traeger")
    )
    target_caseload = 100


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    traeger = factory.SubFactory(TraegerFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, traeger=factory.SelfAttribute("..traeger")
    )
    first_name = "Amina"
    last_name = factory.Sequence(lambda n: f"Haddad{n}")
    date_of_birth = dt.date(1990, 5, 17)
    registered_on = dt.date(2026, 10, 1)
    nationalities = factory.LazyFunction(lambda: ["SY"])
    languages = factory.LazyFunction(lambda: ["ar"])
    search_name = factory.LazyAttribute(lambda o: normalise_name(o.first_name, o.last_name))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    traeger = factory.SubFactory(TraegerFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, traeger=factory.SelfAttribute("..traeger")
    )
    person = factory.SubFactory(
        PersonFactory,
        traeger=factory.SelfAttribute("..traeger"),
        organisation=factory.SelfAttribute("..organisation"),
    )
    programme = factory.SubFactory(ProgrammeFactory, traeger=factory.SelfAttribute("..traeger"))
    reference = factory.Sequence(lambda n: f"2026-{n:06d}")
    phase = Phase.INTAKE
    opened_on = dt.date(2026, 10, 5)


class TimelineEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEntry

    case = factory.SubFactory(CaseFactory)
    traeger = factory.SelfAttribute("case.traeger")
    kind = TimelineEntry.Kind.NOTE
    title = "Gesprächsnotiz"
    text = "Erstkontakt im Regionalbüro."
    occurred_at = factory.LazyFunction(lambda: dt.datetime(2026, 10, 6, 10, 0, tzinfo=dt.UTC))


#: Purposes a test consent names by default (keys as in config/kreis-lippe.yaml).
DEFAULT_PURPOSES = ("arbeitsmarktintegration", "zusteuerung-angebote")


def purpose(traeger, key: str = "arbeitsmarktintegration", name: str | None = None) -> Purpose:
    """The configured purpose ``key`` of ``traeger`` (created on first use)."""
    found, _created = Purpose.objects.get_or_create(
        traeger=traeger, key=key, defaults={"name": name or key.replace("-", " ").title()}
    )
    return found


def grant_consent(
    person,
    organisation,
    categories=("identity", "education_work"),
    purposes=DEFAULT_PURPOSES,
    **fields,
) -> Consent:
    """A signed consent in force (as the consent services store it) naming ``organisation``."""
    fields.setdefault("valid_from", timezone.localdate() - dt.timedelta(days=30))
    fields.setdefault("attested_on", fields["valid_from"])
    consent = Consent.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        categories=list(categories),
        purpose="Abstimmung der Vermittlung in Arbeit mit dem Jobcenter",
        form=Consent.Form.WRITTEN,
        text_version="EW-2026-1",
        document_id=f"EW-{uuid.uuid4().hex[:10].upper()}",
        recorded_by=fields.pop("recorded_by", None)
        or UserFactory(traeger=person.traeger, roles=[Role.CASE_MANAGEMENT]),
        **fields,
    )
    consent.recipients.set([organisation])
    consent.purposes.set([purpose(person.traeger, key) for key in purposes])
    return consent
