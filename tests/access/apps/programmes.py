"""URL classification and permission matrix of the programmes app (Teilhabemanagement, ABH).

The shared world has no programme data, and the tests compare a snapshot of persons and cases
before and after every refused request. So the objects these URLs need are created lazily, in
the ``kwargs``/payload callables, only in tables outside that snapshot (configuration rows and
this app's own tables), on the world's person and case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lotse.consent.models import Consent, Purpose
from lotse.directory.models import Organisation, Programme, ProgrammeModule, ProgrammeProvider
from lotse.programmes import legal
from lotse.programmes.models import (
    AbhReferral,
    BudgetEntry,
    EligibilityCheck,
    ModuleAssignment,
    ModuleBudget,
    Participation,
    ReferralCheckItem,
)
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


@dataclass
class Setup:
    module: ProgrammeModule
    authority: Organisation
    consent: Consent
    participation: Participation | None = None
    assignment: ModuleAssignment | None = None


def _today() -> dt.date:
    return timezone.localdate()


def _setup(w: World, *, participation: bool = False) -> Setup:
    cached: Setup | None = getattr(w, "_programmes", None)
    if cached is None:
        Programme.objects.filter(pk=w.programme.pk).update(
            kind=Programme.Kind.PARTICIPATION_MANAGEMENT
        )
        w.programme.kind = Programme.Kind.PARTICIPATION_MANAGEMENT
        ProgrammeProvider.objects.create(
            traeger=w.traeger_a,
            programme=w.programme,
            municipality=w.municipality,
            organisation=w.org_a,
        )
        module = ProgrammeModule.objects.create(
            traeger=w.traeger_a,
            programme=w.programme,
            key="alpha-baustein-1",
            number=1,
            name="Coaching Alpha",
            participants_per_coach=20,
        )
        ModuleBudget.objects.create(
            traeger=w.traeger_a, module=module, year=_today().year, amount_cents=1_000_000
        )
        authority = Organisation.objects.create(
            traeger=w.traeger_a,
            key="abh-alpha",
            name="ABH Alpha",
            kind=Organisation.Kind.IMMIGRATION_OFFICE,
        )
        # The legal basis of a forwarding: a consent of the world's person naming the ABH.
        consent = Consent.objects.create(
            traeger=w.traeger_a,
            person=w.person,
            categories=["identity", "residence_status"],
            purpose="Prüfung einer Aufenthaltserlaubnis durch die ABH Alpha",
            form=Consent.Form.WRITTEN,
            valid_from=dt.date(2026, 1, 1),
            text_version="EW-2026-1",
            document_id="EW-ABHA-2222",
            recorded_by=w.case_manager,
            attested_on=dt.date(2026, 1, 1),
        )
        consent.recipients.set([authority])
        consent.purposes.set(
            [
                Purpose.objects.get_or_create(
                    traeger=w.traeger_a,
                    key="weiterleitung-abh-bleiberecht",
                    defaults={"name": "Weiterleitung an die ABH (Bleiberecht)"},
                )[0]
            ]
        )
        cached = Setup(module=module, authority=authority, consent=consent)
        w._programmes = cached  # type: ignore[attr-defined]
    if participation and cached.participation is None:
        check = EligibilityCheck.objects.create(
            traeger=w.traeger_a,
            person=w.person,
            programme=w.programme,
            intake_date=w.case.opened_on,
            eligible=True,
            criteria=[{"key": "age", "met": True, "reason": "ok"}],
            provider=w.org_a,
        )
        cached.participation = Participation.objects.create(
            traeger=w.traeger_a,
            case=w.case,
            programme=w.programme,
            intake_date=w.case.opened_on,
            eligibility_check=check,
            provider=w.org_a,
        )
        cached.assignment = ModuleAssignment.objects.create(
            traeger=w.traeger_a,
            participation=cached.participation,
            module=cached.module,
            coach=w.case_manager,
            starts_on=w.case.opened_on,
            ends_on=_today() - dt.timedelta(days=1),
        )
        BudgetEntry.objects.create(
            traeger=w.traeger_a,
            participation=cached.participation,
            budget=ModuleBudget.objects.get(module=cached.module),
            kind=BudgetEntry.Kind.COMMITMENT,
            cost_type=BudgetEntry.CostType.TRAVEL,
            amount_cents=5000,
            booked_on=_today(),
            purpose="Monatskarte Alpha",
        )
    return cached


def _referral(w: World, state: str, purpose: str = "25b") -> AbhReferral:
    setup = _setup(w)
    existing = AbhReferral.objects.filter(case=w.case, state=state).first()
    if existing is not None:
        return existing
    today = _today()
    forwarded = state != AbhReferral.State.DRAFT
    referral = AbhReferral.objects.create(
        traeger=w.traeger_a,
        case=w.case,
        purpose=purpose,
        state=state,
        authority=setup.authority if forwarded else None,
        basis=AbhReferral.Basis.CONSENT if forwarded else "",
        consent_given_on=today if forwarded else None,
        consent_form_reference="EW-Alpha" if forwarded else "",
        consent_scope="ABH" if forwarded else "",
        categories=["identity"] if forwarded else [],
        forwarded_on=today if forwarded else None,
        answered_on=today if state == AbhReferral.State.ANSWERED else None,
    )
    ReferralCheckItem.objects.bulk_create(
        ReferralCheckItem(traeger=w.traeger_a, referral=referral, key=item.key, sort_order=i)
        for i, item in enumerate(legal.check_items(purpose))
    )
    return referral


def _case(w: World) -> dict[str, int]:
    _setup(w)
    return {"pk": w.case.pk}


def _case_with_participation(w: World) -> dict[str, int]:
    _setup(w, participation=True)
    return {"pk": w.case.pk}


def _referral_kwargs(state: str) -> Any:
    return lambda w: {"pk": w.case.pk, "referral_pk": _referral(w, state).pk}


def _today_s(w: World | None = None) -> str:
    return _today().isoformat()


def _precheck_form(w: World) -> dict[str, Any]:
    data: dict[str, Any] = {"version": 1, "note": "Vorprüfung"}
    for item in legal.check_items("25b"):
        data[f"status_{item.key}"] = "met"
    return data


def _forward(w: World) -> dict[str, Any]:
    return {
        "version": 1,
        "authority": _setup(w).authority.pk,
        "categories": ["identity", "residence_status"],
        "basis": "consent",
        "consent": _setup(w).consent.pk,
        "forwarded_on": _today_s(),
    }


def _answer_html(w: World) -> dict[str, Any]:
    return {
        "version": 1,
        "answered_on": _today_s(),
        "missing_documents": "Pass",
        "next_steps": "Termin",
    }


def _cost(w: World, *, api: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "module": _setup(w).module.pk,
        "kind": "commitment",
        "cost_type": "travel",
        "booked_on": _today_s(),
        "purpose": "Fahrkarte",
    }
    data["amount_cents" if api else "amount"] = 1250 if api else "12"
    return data


ENDPOINTS: dict[str, Endpoint] = {
    "programmes:eligibility": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=lambda w: (_setup(w), {"person_pk": w.person.pk})[1],
        methods={
            "GET": None,
            "POST": lambda w: {"programme": w.programme.pk, "intake_date": _today_s()},
        },
    ),
    "programmes:participation": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"intake_date": _today_s()}},
    ),
    "programmes:assignment_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case_with_participation,
        methods={
            "GET": None,
            "POST": lambda w: {"module": _setup(w).module.pk, "starts_on": _today_s()},
        },
    ),
    "programmes:assignment_edit": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=lambda w: {
            "pk": w.case.pk,
            "assignment_pk": _setup(w, participation=True).assignment.pk,  # type: ignore[union-attr]
        },
        methods={
            "GET": None,
            "POST": lambda w: {"starts_on": w.case.opened_on.isoformat(), "ends_on": _today_s()},
        },
    ),
    "programmes:budget_entry_add": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case_with_participation,
        methods={"GET": None, "POST": lambda w: _cost(w, api=False)},
    ),
    "programmes:referrals": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"purpose": "25b"}},
    ),
    "programmes:referral_detail": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_referral_kwargs(AbhReferral.State.DRAFT),
        methods={"GET": None, "POST": _precheck_form},
    ),
    "programmes:referral_forward": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_referral_kwargs(AbhReferral.State.DRAFT),
        methods={"GET": None, "POST": _forward},
    ),
    "programmes:referral_answer": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_referral_kwargs(AbhReferral.State.FORWARDED),
        methods={"GET": None, "POST": _answer_html},
    ),
    "programmes:referral_close": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_referral_kwargs(AbhReferral.State.ANSWERED),
        methods={"POST": lambda w: {"version": 1}},
    ),
    "programmes:overview": Endpoint(
        Scope.TRAEGER, api=False, methods={"GET": None}, kwargs=lambda w: (_setup(w), {})[1]
    ),
    "programmes:budgets": Endpoint(
        Scope.TRAEGER,
        api=False,
        kwargs=lambda w: (_setup(w), {})[1],
        methods={
            "GET": None,
            "POST": lambda w: {
                "module": _setup(w).module.pk,
                "year": _today().year + 1,
                "amount": "1000",
                "warning_percent": 90,
            },
        },
    ),
    # JSON API.
    "api:person-programme-eligibility": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=lambda w: (_setup(w), {"pk": w.person.pk})[1],
        methods={"GET": lambda w: {"programme": w.programme.pk, "intake_date": _today_s()}},
    ),
    "api:case-participation": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"intake_date": _today_s()}},
    ),
    "api:case-participation-modules": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case_with_participation,
        methods={
            "GET": None,
            "POST": lambda w: {"module": _setup(w).module.pk, "starts_on": _today_s()},
        },
    ),
    "api:case-participation-costs": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case_with_participation,
        methods={"GET": None, "POST": lambda w: _cost(w, api=True)},
    ),
    "api:abh-referral-list": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_case,
        methods={"GET": None, "POST": lambda w: {"purpose": "25a"}},
    ),
    "api:abh-referral-detail": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_referral_kwargs(AbhReferral.State.DRAFT),
        methods={
            "GET": None,
            "PATCH": lambda w: {"version": 1, "items": [{"key": "livelihood", "status": "met"}]},
        },
    ),
    "api:abh-referral-forward": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_referral_kwargs(AbhReferral.State.DRAFT),
        methods={"POST": _forward},
    ),
    "api:abh-referral-answer": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_referral_kwargs(AbhReferral.State.FORWARDED),
        methods={
            "POST": lambda w: {
                "version": 1,
                "answered_on": _today_s(),
                "missing_documents": ["Pass"],
                "next_steps": "Termin",
            }
        },
    ),
    "api:abh-referral-close": Endpoint(
        Scope.OBJECT,
        api=True,
        kwargs=_referral_kwargs(AbhReferral.State.ANSWERED),
        methods={"POST": lambda w: {"version": 1}},
    ),
}

CASE_HTML_GET = (302, 200, 200, 403, 403, 403, 403, 403, 404, 404)
CASE_HTML_POST = (302, 302, 302, 403, 403, 403, 403, 403, 404, 404)
CASE_API_GET = (401, 200, 200, 403, 403, 403, 403, 403, 404, 404)
CASE_API_201 = (401, 201, 201, 403, 403, 403, 403, 403, 404, 404)

# fmt: off
#                                                       anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("programmes:eligibility", "GET"):                  CASE_HTML_GET,
    ("programmes:eligibility", "POST"):                 CASE_HTML_POST,
    ("programmes:participation", "GET"):                CASE_HTML_GET,
    ("programmes:participation", "POST"):               CASE_HTML_POST,
    ("programmes:assignment_add", "GET"):               CASE_HTML_GET,
    ("programmes:assignment_add", "POST"):              CASE_HTML_POST,
    ("programmes:assignment_edit", "GET"):              CASE_HTML_GET,
    ("programmes:assignment_edit", "POST"):             CASE_HTML_POST,
    ("programmes:budget_entry_add", "GET"):             CASE_HTML_GET,
    ("programmes:budget_entry_add", "POST"):            CASE_HTML_POST,
    ("programmes:referrals", "GET"):                    CASE_HTML_GET,
    ("programmes:referrals", "POST"):                   CASE_HTML_POST,
    ("programmes:referral_detail", "GET"):              CASE_HTML_GET,
    ("programmes:referral_detail", "POST"):             CASE_HTML_POST,
    ("programmes:referral_forward", "GET"):             CASE_HTML_GET,
    ("programmes:referral_forward", "POST"):            CASE_HTML_POST,
    ("programmes:referral_answer", "GET"):              CASE_HTML_GET,
    ("programmes:referral_answer", "POST"):             CASE_HTML_POST,
    ("programmes:referral_close", "POST"):              CASE_HTML_POST,
    ("programmes:overview", "GET"):                     (302, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    ("programmes:budgets", "GET"):                      (302, 403, 200, 200, 403, 200, 403, 403, 403, 403),
    ("programmes:budgets", "POST"):                     (302, 403, 302, 403, 403, 302, 403, 403, 403, 403),
    ("api:person-programme-eligibility", "GET"):        CASE_API_GET,
    ("api:case-participation", "GET"):                  CASE_API_GET,
    ("api:case-participation", "POST"):                 CASE_API_201,
    ("api:case-participation-modules", "GET"):          CASE_API_GET,
    ("api:case-participation-modules", "POST"):         CASE_API_201,
    ("api:case-participation-costs", "GET"):            CASE_API_GET,
    ("api:case-participation-costs", "POST"):           CASE_API_201,
    ("api:abh-referral-list", "GET"):                   CASE_API_GET,
    ("api:abh-referral-list", "POST"):                  CASE_API_201,
    ("api:abh-referral-detail", "GET"):                 CASE_API_GET,
    ("api:abh-referral-detail", "PATCH"):               CASE_API_GET,
    ("api:abh-referral-forward", "POST"):               CASE_API_GET,
    ("api:abh-referral-answer", "POST"):                CASE_API_GET,
    ("api:abh-referral-close", "POST"):                 CASE_API_GET,
}
# fmt: on
