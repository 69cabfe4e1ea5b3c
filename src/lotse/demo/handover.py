"""Demo: a Durchstarten candidate of the Detmold case manager, ready to be handed over.

A young adult (18–27) with a Duldung in Detmold may join Teilhabemanagement "Durchstarten in
Ausbildung und Arbeit", which Netzwerk Lippe runs for Detmold. The case manager hands the case to
Netzwerk Lippe's post; that passes the case to another organisation, so the client's consent
naming Netzwerk Lippe is recorded here (idempotent: only when none exists).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import Case, Phase
from lotse.consent.models import Consent, Purpose
from lotse.consent.services import consent_record
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.directory.models import Organisation
from lotse.people.models import ResidenceStatusRecord

HANDOVER_CATEGORIES = ["identity", "residence_status", "education_work"]


def durchstarten_candidate(traeger_id: int, manager: User) -> Case | None:
    """The Detmold case manager's first open case of a person aged 18–27 with a Duldung."""
    today = timezone.localdate()
    latest = {}
    for person_id, status_key in (
        ResidenceStatusRecord.objects.filter(
            traeger_id=traeger_id, person__cases__case_manager=manager
        )
        .order_by("person_id", "valid_from", "id")
        .values_list("person_id", "status__key")
    ):
        latest[person_id] = status_key
    candidates = (
        Case.objects.filter(traeger_id=traeger_id, case_manager=manager)
        .exclude(phase=Phase.CLOSED)
        .filter(
            person__date_of_birth__lte=today - dt.timedelta(days=18 * 366),
            person__date_of_birth__gt=today - dt.timedelta(days=27 * 365),
        )
        .select_related("person")
        .order_by("id")
    )
    for case in candidates:
        if latest.get(case.person_id, "").endswith("duldung"):
            return case
    return None


@transaction.atomic
def demo_handover_candidate(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    manager = User.objects.filter(username="casemanager", traeger__slug=traeger_slug).first()
    if manager is None or manager.traeger_id is None:
        return []
    network = Organisation.objects.filter(
        traeger_id=manager.traeger_id, key="netzwerk-lippe"
    ).first()
    case = durchstarten_candidate(manager.traeger_id, manager)
    if network is None or case is None:
        return []
    if Consent.objects.filter(
        person=case.person, recipients=network, purposes__key="teilhabemanagement"
    ).exists():
        return []
    today = timezone.localdate()
    purpose = Purpose.objects.filter(
        traeger_id=manager.traeger_id, key="teilhabemanagement"
    ).first()
    consent_record(
        actor=manager,
        person=case.person,
        recipients=[network],
        categories=HANDOVER_CATEGORIES,
        purpose=(
            "Teilhabemanagement „Durchstarten in Ausbildung und Arbeit“ beim Netzwerk Lippe: "
            "Übergabe des Falls und Coaching"
        ),
        form=Consent.Form.WRITTEN,
        valid_from=today - dt.timedelta(days=3),
        valid_until=today + dt.timedelta(days=365),
        text_version=CONSENT_TEXT_VERSION,
        purposes=[purpose] if purpose else [],
        attest_signed_paper=True,
    )
    return [
        f"Durchstarten: {case.person.first_name} {case.person.last_name} (Fall {case.reference}) "
        "kann an das Netzwerk Lippe übergeben werden"
    ]
