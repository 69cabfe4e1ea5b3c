"""Demo: a family newly registered in Detmold, whose case the demo case manager has just opened.

Mariam Rahimi (36) came from Afghanistan with her children Omid (7) and Sara (3); they were
registered in Detmold last Monday and the case was opened the day after. Nothing of the work is
done yet, so the office's Monday shows what is due for the household: the arrival conversation
(Leitziel III) for all three, a language test for the mother (Sprache III), counselling on work
(Arbeit I), a school place for Omid (Schule I, in school weeks) and a childcare offer for Sara
(Kita III). The browser journey of issue #10 walks through this household.

Written through the services (like a user would), idempotent by ``external_key``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import Case
from lotse.cases.services import case_open
from lotse.consent.models import Consent, Purpose
from lotse.consent.services import consent_record
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.directory.models import Municipality, Organisation, Programme, ResidenceStatusType
from lotse.people.models import Person
from lotse.people.services import household_link, person_create, residence_status_add

FAMILY_KEY = "demo-familie-rahimi"
MOTHER_AGE, SCHOOL_CHILD_AGE, TODDLER_AGE = 36, 7, 3


def last_monday(today: dt.date) -> dt.date:
    """The Monday before ``today`` (a week ago when today is a Monday)."""
    return today - dt.timedelta(days=today.weekday() or 7)


def _born(today: dt.date, years: int, days_after_birthday: int) -> dt.date:
    """A birth date that makes the person ``years`` old today."""
    return dt.date(today.year - years, today.month, 1) - dt.timedelta(days=days_after_birthday)


#: The Schweigepflichtsentbindung Frau Rahimi signed at the first contact (for herself and, as
#: the parent with custody, for her children): the school counselling of the Kommunales
#: Integrationszentrum may receive what a referral needs. (Not the Jobcenter: the family is in
#: the asylum procedure, and the demo's partner journeys count the Jobcenter's shared persons.)
CONSENT_RECIPIENTS = ("ki-kreis-lippe",)
CONSENT_CATEGORIES = ["identity", "family", "education_work"]


def _consent(manager: User, persons: list[Person], given_on: dt.date) -> None:
    traeger_id = persons[0].traeger_id
    recipients = list(
        Organisation.objects.filter(traeger_id=traeger_id, key__in=CONSENT_RECIPIENTS)
    )
    purposes = list(Purpose.objects.filter(traeger_id=traeger_id, key="zusteuerung-angebote"))
    if not recipients:
        return
    for person in persons:
        consent_record(
            actor=manager,
            person=person,
            recipients=recipients,
            categories=CONSENT_CATEGORIES,
            purpose=(
                "Anmeldung zu Schule, Kita, Sprachförderung und Beratung zu Arbeit "
                "(Name, Familie, Bildung und Arbeit)"
            ),
            purposes=purposes,
            form=Consent.Form.WRITTEN,
            attest_signed_paper=True,
            valid_from=given_on,
            valid_until=given_on + dt.timedelta(days=365),
            text_version=CONSENT_TEXT_VERSION,
        )


@transaction.atomic
def demo_family(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    manager = User.objects.filter(username="casemanager", traeger__slug=traeger_slug).first()
    if manager is None or manager.traeger_id is None:
        return []
    if Person.objects.filter(traeger_id=manager.traeger_id, external_key=FAMILY_KEY).exists():
        return []
    traeger_id = manager.traeger_id
    detmold = Municipality.objects.filter(traeger_id=traeger_id, key="detmold").first()
    programme = Programme.objects.filter(traeger_id=traeger_id, key="kim-case-management").first()
    status = ResidenceStatusType.objects.filter(
        traeger_id=traeger_id, key="aufenthaltsgestattung"
    ).first()
    if detmold is None or programme is None:
        return []
    today = timezone.localdate()
    registered = last_monday(today)
    common: dict[str, Any] = {
        "nationalities": ["AF"],
        "languages": ["prs"],
        "interpreter_needed": True,
        "interpreter_language": "prs",
        "municipality": detmold,
        "postcode": "32756",
        "registered_on": registered,
    }
    mother = person_create(
        actor=manager,
        first_name="Mariam",
        last_name="Rahimi",
        date_of_birth=_born(today, MOTHER_AGE, 40),
        sex=Person.Sex.FEMALE,
        external_key=FAMILY_KEY,
        **common,
    )
    children = [
        person_create(
            actor=manager,
            first_name=first_name,
            last_name="Rahimi",
            date_of_birth=_born(today, age, 75),
            sex=sex,
            external_key=f"{FAMILY_KEY}-{first_name.lower()}",
            **common,
        )
        for first_name, age, sex in (
            ("Omid", SCHOOL_CHILD_AGE, Person.Sex.MALE),
            ("Sara", TODDLER_AGE, Person.Sex.FEMALE),
        )
    ]
    for child in children:
        household_link(
            actor=manager, person=mother, member=child, member_role=Person.HouseholdRole.CHILD
        )
    if status is not None:
        for person in (mother, *children):
            residence_status_add(
                actor=manager,
                person=person,
                status=status,
                valid_from=registered - dt.timedelta(days=12),
                valid_until=registered + dt.timedelta(days=183),
            )
    opened = min(registered + dt.timedelta(days=1), today)
    case: Case = case_open(
        actor=manager,
        person=mother,
        programme=programme,
        opened_on=opened,
        case_manager=manager,
        participation_offered_on=opened,
        summary=(
            "Mutter mit zwei Kindern (7 und 3), neu in Detmold. Erstgespräch mit Dari-Dolmetscherin "
            "vereinbaren; Schulplatz für Omid, Betreuungsangebot für Sara, Sprachstandstest und "
            "Beratung zu Arbeit für Frau Rahimi."
        ),
    )
    _consent(manager, [mother, *children], opened)
    from lotse.deadlines.services import deadlines_refresh_for_person

    deadlines_refresh_for_person(mother)
    return [
        f"Familie Rahimi (Mutter {MOTHER_AGE}, Kinder {SCHOOL_CHILD_AGE} und {TODDLER_AGE}), "
        f"gemeldet am {registered:%d.%m.%Y}: Fall {case.reference} bei casemanager"
    ]
