"""What a partner organisation may see of a person: only what a consent in force grants it.

The rule (issue 4, § 67b SGB X, Art. 6/7/9 GDPR):

- A user of a partner organisation (``core.access.can_view_shared``) sees a person of their own
  Träger only while at least one consent of that person is *in force* and names the user's
  organisation as a recipient. In force means: not withdrawn, not superseded by a newer
  version, ``valid_from`` reached and ``valid_until`` not passed — at the moment of the request.
  Nothing is cached: a withdrawal or an expiry takes effect with the next request.
- The user sees only the data categories those consents grant (their union). There is no other
  way in: a statute named for a single transfer opens no standing access, so data of the
  Jugendamt (``youth_welfare``) is never shown without consent (§ 65 SGB VIII).
- A person without such a consent is a 404, exactly like an id that does not exist.

What each category shows (:func:`shared_view`):

========================  =======================================================================
``identity``              first and last name, date of birth, nationalities, languages
``residence_status``      residence status history (with notes), residence obligation
``education_work``        assessments of fields of action mapped to ``education_work``, and the
                          German level (most recent one recorded in any assessment)
``benefits``              assessments of fields mapped to ``benefits``
``family``                the person's role in the household and the roles of the other members;
                          a member's *name* only when a consent of that member grants the
                          organisation ``identity`` as well (otherwise "a household member")
``health``                health and special protection needs (Art. 9 GDPR) and assessments of
                          fields mapped to ``health``
``youth_welfare``         assessments of fields mapped to ``youth_welfare``
========================  =======================================================================

Never shown: timeline entries, case notes and summaries, case numbers, the case team's names,
consents and transfers, the interview. Without ``identity`` a person is shown under a
pseudonymous reference (:func:`person_pseudonym`) that differs per organisation.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from lotse.consent.gate import covering_consents, shareable_categories
from lotse.consent.models import Category, Consent
from lotse.core.access import can_view_shared, not_found
from lotse.core.pagination import KeysetPage, keyset_page
from lotse.intake.models import ASSESSMENT_FIELDS, Assessment, GermanLevel
from lotse.people.models import Person, ResidenceStatusRecord

PERSON_ORDER = ["id"]

#: Categories whose section lists the assessments of the fields of action mapped to them.
ASSESSMENT_CATEGORIES = (
    Category.EDUCATION_WORK,
    Category.BENEFITS,
    Category.HEALTH,
    Category.YOUTH_WELFARE,
)


def consents_in_force(
    *, traeger_id: int, organisation_id: int, on: dt.date | dt.datetime | None = None
) -> QuerySet[Consent]:
    """The consents that cover the partner view of the organisation (the gate decides:
    ``consent.gate.covering_consents`` — in force, naming it, signed where required)."""
    return covering_consents(traeger_id=traeger_id, organisation_id=organisation_id, on=on)


def _can_receive(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return (
        getattr(user, "traeger_id", None) is not None
        and getattr(user, "organisation_id", None) is not None
    )


def granted_categories(
    user: Any, person: Person, on: dt.date | dt.datetime | None = None
) -> frozenset[str]:
    """The data categories of ``person`` the gate lets the user's organisation see now.

    Empty for a person of another Träger, for a user without Träger or organisation, and when
    no covering consent names the organisation. ``on`` defaults to now.
    """
    if person.traeger_id != getattr(user, "traeger_id", None):
        return frozenset()
    return granted_by_person(user, [person.pk], on).get(person.pk, frozenset())


def granted_by_person(
    user: Any, person_ids: Iterable[int], on: dt.date | dt.datetime | None = None
) -> dict[int, frozenset[str]]:
    """:func:`granted_categories` for many persons in one query (the partner-view flow)."""
    if not _can_receive(user):
        return {}
    return shareable_categories(
        traeger_id=user.traeger_id,
        organisation_id=user.organisation_id,
        person_ids=person_ids,
        on=on,
    )


def person_pseudonym(*, traeger_id: int, person_id: int, organisation_id: int | None) -> str:
    """A stable reference to a person that means nothing outside the partner organisation."""
    message = f"shared-person:{traeger_id}:{person_id}:{organisation_id or 0}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"P-{code[:4]}-{code[4:]}"


def pseudonym_for(user: Any, person: Person) -> str:
    return person_pseudonym(
        traeger_id=int(person.traeger_id),
        person_id=int(person.pk),
        organisation_id=getattr(user, "organisation_id", None),
    )


# -- the list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedRow:
    person_id: int
    reference: str
    categories: frozenset[str]
    #: Only with ``identity``; ``None`` otherwise.
    first_name: str | None = None
    last_name: str | None = None

    @property
    def shows_identity(self) -> bool:
        return Category.IDENTITY in self.categories


def shared_person_page(
    user: Any, *, cursor: str | None = None, size: int = 25
) -> tuple[KeysetPage, list[SharedRow]]:
    """The persons a consent in force shares with the user's organisation, a keyset page."""
    if not can_view_shared(user):
        return KeysetPage(items=[], next_cursor=None, has_previous=False), []
    shared = consents_in_force(
        traeger_id=user.traeger_id, organisation_id=user.organisation_id
    ).values("person_id")
    queryset = Person.objects.filter(traeger_id=user.traeger_id, pk__in=shared).only(
        "id", "traeger_id", "first_name", "last_name"
    )
    page = keyset_page(queryset, order=PERSON_ORDER, cursor=cursor, size=size)
    granted = granted_by_person(user, [person.pk for person in page.items])
    rows = []
    for person in page.items:
        categories = granted.get(person.pk, frozenset())
        identity = Category.IDENTITY in categories
        rows.append(
            SharedRow(
                person_id=person.pk,
                reference=pseudonym_for(user, person),
                categories=categories,
                first_name=person.first_name if identity else None,
                last_name=person.last_name if identity else None,
            )
        )
    return page, rows


