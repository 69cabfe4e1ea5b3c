"""Demo objects in every state, so every page of the case work shows real content.

Integration agreements (draft, agreed, superseded), referrals into offers (requested, accepted,
on the waiting list, started, completed, dropped, declined) and consents (valid, not yet valid,
expired, withdrawn, superseded by a narrower version), all through the services like a case
manager's work. Idempotent: nothing is added once the demo case manager has an agreement.
Deterministic: the cases are taken in id order, dates count from today.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import User
from lotse.agreements.models import Agreement, Responsible
from lotse.agreements.services import (
    GoalInput,
    agreement_agree,
    agreement_start,
    agreement_update_draft,
)
from lotse.cases.models import Case, Phase
from lotse.consent.gate import check_transfer
from lotse.consent.models import Consent, Purpose
from lotse.consent.services import consent_change, consent_record, consent_withdraw
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.directory.models import FieldOfAction, Organisation
from lotse.offers.models import Offer, Referral, ReferralState
from lotse.offers.services import referral_create, referral_transition

REFERRAL_PURPOSE = "zusteuerung-angebote"
#: The recipient of the demo consents in their different states: not the Jobcenter, whose
#: consents make the partner journeys of the demo (tests/demo: three shared persons).
CONSENT_RECIPIENT_KEY = "vhs-detmold-lemgo"

#: The path of each demo referral through the state machine (``offers.transitions``).
REFERRAL_PATHS: tuple[tuple[str, ...], ...] = (
    (ReferralState.ACCEPTED,),
    (ReferralState.WAITING,),
    (ReferralState.ACCEPTED, ReferralState.STARTED),
    (ReferralState.ACCEPTED, ReferralState.STARTED, ReferralState.COMPLETED),
    (ReferralState.ACCEPTED, ReferralState.DROPPED),
    (ReferralState.DECLINED,),
)


def demo_states(*, traeger_slug: str = "kreis-lippe") -> list[str]:
    manager = User.objects.filter(username="casemanager", traeger__slug=traeger_slug).first()
    if manager is None or manager.traeger_id is None:
        return []
    if Agreement.objects.filter(traeger_id=manager.traeger_id, case__case_manager=manager).exists():
        return []
    cases = list(
        Case.objects.filter(traeger_id=manager.traeger_id, case_manager=manager)
        .filter(phase__in=[Phase.SERVICE_PLANNING, Phase.LINKING, Phase.MONITORING])
        .select_related("person", "organisation")
        .order_by("id")
    )
    if not cases:
        return []
    with transaction.atomic():
        agreements = _agreements(manager, cases)
        referrals = _referrals(manager, cases)
        consents = _consents(manager, cases)
    return [
        f"Integrationsvereinbarungen: {agreements} neu (Entwurf, vereinbart, abgelöst)",
        f"Zusteuerungen in allen Zuständen: {referrals} neu",
        f"Einwilligungen in allen Zuständen: {consents} neu",
    ]


def _goals(traeger_id: int, today: dt.date, version: int) -> list[GoalInput]:
    fields = {f.key: f for f in FieldOfAction.objects.filter(traeger_id=traeger_id).order_by("id")}
    language = fields.get("sprache") or next(iter(fields.values()), None)
    work = fields.get("arbeit") or language
    goals = [
        GoalInput(
            field_of_action=language,
            what="Integrationskurs bis zum Niveau B1 abschließen",
            indicator="Zertifikat Deutsch-Test für Zuwanderer (DTZ) B1",
            responsible=Responsible.CLIENT,
            due_on=today + dt.timedelta(days=270),
            measures="Anmeldung bei der VHS, Kinderbetreuung während des Kurses klären",
            review_on=today + dt.timedelta(days=90),
        ),
        GoalInput(
            field_of_action=work,
            what="Berufsabschluss anerkennen lassen",
            indicator="Bescheid der zuständigen Stelle liegt vor",
            responsible=Responsible.CASE_MANAGER,
            due_on=today + dt.timedelta(days=180),
            measures="Unterlagen übersetzen lassen, Termin bei der Anerkennungsberatung",
        ),
    ]
    if version > 1:
        goals.append(
            GoalInput(
                field_of_action=work,
                what="Praktikum in einem Betrieb der Region beginnen",
                indicator="Praktikumsvertrag unterschrieben",
                responsible=Responsible.CLIENT,
                due_on=today + dt.timedelta(days=120),
            )
        )
    return goals


def _agreement_version(
    manager: User, case: Case, today: dt.date, *, agree_on: dt.date | None
) -> Agreement:
    draft = agreement_start(actor=manager, case=case)
    draft = agreement_update_draft(
        actor=manager,
        agreement=draft,
        expected_version=draft.version,
        goals=_goals(case.traeger_id, today, draft.number),
        language=case.person.languages[0] if case.person.languages else "",
        next_review_on=today + dt.timedelta(days=42),
    )
    if agree_on is not None:
        draft = agreement_agree(
            actor=manager,
            agreement=draft,
            expected_version=draft.version,
            agreed_on=agree_on,
            signed_by_client=True,
        )
    return draft


def _agreements(manager: User, cases: list[Case]) -> int:
    """Case 1: agreed; case 2: version 1 superseded by the agreed version 2; case 3: a draft.
    Agreed between the opening of the case and today, in version order."""
    today = timezone.localdate()
    created = 0
    for index, case in enumerate(cases[:3]):
        span = max((today - case.opened_on).days, 0)
        plans: list[list[dt.date | None]] = [
            [case.opened_on + dt.timedelta(days=span // 2)],
            [
                case.opened_on + dt.timedelta(days=span // 3),
                case.opened_on + dt.timedelta(days=2 * span // 3),
            ],
            [None],
        ]
        plan = plans[index]
        for agree_on in plan:
            _agreement_version(manager, case, today, agree_on=agree_on)
            created += 1
    return created


def _referrals(manager: User, cases: list[Case]) -> int:
    """One referral per state beyond "requested" (the demo's extras add the requested ones)."""
    offers = list(
        Offer.objects.filter(traeger_id=cases[0].traeger_id, active=True)
        .select_related("provider")
        .order_by("id")
    )
    if not offers:
        return 0
    today = timezone.localdate()
    created = 0
    for index, path in enumerate(REFERRAL_PATHS):
        case = cases[index % len(cases)]
        taken = set(Referral.objects.filter(case=case).values_list("offer_id", flat=True))
        free = [offer for offer in offers if offer.pk not in taken]
        if not free:
            continue
        offer = free[(index * 3 + 1) % len(free)]
        consent_for_referral(manager, case, offer, today - dt.timedelta(days=70))
        referral = referral_create(
            actor=manager,
            case=case,
            offer=offer,
            requested_on=today - dt.timedelta(days=60 - index),
            note="Demo",
            override_reason="Demo: Zugang im Einzelfall geklärt",
        )
        for step, state in enumerate(path, start=1):
            referral = referral_transition(
                actor=manager,
                referral=referral,
                to_state=state,
                expected_version=referral.version,
                on=today - dt.timedelta(days=50 - index - 10 * step),
                feedback="Rückmeldung des Anbieters (Demo)" if state != "waiting" else None,
            )
            if referral.state != state:  # no place left: on the waiting list instead
                break
        created += 1
    return created


def consent_for_referral(manager: User, case: Case, offer: Offer, given_on: dt.date) -> None:
    """A signed consent naming the offer's provider for referrals, unless one covers it."""
    provider = offer.provider
    if provider is None or provider.pk == case.organisation_id:
        return
    if check_transfer(
        actor=manager,
        person=case.person,
        recipient=provider,
        categories=["identity"],
        purpose=REFERRAL_PURPOSE,
    ).allowed:
        return
    consent_record(
        actor=manager,
        person=case.person,
        recipients=[provider],
        categories=["identity"],
        purpose=f"Anmeldung bei {provider.name} für „{offer.title}“ (Name und Kontaktdaten)",
        purposes=list(Purpose.objects.filter(traeger_id=case.traeger_id, key=REFERRAL_PURPOSE)),
        form=Consent.Form.WRITTEN,
        attest_signed_paper=True,
        valid_from=given_on,
        valid_until=given_on + dt.timedelta(days=365),
        text_version=CONSENT_TEXT_VERSION,
    )


def _consents(manager: User, cases: list[Case]) -> int:
    """Not yet valid, expired, withdrawn and superseded consents naming the VHS."""
    traeger_id = cases[0].traeger_id
    recipient = Organisation.objects.filter(
        traeger_id=traeger_id, key=CONSENT_RECIPIENT_KEY
    ).first()
    if recipient is None:
        return 0
    purposes = list(Purpose.objects.filter(traeger_id=traeger_id, key=REFERRAL_PURPOSE))
    today = timezone.localdate()

    def record(case: Case, valid_from: dt.date, valid_until: dt.date) -> Consent:
        return consent_record(
            actor=manager,
            person=case.person,
            recipients=[recipient],
            categories=["identity", "education_work"],
            purpose="Anmeldung zum Integrationskurs und Rückmeldung zum Kursverlauf",
            purposes=purposes,
            form=Consent.Form.WRITTEN,
            attest_signed_paper=True,
            valid_from=valid_from,
            valid_until=valid_until,
            text_version=CONSENT_TEXT_VERSION,
        )

    person_case = {case.person_id: case for case in cases}
    chosen = list(person_case.values())
    if not chosen:
        return 0
    pick = [chosen[i % len(chosen)] for i in range(4)]
    # Not yet valid: signed today for the course that starts in two weeks.
    record(pick[0], today + dt.timedelta(days=14), today + dt.timedelta(days=379))
    # Expired: last year's course.
    record(pick[1], today - dt.timedelta(days=400), today - dt.timedelta(days=35))
    # Withdrawn by the person.
    withdrawn = record(pick[2], today - dt.timedelta(days=90), today + dt.timedelta(days=275))
    consent_withdraw(
        actor=manager, consent=withdrawn, note="Widerruf mündlich im Beratungsgespräch (Demo)"
    )
    # Superseded: narrowed to identity only.
    wider = record(pick[3], today - dt.timedelta(days=60), today + dt.timedelta(days=305))
    consent_change(
        actor=manager,
        consent=wider,
        recipients=[recipient],
        categories=["identity"],
        purpose="Anmeldung zum Integrationskurs (ohne Rückmeldung zum Kursverlauf)",
        purposes=purposes,
        form=Consent.Form.WRITTEN,
        attest_signed_paper=True,
        valid_from=today - dt.timedelta(days=5),
        valid_until=today + dt.timedelta(days=305),
        text_version=CONSENT_TEXT_VERSION,
    )
    return 5
