"""Writing persons. Each service is one transaction and writes its audit entry in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core import dates
from lotse.core.access import Action, require
from lotse.core.locking import save_versioned
from lotse.directory.models import Municipality, ResidenceStatusType, TargetGroup
from lotse.people.events import person_changed
from lotse.people.models import Household, Person, PersonNameVariant, ResidenceStatusRecord
from lotse.people.names import normalise_name

PERSON_FIELDS = [
    "last_name",
    "first_name",
    "date_of_birth",
    "sex",
    "nationalities",
    "languages",
    "interpreter_needed",
    "interpreter_language",
    "municipality",
    "postcode",
    "registered_on",
    "target_group",
    "residence_obligation",
    "residence_obligation_place",
    "residence_obligation_until",
    "health_notes",  # Art. 9 GDPR: the audit entry names the category "health"
]


def _check_same_traeger(actor: Any, **objects: Any) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.traeger_id != actor.traeger_id:
            raise ValidationError({name: _("This entry does not belong to your Träger.")})


def _validate_person(person: Person) -> None:
    errors: dict[str, Any] = {}
    born = person.date_of_birth
    if born_problem := dates.birth_date_problem(born):
        errors["date_of_birth"] = dates.MESSAGES[born_problem]
        born = None
    if registered_problem := dates.past_date_problem(person.registered_on, born=born):
        errors["registered_on"] = dates.MESSAGES[registered_problem]
    if person.residence_obligation and not person.residence_obligation_place:
        errors["residence_obligation_place"] = _(
            "Please name the place of the residence obligation."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(*, actor: Any, request: Any = None, **fields: Any) -> Person:
    require(actor, Action.CREATE)
    _check_same_traeger(
        actor, municipality=fields.get("municipality"), target_group=fields.get("target_group")
    )
    from lotse.teams.selectors import responsible_post_for

    post = responsible_post_for(
        actor,
        municipality=fields.get("municipality"),
        postcode=fields.get("postcode", "") or "",
        post=fields.get("post"),
    )
    person = Person(
        traeger_id=actor.traeger_id,
        organisation_id=post.organisation_id,
        post=post,
        created_by=actor,
    )
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    person.external_key = fields.get("external_key", "") or ""
    _validate_person(person)
    person.search_name = normalise_name(person.first_name, person.last_name)
    person.full_clean(exclude=["traeger", "organisation", "search_name"])
    person.save()
    person_changed(person)
    audit_log(
        user=actor,
        action="create",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["identity", "health"] if person.health_notes else ["identity"],
        request=request,
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, expected_version: int, request: Any = None, **fields: Any
) -> Person:
    require(actor, Action.CHANGE)
    _check_same_traeger(
        actor, municipality=fields.get("municipality"), target_group=fields.get("target_group")
    )
    changed = []
    for name in PERSON_FIELDS:
        if name in fields and getattr(person, name) != fields[name]:
            setattr(person, name, fields[name])
            changed.append(name)
    _validate_person(person)
    person.search_name = normalise_name(person.first_name, person.last_name)
    person.full_clean(exclude=["traeger", "organisation", "search_name"])
    save_versioned(
        person, expected_version=expected_version, fields=[*PERSON_FIELDS, "search_name"]
    )
    person_changed(person)
    audit_log(
        user=actor,
        action="update",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["identity", "health"] if "health_notes" in changed else ["identity"],
        request=request,
        detail=",".join(changed),
    )
    return person


@transaction.atomic
def name_variant_add(
    *,
    actor: Any,
    person: Person,
    last_name: str,
    first_name: str = "",
    kind: str = "transliteration",
    request: Any = None,
) -> PersonNameVariant:
    require(actor, Action.CHANGE)
    variant = PersonNameVariant.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        last_name=last_name,
        first_name=first_name,
        kind=kind,
        search_name=normalise_name(first_name, last_name),
    )
    audit_log(
        user=actor,
        action="update",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["identity"],
        request=request,
        detail="name_variant",
    )
    return variant


@transaction.atomic
def residence_status_add(
    *,
    actor: Any,
    person: Person,
    status: ResidenceStatusType,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    note: str = "",
    request: Any = None,
) -> ResidenceStatusRecord:
    """Record a new residence status; the history keeps every earlier one."""
    require(actor, Action.CHANGE)
    _check_same_traeger(actor, status=status)
    dates.raise_problems({"valid_until": dates.period_problem(valid_from, valid_until)})
    record = ResidenceStatusRecord.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        status=status,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
        recorded_by=actor,
    )
    audit_log(
        user=actor,
        action="update",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["residence_status"],
        request=request,
        detail="residence_status",
    )
    person_changed(person)
    return record


@transaction.atomic
def household_link(
    *, actor: Any, person: Person, member: Person, member_role: str, request: Any = None
) -> Household:
    """Put ``member`` into ``person``'s household (creating it), e.g. a child with its birth date."""
    require(actor, Action.CHANGE)
    if member.pk == person.pk:
        raise ValidationError({"member": _("A person cannot be linked to themselves.")})
    if member.traeger_id != person.traeger_id:
        raise ValidationError({"member": _("This entry does not belong to your Träger.")})
    household = person.household
    if household is None:
        household = Household.objects.create(traeger_id=person.traeger_id, label=person.last_name)
        Person.objects.filter(pk=person.pk).update(household=household)
        person.household = household
        if not person.household_role:
            Person.objects.filter(pk=person.pk).update(household_role=Person.HouseholdRole.HEAD)
            person.household_role = Person.HouseholdRole.HEAD
    Person.objects.filter(pk=member.pk).update(household=household, household_role=member_role)
    member.household = household
    member.household_role = member_role
    audit_log(
        user=actor,
        action="update",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["family"],
        request=request,
        detail="household",
    )
    person_changed(person)
    return household


def target_groups_for(actor: Any) -> Any:
    return TargetGroup.objects.filter(traeger_id=actor.traeger_id)


def municipalities_for(actor: Any) -> Any:
    return Municipality.objects.filter(traeger_id=actor.traeger_id).order_by("name")