# -- one person ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    date_of_birth: dt.date | None
    nationalities: list[str]
    languages: list[str]


@dataclass(frozen=True)
class Residence:
    statuses: list[ResidenceStatusRecord]
    obligation: bool
    obligation_place: str
    obligation_until: dt.date | None


@dataclass(frozen=True)
class Member:
    household_role: str
    household_role_label: str
    #: Only when a consent of the member grants the organisation ``identity``.
    person_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None


@dataclass(frozen=True)
class Family:
    household_role: str
    household_role_label: str
    members: list[Member]


@dataclass(frozen=True)
class Health:
    notes: str


@dataclass
class SharedPerson:
    """Exactly the sections a consent grants; a section not granted is ``None``/absent."""

    person_id: int
    reference: str
    categories: frozenset[str]
    identity: Identity | None = None
    residence: Residence | None = None
    german_level: str | None = None
    family: Family | None = None
    health: Health | None = None
    #: category → assessments of the fields of action mapped to it (granted categories only).
    assessments: dict[str, list[Assessment]] = field(default_factory=dict)
    #: Other persons whose name this view shows (for the access log).
    named_members: list[int] = field(default_factory=list)

    @property
    def shown_categories(self) -> list[str]:
        return [value for value in Category.values if value in self.categories]


def get_shared_person_for_user(user: Any, pk: Any) -> tuple[Person, frozenset[str]]:
    """The person and the categories granted now; no consent in force (or no such id) → 404."""
    if not can_view_shared(user):
        raise not_found()
    try:
        person = Person.objects.select_related("household").get(traeger_id=user.traeger_id, pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise not_found() from None
    granted = granted_categories(user, person)
    if not granted:
        raise not_found()
    return person, granted


def _assessments(person: Person, categories: Iterable[str]) -> list[Assessment]:
    return list(
        # The assessments about this person (also those made in a parent's case), never those
        # about the household members of this person's case: each has their own consent.
        Assessment.objects.filter(
            traeger_id=person.traeger_id,
            person_id=person.pk,
            field_of_action__data_category__in=list(categories),
        )
        .select_related("field_of_action")
        .order_by("field_of_action__sort_order", "field_of_action__name", "id")
    )


def _german_level(person: Person) -> str | None:
    level = (
        Assessment.objects.filter(traeger_id=person.traeger_id, person_id=person.pk)
        .exclude(german_level="")
        .order_by("-updated_at", "-id")
        .values_list("german_level", flat=True)
        .first()
    )
    return level or None


def _family(user: Any, person: Person) -> Family:
    members: list[Member] = []
    if person.household_id is not None:
        others = list(
            Person.objects.filter(traeger_id=person.traeger_id, household_id=person.household_id)
            .exclude(pk=person.pk)
            .order_by("id")
        )
        granted = granted_by_person(user, [other.pk for other in others])
        for other in others:
            named = Category.IDENTITY in granted.get(other.pk, frozenset())
            members.append(
                Member(
                    household_role=other.household_role,
                    household_role_label=str(other.get_household_role_display()),
                    person_id=other.pk if named else None,
                    first_name=other.first_name if named else None,
                    last_name=other.last_name if named else None,
                )
            )
    return Family(
        household_role=person.household_role,
        household_role_label=str(person.get_household_role_display()),
        members=members,
    )


def shared_view(user: Any, person: Person, granted: frozenset[str]) -> SharedPerson:
    """Build the view of ``person`` for the user, reading only the granted categories."""
    view = SharedPerson(
        person_id=person.pk, reference=pseudonym_for(user, person), categories=granted
    )
    if Category.IDENTITY in granted:
        view.identity = Identity(
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            nationalities=list(person.nationalities or []),
            languages=list(person.languages or []),
        )
    if Category.RESIDENCE_STATUS in granted:
        view.residence = Residence(
            statuses=list(
                ResidenceStatusRecord.objects.filter(traeger_id=person.traeger_id, person=person)
                .select_related("status")
                .order_by("-valid_from", "-id")
            ),
            obligation=person.residence_obligation,
            obligation_place=person.residence_obligation_place,
            obligation_until=person.residence_obligation_until,
        )
    assessment_categories = [value for value in ASSESSMENT_CATEGORIES if value in granted]
    if assessment_categories:
        by_category: dict[str, list[Assessment]] = {value: [] for value in assessment_categories}
        for assessment in _assessments(person, assessment_categories):
            by_category[assessment.field_of_action.data_category].append(assessment)
        view.assessments = by_category
    if Category.EDUCATION_WORK in granted:
        view.german_level = _german_level(person)
    if Category.FAMILY in granted:
        view.family = _family(user, person)
        view.named_members = [m.person_id for m in view.family.members if m.person_id]
    if Category.HEALTH in granted:
        view.health = Health(notes=person.health_notes or "")
    return view


def german_level_label(level: str | None) -> str:
    if not level:
        return ""
    return str(dict(GermanLevel.choices).get(level, level))


@dataclass(frozen=True)
class AssessmentRow:
    label: str
    value: str


def assessment_rows(assessment: Assessment) -> list[AssessmentRow]:
    """The filled-in fields of an assessment as label/value pairs (choices by their label)."""
    rows = []
    for name in ASSESSMENT_FIELDS:
        model_field = Assessment._meta.get_field(name)
        value = getattr(assessment, name)
        if value in (None, ""):
            continue
        if getattr(model_field, "choices", None):
            value = getattr(assessment, f"get_{name}_display")()
        elif isinstance(value, dt.date):
            value = value.strftime("%d.%m.%Y")
        label = getattr(model_field, "verbose_name", name)
        rows.append(AssessmentRow(label=str(label), value=str(value)))
    return rows
