"""Writing participations, Bausteine, costs and ABH referrals.

One transaction per service, the audit entry inside it; keyword-only and typed; every
referenced object is checked to belong to the case's Träger; closed cases are read-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.cases.services import case_open
from lotse.consent.gate import pass_transfer
from lotse.consent.models import Consent, Flow
from lotse.core import dates
from lotse.core.access import Action, require
from lotse.core.locking import save_versioned
from lotse.directory.models import Organisation, Programme, ProgrammeModule
from lotse.people.models import Person
from lotse.people.selectors import get_person_for_user
from lotse.programmes import legal, selectors
from lotse.programmes.eligibility import EligibilityResult, check_eligibility
from lotse.programmes.models import (
    AbhReferral,
    BudgetEntry,
    EligibilityCheck,
    ModuleAssignment,
    ModuleBudget,
    Participation,
    ReferralCheckItem,
)
from lotse.programmes.permissions import can_override, can_write_budgets, require_role


def _not_yours() -> str:
    # de: Dieser Eintrag gehört nicht zu Ihrem Träger.
    return _("This entry does not belong to your Träger.")


def _refuse_closed(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        # de: Der Fall ist abgeschlossen und kann nicht mehr geändert werden.
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _refuse_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        # de: Das Datum liegt in der Zukunft.
        raise ValidationError({field: _("The date lies in the future.")})


def euros(cents: int) -> str:
    """German money format for messages: 1.234,56 €."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d} €"


# --- Eligibility and participation ---------------------------------------------------------


def eligibility_check(
    *, actor: Any, person: Person, programme: Programme, intake_date: dt.date, request: Any = None
) -> EligibilityResult:
    """Check without storing (the result is stored with the participation it leads to)."""
    require(actor, Action.VIEW)
    if programme.traeger_id != person.traeger_id or person.traeger_id != actor.traeger_id:
        raise ValidationError({"programme": _not_yours()})
    result = check_eligibility(person=person, programme=programme, intake_date=intake_date)
    audit_log(
        user=actor,
        action="view",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["identity", "residence_status"],
        request=request,
        detail=f"eligibility:{programme.key}",
    )
    return result


def _eligible_or_refuse(result: EligibilityResult) -> None:
    if not result.eligible:
        reasons = [c.reason for c in result.criteria if c.met is not True]
        raise ValidationError({"intake_date": reasons})


def _refuse_second_participation(person_id: int, programme: Programme) -> None:
    running = (
        Participation.objects.filter(
            traeger_id=programme.traeger_id, programme=programme, case__person_id=person_id
        )
        .exclude(case__phase=Phase.CLOSED)
        .exists()
    )
    if running:
        # de: Die Person nimmt bereits an diesem Programm teil (offener Fall).
        raise ValidationError(
            {"programme": _("The person already takes part in this programme (open case).")}
        )


@transaction.atomic
def participation_start(
    *, actor: Any, case: Case, intake_date: dt.date, request: Any = None
) -> Participation:
    """Start the case's participation in its programme after a passed eligibility check."""
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    programme = case.programme
    if programme.kind != Programme.Kind.PARTICIPATION_MANAGEMENT:
        # de: Das Programm des Falls ist kein Teilhabeprogramm.
        raise ValidationError(
            {"programme": _("The case's programme is not a participation programme.")}
        )
    _refuse_future(intake_date, "intake_date")
    if Participation.objects.filter(traeger_id=case.traeger_id, case=case).exists():
        # de: Für diesen Fall ist die Teilnahme bereits erfasst.
        raise ValidationError({"case": _("Participation is already recorded for this case.")})
    _refuse_second_participation(case.person_id, programme)
    person = get_person_for_user(actor, case.person_id, Action.CHANGE)
    result = check_eligibility(person=person, programme=programme, intake_date=intake_date)
    _eligible_or_refuse(result)
    if result.provider is None or result.provider.pk != case.organisation_id:
        # de: Zuständig für den Wohnort ist %(provider)s, nicht die Organisation des Falls.
        raise ValidationError(
            {
                "organisation": _(
                    "%(provider)s is responsible for the municipality, not the case's organisation."
                )
                % {"provider": result.provider}
            }
        )
    check = EligibilityCheck.objects.create(
        traeger_id=case.traeger_id,
        person=person,
        programme=programme,
        intake_date=intake_date,
        eligible=True,
        criteria=result.criteria_data(),
        provider=result.provider,
        checked_by=actor,
    )
    participation = Participation.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        programme=programme,
        intake_date=intake_date,
        eligibility_check=check,
        provider=result.provider,
        created_by=actor,
    )
    audit_log(
        user=actor,
        action="create",
        object_type="participation",
        object_id=participation.pk,
        person_id=case.person_id,
        categories=["case", "residence_status"],
        request=request,
        detail=f"programme:{programme.key}",
    )
    return participation


