"""Writing persons. Each service is one transaction and writes its audit entry in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core import dates
from lotse.core.access import Action, require
from lotse.core.locking import save_versioned
from lotse.directory.models import Municipality, ResidenceStatusType, TargetGroup
from lotse.people.duplicates import LikelyDuplicate, likely_duplicates
from lotse.people.events import person_changed
from lotse.people.models import (
    DistinctPersonConfirmation,
    Household,
    Person,
    PersonNameVariant,
    ResidenceStatusRecord,
)
from lotse.people.names import clean_name, person_name_fields

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


NAME_DERIVED_FIELDS = ["search_name", "first_key", "last_key", "name_key"]


def clean_names(fields: dict[str, Any], *names: str, required: tuple[str, ...] = ()) -> None:
    """Clean the given name fields in place (:func:`lotse.people.names.clean_name`).

    Every entry path reaches the services, so this is the one place names are cleaned. A
    required name that consisted only of invisible characters is refused with a field message.
    """
    errors: dict[str, str] = {}
    for name in names:
        if name not in fields:
            continue
        cleaned = clean_name(str(fields[name] or ""))
        if not cleaned and (name in required or fields[name]):
            errors[name] = _("Please enter a name of visible letters.")
        fields[name] = cleaned
    if errors:
        raise ValidationError(errors)


def _set_name_keys(person: Person) -> None:
    for name, value in person_name_fields(person.first_name, person.last_name).items():
        setattr(person, name, value)


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


def _external_key_taken(person: Person) -> bool:
    return bool(person.external_key) and (
        Person.objects.filter(
            traeger_id=person.traeger_id, external_key=person.external_key
        ).exists()
    )


def _external_key_error() -> ValidationError:
    """Unique per Träger (the key of the source system), whoever keeps the other person."""
    return ValidationError({"external_key": _("A person with this external key already exists.")})


@transaction.atomic
def person_create(
    *, actor: Any, request: Any = None, distinct_reason: str = "", **fields: Any
) -> Person:
    """Create a person, unless likely duplicates exist and no ``distinct_reason`` says otherwise.

    Raises :class:`~lotse.people.duplicates.LikelyDuplicate` with the candidates; with a reason
    the person is created and the reason kept as a ``DistinctPersonConfirmation`` (audited).
    """
    require(actor, Action.CREATE)
    clean_names(fields, "first_name", "last_name", required=("first_name", "last_name"))
    distinct_reason = " ".join((distinct_reason or "").split())
    duplicates = likely_duplicates(
        actor,
        first_name=fields["first_name"],
        last_name=fields["last_name"],
        date_of_birth=fields.get("date_of_birth"),
    )
    if duplicates.any and not distinct_reason:
        raise LikelyDuplicate(duplicates)
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
    _set_name_keys(person)
    # The post (one of the actor's, just read) and the actor need no existence check.
    person.full_clean(
        exclude=["traeger", "organisation", "post", "created_by", *NAME_DERIVED_FIELDS]
    )
    if _external_key_taken(person):
        raise _external_key_error()
    try:
        with transaction.atomic():  # a savepoint: the race below leaves the transaction usable
            person.save()
    except IntegrityError:
        # Another request stored the same key between the check and the save.
        if _external_key_taken(person):
            raise _external_key_error() from None
        raise
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
    if duplicates.any:
        DistinctPersonConfirmation.objects.create(
            traeger_id=person.traeger_id,
            person=person,
            candidate_ids=duplicates.all_ids,
            reason=distinct_reason[:500],
            confirmed_by=actor,
        )
        audit_log(
            user=actor,
            action="update",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            categories=["identity"],
            request=request,
            detail="distinct_from:" + ",".join(str(pk) for pk in duplicates.all_ids),
        )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, expected_version: int, request: Any = None, **fields: Any
) -> Person:
    require(actor, Action.CHANGE)
    clean_names(fields, "first_name", "last_name", required=("first_name", "last_name"))
    _check_same_traeger(
        actor, municipality=fields.get("municipality"), target_group=fields.get("target_group")
    )
    changed = []
    for name in PERSON_FIELDS:
        if name in fields and getattr(person, name) != fields[name]:
            setattr(person, name, fields[name])
            changed.append(name)
    _validate_person(person)
    _set_name_keys(person)
    person.full_clean(exclude=["traeger", "organisation", *NAME_DERIVED_FIELDS])
    save_versioned(
        person, expected_version=expected_version, fields=[*PERSON_FIELDS, *NAME_DERIVED_FIELDS]
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
    names = {"first_name": first_name, "last_name": last_name}
    clean_names(names, "first_name", "last_name", required=("last_name",))
    derived = person_name_fields(names["first_name"], names["last_name"])
    variant = PersonNameVariant.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        kind=kind,
        search_name=derived["search_name"],
        name_key=derived["name_key"],
        **names,
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
