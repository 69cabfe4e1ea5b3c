"""factory_boy factories shared by the whole test suite."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment, User
from lotse.agreements.models import Agreement, AgreementGoal
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
from lotse.people.names import normalise_name, person_name_fields
from lotse.teams.models import Substitution
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
        roles = extracted if extracted is not None else [Role.CASE_MANAGEMENT]
        for role in roles:
            RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)
        if self.organisation_id and {Role.CASE_MANAGEMENT, Role.TEAM_LEAD} & set(roles):
            join_default_team(self)


def default_post(organisation: Organisation) -> CaseManagementPost:
    """The organisation's one post in tests that do not care about posts ("the team").

    Tests of the need-to-know rules create their own posts; everything else works as if the
    organisation's case-management users shared one post (holder, team lead, substitutes).
    """
    post = CaseManagementPost.objects.filter(
        traeger_id=organisation.traeger_id, key=f"team-{organisation.pk}"
    ).first()
    if post is None:
        # Its own programme, so that it never competes with a test's posts in suggestions.
        programme = Programme.objects.filter(
            traeger_id=organisation.traeger_id, key="test-team-programme"
        ).first() or ProgrammeFactory(
            traeger=organisation.traeger,
            key="test-team-programme",
            name="Testteam",
            kind=Programme.Kind.OTHER,
        )
        post = CaseManagementPost.objects.create(
            traeger_id=organisation.traeger_id,
            key=f"team-{organisation.pk}",
            name=f"Team {organisation}",
            programme=programme,
            organisation=organisation,
        )
    return post


def join_default_team(user: User) -> None:
    """Put a case-management user on their organisation's default post (see default_post)."""
    post = default_post(user.organisation)
    if user.has_role(Role.TEAM_LEAD) and post.team_lead_id is None:
        CaseManagementPost.objects.filter(pk=post.pk).update(team_lead=user)
    elif post.holder_id is None:
        CaseManagementPost.objects.filter(pk=post.pk).update(holder=user)
    else:
        Substitution.objects.create(
            traeger_id=user.traeger_id,
            post=post,
            substitute=user,
            starts_on=dt.date(2000, 1, 1),
            ends_on=dt.date(2999, 12, 31),
            reason="Team (Test)",
        )
    user.__dict__.pop("_lotse_team_scope", None)


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
    post = factory.LazyAttribute(lambda o: default_post(o.organisation))
    first_name = "Amina"
    last_name = factory.Sequence(lambda n: f"Haddad{n}")
    date_of_birth = dt.date(1990, 5, 17)
    registered_on = dt.date(2026, 10, 1)
    nationalities = factory.LazyFunction(lambda: ["SY"])
    languages = factory.LazyFunction(lambda: ["ar"])
    search_name = factory.LazyAttribute(lambda o: normalise_name(o.first_name, o.last_name))
    first_key = factory.LazyAttribute(
        lambda o: person_name_fields(o.first_name, o.last_name)["first_key"]
    )
    last_key = factory.LazyAttribute(
        lambda o: person_name_fields(o.first_name, o.last_name)["last_key"]
    )
    name_key = factory.LazyAttribute(
        lambda o: person_name_fields(o.first_name, o.last_name)["name_key"]
    )


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
    post = factory.LazyAttribute(
        lambda o: (
            o.person.post
            if o.person.post_id and o.person.organisation_id == o.organisation.pk
            else default_post(o.organisation)
        )
    )
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


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreed (in force) version of a case's Integrationsvereinbarung."""

    class Meta:
        model = Agreement

    case = factory.SubFactory(CaseFactory)
    traeger = factory.SelfAttribute("case.traeger")
    number = 1
    status = Agreement.Status.AGREED
    agreed_on = factory.LazyFunction(timezone.localdate)
    signed_by_client = True


class AgreementGoalFactory(factory.django.DjangoModelFactory):
    """A SMART goal of an agreement (field of action of the agreement's Träger)."""

    class Meta:
        model = AgreementGoal

    agreement = factory.SubFactory(AgreementFactory)
    traeger = factory.SelfAttribute("agreement.traeger")
    position = factory.Sequence(lambda n: n)
    field_of_action = factory.SubFactory(
        FieldOfActionFactory, traeger=factory.SelfAttribute("..traeger")
    )
    what = factory.Sequence(lambda n: f"Ziel {n} erreichen")
    indicator = "Nachweis liegt vor"
    responsible = "client"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))


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