@transaction.atomic
def participation_open_case(
    *,
    actor: Any,
    person: Person,
    programme: Programme,
    intake_date: dt.date,
    participation_offered_on: dt.date | None = None,
    participation_agreed_on: dt.date | None = None,
    summary: str = "",
    request: Any = None,
) -> Participation:
    """Open a Teilhabe case for an eligible person at the provider of their municipality.

    The responsible organisation is the programme's provider for the municipality; the case
    goes to the provider's post and its holder (the coach) when the holder is in the team.
    """
    require(actor, Action.CREATE)
    if programme.traeger_id != actor.traeger_id or person.traeger_id != actor.traeger_id:
        raise ValidationError({"programme": _not_yours()})
    if programme.kind != Programme.Kind.PARTICIPATION_MANAGEMENT:
        raise ValidationError(
            {"programme": _("The case's programme is not a participation programme.")}
        )
    _refuse_future(intake_date, "intake_date")
    _refuse_second_participation(person.pk, programme)
    result = check_eligibility(person=person, programme=programme, intake_date=intake_date)
    _eligible_or_refuse(result)
    provider = result.provider
    if provider is None or provider.pk != actor.organisation_id:
        # de: Zuständig ist %(provider)s. Bitte übergeben Sie die Person dorthin.
        raise ValidationError(
            {
                "programme": _("%(provider)s is responsible. Please hand the person over.")
                % {"provider": provider}
            }
        )
    post = selectors.provider_post(programme, provider)
    manager = actor
    if post is not None and post.holder is not None:
        holder = post.holder
        if holder.is_active and holder.organisation_id == actor.organisation_id:
            manager = holder
    case = case_open(
        actor=actor,
        person=person,
        programme=programme,
        opened_on=intake_date,
        organisation=provider,
        post=post,
        case_manager=manager,
        participation_offered_on=participation_offered_on,
        participation_agreed_on=participation_agreed_on,
        summary=summary,
        request=request,
    )
    return participation_start(actor=actor, case=case, intake_date=intake_date, request=request)


# --- Bausteine ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentOutcome:
    assignment: ModuleAssignment
    coach_load: int | None
    ratio: int | None

    @property
    def over_ratio(self) -> bool:
        return (
            self.ratio is not None and self.coach_load is not None and self.coach_load > self.ratio
        )


def _validate_assignment(
    participation: Participation,
    module: ProgrammeModule,
    starts_on: dt.date,
    ends_on: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    if module.traeger_id != participation.traeger_id:
        raise ValidationError({"module": _not_yours()})
    if module.programme_id != participation.programme_id:
        # de: Dieser Baustein gehört nicht zum Programm der Teilnahme.
        raise ValidationError(
            {"module": _("This module does not belong to the participation's programme.")}
        )
    if starts_on < participation.intake_date:
        # de: Der Beginn liegt vor dem Aufnahmedatum.
        raise ValidationError({"starts_on": _("The start lies before the intake date.")})
    dates.raise_problems({"ends_on": dates.period_problem(starts_on, ends_on)})
    overlapping = ModuleAssignment.objects.filter(
        traeger_id=participation.traeger_id, participation=participation, module=module
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    overlapping = overlapping.exclude(ends_on__lt=starts_on)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        # de: Für diesen Zeitraum ist die Person dem Baustein schon zugeordnet.
        raise ValidationError(
            {"starts_on": _("The person is already assigned to this module in this period.")}
        )


def _outcome(assignment: ModuleAssignment) -> AssignmentOutcome:
    module = assignment.module
    if not module.participants_per_coach or assignment.coach_id is None:
        return AssignmentOutcome(assignment, None, None)
    day = max(assignment.starts_on, timezone.localdate())
    if assignment.ends_on is not None and assignment.ends_on < day:
        day = assignment.starts_on
    load = selectors.coach_load(module, assignment.coach_id, day)
    return AssignmentOutcome(assignment, load, module.participants_per_coach)


@transaction.atomic
def assignment_add(
    *,
    actor: Any,
    case: Case,
    module: ProgrammeModule,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
    request: Any = None,
) -> AssignmentOutcome:
    """Assign the participant to a Baustein. For a coaching Baustein the coach is the case manager.

    Above the coaching ratio (1:20 in Baustein 1) the assignment is kept, with a warning: the
    seed allows flexibility for entries and exits ("gewisse Flexibilität").
    """
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    participation = selectors.participation_of(case)
    if participation is None:
        # de: Zuerst die Teilnahme am Programm erfassen.
        raise ValidationError({"module": _("Record the participation in the programme first.")})
    _validate_assignment(participation, module, starts_on, ends_on)
    coach = case.case_manager if module.participants_per_coach else None
    if module.participants_per_coach and coach is None:
        # de: Der Fall hat keine zuständige Fachkraft (Coach).
        raise ValidationError({"module": _("The case has no case manager to act as coach.")})
    assignment = ModuleAssignment.objects.create(
        traeger_id=case.traeger_id,
        participation=participation,
        module=module,
        coach=coach,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )
    audit_log(
        user=actor,
        action="create",
        object_type="module_assignment",
        object_id=assignment.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=f"module:{module.key}",
    )
    return _outcome(assignment)


@transaction.atomic
def assignment_update(
    *,
    actor: Any,
    case: Case,
    assignment: ModuleAssignment,
    starts_on: dt.date,
    ends_on: dt.date | None,
    note: str = "",
    request: Any = None,
) -> AssignmentOutcome:
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    if assignment.participation.case_id != case.pk:
        raise ValidationError({"module": _not_yours()})
    _validate_assignment(
        assignment.participation, assignment.module, starts_on, ends_on, assignment.pk
    )
    assignment.starts_on, assignment.ends_on, assignment.note = starts_on, ends_on, note
    assignment.save(update_fields=["starts_on", "ends_on", "note"])
    audit_log(
        user=actor,
        action="update",
        object_type="module_assignment",
        object_id=assignment.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
    )
    return _outcome(assignment)


# --- Budgets and costs ----------------------------------------------------------------------


@dataclass(frozen=True)
class EntryOutcome:
    entry: BudgetEntry
    status: selectors.BudgetStatus


@transaction.atomic
def budget_entry_add(
    *,
    actor: Any,
    case: Case,
    module: ProgrammeModule,
    kind: str,
    cost_type: str,
    amount_cents: int,
    booked_on: dt.date,
    purpose: str,
    commitment: BudgetEntry | None = None,
    override_reason: str = "",
    request: Any = None,
) -> EntryOutcome:
    """Record a commitment (planned cost) or a payment against the Baustein's budget of the year.

    Budget use = open commitments + payments; a payment that settles a commitment replaces it.
    An entry that would take the use above the budget is refused, unless a team lead overrides
    it with a reason (the override is audited separately). The budget row is locked so two
    concurrent commitments cannot both slip under the limit.
    """
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    participation = selectors.participation_of(case)
    if participation is None:
        raise ValidationError({"module": _("Record the participation in the programme first.")})
    if module.traeger_id != case.traeger_id or module.programme_id != participation.programme_id:
        raise ValidationError(
            {"module": _("This module does not belong to the participation's programme.")}
        )
    if kind not in BudgetEntry.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of entry.")})
    if cost_type not in BudgetEntry.CostType.values:
        raise ValidationError({"cost_type": _("Unknown cost type.")})
    if amount_cents <= 0:
        # de: Der Betrag muss größer als 0 sein.
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    purpose = purpose.strip()
    if not purpose:
        # de: Bitte den Zweck angeben.
        raise ValidationError({"purpose": _("Please state the purpose.")})
    if kind == BudgetEntry.Kind.PAYMENT:
        _refuse_future(booked_on, "booked_on")
    settles = None
    if commitment is not None:
        if (
            kind != BudgetEntry.Kind.PAYMENT
            or commitment.participation_id != participation.pk
            or commitment.kind != BudgetEntry.Kind.COMMITMENT
            or commitment.budget.module_id != module.pk
        ):
            # de: Diese Mittelbindung kann mit dieser Zahlung nicht beglichen werden.
            raise ValidationError({"commitment": _("This payment cannot settle that commitment.")})
        if commitment.settled:
            # de: Diese Mittelbindung ist bereits beglichen.
            raise ValidationError({"commitment": _("This commitment is already settled.")})
        settles = commitment
    budget = (
        ModuleBudget.objects.select_for_update()
        .filter(traeger_id=case.traeger_id, module=module, year=booked_on.year)
        .first()
    )
    if budget is None:
        # de: Für diesen Baustein ist für %(year)s kein Budget hinterlegt.
        raise ValidationError(
            {
                "booked_on": _("No budget is set for this module in %(year)s.")
                % {"year": booked_on.year}
            }
        )
    if settles is not None and settles.budget_id != budget.pk:
        raise ValidationError({"commitment": _("This payment cannot settle that commitment.")})
    before = selectors.budget_status(budget)
    delta = amount_cents - (settles.amount_cents if settles is not None else 0)
    after_used = before.used_cents + delta
    override_reason = override_reason.strip()
    overrun = delta > 0 and after_used > budget.amount_cents
    if overrun and not override_reason:
        # de: Das überschreitet das Budget von %(module)s %(year)s um %(over)s (frei: %(free)s).
        # Eine Teamleitung kann mit Begründung freigeben.
        raise ValidationError(
            {
                "amount": _(
                    "This exceeds the budget of %(module)s %(year)s by %(over)s (available: "
                    "%(free)s). A team lead can approve it with a reason."
                )
                % {
                    "module": module,
                    "year": budget.year,
                    "over": euros(after_used - budget.amount_cents),
                    "free": euros(before.available_cents),
                }
            }
        )
    if overrun and not can_override(actor):
        # de: Nur eine Teamleitung kann eine Budgetüberschreitung freigeben.
        raise ValidationError(
            {"override_reason": _("Only a team lead can approve exceeding the budget.")}
        )
    entry = BudgetEntry.objects.create(
        traeger_id=case.traeger_id,
        participation=participation,
        budget=budget,
        kind=kind,
        cost_type=cost_type,
        amount_cents=amount_cents,
        booked_on=booked_on,
        purpose=purpose,
        commitment=settles,
        override_reason=override_reason if overrun else "",
        overridden_by=actor if overrun else None,
        created_by=actor,
    )
    if settles is not None:
        BudgetEntry.objects.filter(pk=settles.pk).update(settled=True)
    audit_log(
        user=actor,
        action="create",
        object_type="budget_entry",
        object_id=entry.pk,
        person_id=case.person_id,
        categories=["case", "benefits"],
        request=request,
        detail=f"{kind}:{module.key}:{budget.year}",
    )
    if overrun:
        audit_log(
            user=actor,
            action="override",
            object_type="module_budget",
            object_id=budget.pk,
            person_id=case.person_id,
            request=request,
            detail=f"budget overrun approved: {override_reason}",
        )
    return EntryOutcome(entry=entry, status=selectors.budget_status(budget))


@transaction.atomic
def budget_set(
    *,
    actor: Any,
    module: ProgrammeModule,
    year: int,
    amount_cents: int,
    warning_percent: int = 90,
    note: str = "",
    request: Any = None,
) -> ModuleBudget:
    """Set a Baustein's budget for a year (team lead or administration)."""
    require_role(actor, can_write_budgets)
    if module.traeger_id != actor.traeger_id:
        raise ValidationError({"module": _not_yours()})
    if amount_cents < 0:
        raise ValidationError({"amount": _("The amount must not be negative.")})
    if not 1 <= warning_percent <= 100:
        # de: Die Warnschwelle liegt zwischen 1 und 100 Prozent.
        raise ValidationError(
            {"warning_percent": _("The warning threshold lies between 1 and 100 percent.")}
        )
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Please enter a valid year.")})
    budget, _created = ModuleBudget.objects.update_or_create(
        traeger_id=actor.traeger_id,
        module=module,
        year=year,
        defaults={
            "amount_cents": amount_cents,
            "warning_percent": warning_percent,
            "note": note,
            "updated_by": actor,
        },
    )
    audit_log(
        user=actor,
        action="update",
        object_type="module_budget",
        object_id=budget.pk,
        request=request,
        detail=f"{module.key}:{year}:{amount_cents}",
    )
    return budget


# --- Referral to the Ausländerbehörde (KIM Baustein 3) ------------------------------------------


def _referral_audit(
    actor: Any, referral: AbhReferral, action: str, request: Any, detail: str = ""
) -> None:
    audit_log(
        user=actor,
        action=action,
        object_type="abh_referral",
        object_id=referral.pk,
        person_id=referral.case.person_id,
        categories=["case", "residence_status"],
        request=request,
        detail=detail,
    )


def _require_state(referral: AbhReferral, *states: str) -> None:
    if referral.state not in states:
        # de: In diesem Stand ist das nicht möglich.
        raise ValidationError({"state": _("This is not possible in the referral's current state.")})


@transaction.atomic
def referral_create(
    *, actor: Any, case: Case, purpose: str, note: str = "", request: Any = None
) -> AbhReferral:
    """A draft referral with the pre-check list of its purpose (all items "unknown")."""
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    if purpose not in AbhReferral.Purpose.values:
        # de: Unbekannter Anlass.
        raise ValidationError({"purpose": _("Unknown purpose.")})
    referral = AbhReferral.objects.create(
        traeger_id=case.traeger_id, case=case, purpose=purpose, note=note, created_by=actor
    )
    ReferralCheckItem.objects.bulk_create(
        ReferralCheckItem(traeger_id=case.traeger_id, referral=referral, key=item.key, sort_order=i)
        for i, item in enumerate(legal.check_items(purpose))
    )
    _referral_audit(actor, referral, "create", request, f"purpose:{purpose}")
    return referral


@transaction.atomic
def referral_precheck_update(
    *,
    actor: Any,
    referral: AbhReferral,
    expected_version: int,
    items: dict[str, tuple[str, str]],
    note: str | None = None,
    request: Any = None,
) -> AbhReferral:
    """Record per prerequisite met / not met / unknown with a note (drafts only)."""
    require(actor, Action.CHANGE)
    _refuse_closed(referral.case)
    _require_state(referral, AbhReferral.State.DRAFT)
    stored = {item.key: item for item in ReferralCheckItem.objects.filter(referral=referral)}
    changed = []
    for key, (status, item_note) in items.items():
        item = stored.get(key)
        if item is None:
            raise ValidationError({"items": _("Unknown pre-check item: %(key)s") % {"key": key}})
        if status not in ReferralCheckItem.Status.values:
            raise ValidationError({"items": _("Unknown status: %(status)s") % {"status": status}})
        if (item.status, item.note) != (status, item_note):
            item.status, item.note = status, item_note[:500]
            changed.append(item)
    ReferralCheckItem.objects.bulk_update(changed, ["status", "note"])
    fields: list[str] = []
    if note is not None:
        referral.note = note
        fields.append("note")
    save_versioned(referral, expected_version=expected_version, fields=fields)
    _referral_audit(actor, referral, "update", request, f"precheck:{len(changed)}")
    return referral


#: The configured purpose (``purposes:`` of the region file) each referral purpose serves.
PURPOSE_KEYS = {
    AbhReferral.Purpose.YOUNG_PEOPLE: "weiterleitung-abh-bleiberecht",
    AbhReferral.Purpose.SUSTAINED_INTEGRATION: "weiterleitung-abh-bleiberecht",
    AbhReferral.Purpose.NATURALISATION: "einbuergerung",
}

#: Organisation kinds that may receive a referral under § 25a/§ 25b AufenthG or § 10 StAG.
RECIPIENT_KINDS = (
    Organisation.Kind.IMMIGRATION_OFFICE,
    Organisation.Kind.NATURALISATION_OFFICE,
)


def _transfer_moment(forwarded_on: dt.date) -> dt.datetime | None:
    """Today is now; an earlier day stands for its end, like the consent selectors read a date
    (a consent withdrawn that day did not cover the forwarding)."""
    if forwarded_on >= timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(forwarded_on, dt.time.max))


def statute_refused_message() -> str:
    # de: Eine Weiterleitung an die Ausländer- oder Einbürgerungsbehörde (§ 25a/§ 25b AufenthG,
    # Einbürgerung) braucht die Einwilligung der Person; eine Rechtsvorschrift ersetzt sie nicht.
    return _(
        "A referral to the immigration or naturalisation office (§ 25a/§ 25b AufenthG, "
        "naturalisation) needs the person's consent; a statute does not replace it."
    )


@transaction.atomic
def referral_forward(
    *,
    actor: Any,
    referral: AbhReferral,
    expected_version: int,
    authority: Organisation | None,
    basis: str,
    categories: list[str],
    forwarded_on: dt.date | None = None,
    consent: Consent | None = None,
    statute: str = "",
    statute_reason: str = "",
    request: Any = None,
) -> AbhReferral:
    """Forward the case to the ABH — only with the person's consent, through the gate.

    Seed 002, 5.3.2: the case is forwarded "mit Einverständnis der Betroffenen"; no statute
    replaces that consent (a team lead's override is refused). The recipient must be an
    Ausländer- or Einbürgerungsbehörde (organisation kind in the configuration), never another
    authority. ``consent.gate.pass_transfer`` checks that the consent is in force, names the
    authority, covers every category and the purpose (Bleiberecht or Einbürgerung) and is
    signed, and journals the transfer with the flow ``abh_referral``. ``statute`` and
    ``statute_reason`` are accepted only to refuse them by name (old clients of the API).
    """
    require(actor, Action.CHANGE)
    case = referral.case
    _refuse_closed(case)
    _require_state(referral, AbhReferral.State.DRAFT)
    errors: dict[str, str] = {}
    forwarded_on = forwarded_on or timezone.localdate()
    if forwarded_on > timezone.localdate():
        errors["forwarded_on"] = _("The date lies in the future.")
    if authority is None:
        # de: Bitte die Ausländerbehörde auswählen.
        errors["authority"] = _("Please choose the immigration authority.")
    elif authority.traeger_id != case.traeger_id:
        errors["authority"] = _not_yours()
    elif authority.kind not in RECIPIENT_KINDS:
        # de: %(recipient)s ist keine Ausländer- oder Einbürgerungsbehörde. Nur an diese wird
        # weitergeleitet.
        errors["authority"] = _(
            "%(recipient)s is no immigration or naturalisation office. Referrals go only to these."
        ) % {"recipient": authority}
    allowed = {key for key, _label in legal.CATEGORIES}
    if not categories or not set(categories) <= allowed:
        # de: Bitte die übermittelten Datenkategorien angeben.
        errors["categories"] = _("Please choose the data categories to be transferred.")
    if basis == AbhReferral.Basis.STATUTE or statute.strip() or statute_reason.strip():
        errors["basis"] = statute_refused_message()
    elif basis != AbhReferral.Basis.CONSENT:
        # de: Ohne Einwilligung der Person wird nicht weitergeleitet.
        errors["basis"] = _("Without the person's consent nothing is forwarded.")
    elif consent is None:
        # de: Bitte die Einwilligung auswählen, die diese Weiterleitung abdeckt.
        errors["consent"] = _("Please choose the consent that covers this forwarding.")
    elif consent.traeger_id != case.traeger_id or consent.person_id != case.person_id:
        # de: Diese Einwilligung gehört nicht zu der Person des Falls.
        errors["consent"] = _("This consent does not belong to the person of the case.")
    if errors or authority is None or consent is None:
        raise ValidationError(errors)
    cleaned = sorted(set(categories))
    transfer = pass_transfer(
        actor=actor,
        person=case.person,
        recipient=authority,
        categories=cleaned,
        purpose=PURPOSE_KEYS[AbhReferral.Purpose(referral.purpose)],
        flow=Flow.ABH_REFERRAL,
        subject=referral,
        basis=consent,
        # de: Weiterleitung an die Ausländerbehörde: %(purpose)s
        description=_("Referral to the immigration authority: %(purpose)s")
        % {"purpose": referral.get_purpose_display()},
        transferred_at=_transfer_moment(forwarded_on),
        field_name="consent",
        request=request,
    )
    referral.authority = authority
    referral.basis = basis
    referral.consent = consent
    referral.transfer = transfer
    referral.statute = ""
    referral.statute_reason = ""
    referral.categories = cleaned
    referral.forwarded_on = forwarded_on
    referral.forwarded_by = actor
    referral.state = AbhReferral.State.FORWARDED
    save_versioned(
        referral,
        expected_version=expected_version,
        fields=[
            "authority",
            "basis",
            "consent",
            "transfer",
            "statute",
            "statute_reason",
            "categories",
            "forwarded_on",
            "forwarded_by",
            "state",
        ],
    )
    # The transfer itself is the "export" entry written by the gate; this one records the
    # change of the referral and links the journal entry.
    audit_log(
        user=actor,
        action="update",
        object_type="abh_referral",
        object_id=referral.pk,
        person_id=case.person_id,
        categories=referral.categories,
        request=request,
        detail=f"forwarded to:{authority.key};basis:{basis};transfer:{transfer.pk}"
        + f";consent:{consent.document_id}v{consent.number}",
    )
    return referral


@transaction.atomic
def referral_answer(
    *,
    actor: Any,
    referral: AbhReferral,
    expected_version: int,
    answered_on: dt.date,
    missing_documents: list[str],
    next_steps: str = "",
    decision: str = "",
    decision_on: dt.date | None = None,
    request: Any = None,
) -> AbhReferral:
    """Record the ABH's answer as reported: missing documents, next steps, its decision if any.

    Lotse never decides on residence or naturalisation: the decision field only records what
    the ABH reported, with its date.
    """
    require(actor, Action.CHANGE)
    _refuse_closed(referral.case)
    _require_state(referral, AbhReferral.State.FORWARDED, AbhReferral.State.ANSWERED)
    _refuse_future(answered_on, "answered_on")
    if referral.forwarded_on and answered_on < referral.forwarded_on:
        # de: Die Antwort kann nicht vor der Weiterleitung liegen.
        raise ValidationError({"answered_on": _("The answer cannot predate the forwarding.")})
    if decision not in AbhReferral.Decision.values:
        raise ValidationError({"decision": _("Unknown decision.")})
    if decision and decision_on is None:
        # de: Bitte das Datum der Entscheidung angeben.
        raise ValidationError({"decision_on": _("Please give the date of the decision.")})
    _refuse_future(decision_on, "decision_on")
    referral.answered_on = answered_on
    referral.missing_documents = [d.strip()[:300] for d in missing_documents if d.strip()]
    referral.next_steps = next_steps
    referral.decision = decision
    referral.decision_on = decision_on if decision else None
    referral.state = AbhReferral.State.ANSWERED
    save_versioned(
        referral,
        expected_version=expected_version,
        fields=[
            "answered_on",
            "missing_documents",
            "next_steps",
            "decision",
            "decision_on",
            "state",
        ],
    )
    _referral_audit(actor, referral, "update", request, "answer")
    return referral


@transaction.atomic
def referral_close(
    *, actor: Any, referral: AbhReferral, expected_version: int, request: Any = None
) -> AbhReferral:
    """Close a referral: after the ABH's answer, or a draft that will not be forwarded."""
    require(actor, Action.CHANGE)
    _refuse_closed(referral.case)
    _require_state(referral, AbhReferral.State.DRAFT, AbhReferral.State.ANSWERED)
    referral.state = AbhReferral.State.CLOSED
    referral.closed_on = timezone.localdate()
    save_versioned(referral, expected_version=expected_version, fields=["state", "closed_on"])
    _referral_audit(actor, referral, "update", request, "closed")
    return referral
