"""Generated: every partner endpoint × consent state × actor — no value of a category that is not
granted in any response.

The person holds a distinctive canary value in every personal field (see ``conftest``). For
each combination the test computes what *should* be granted, calls every partner URL (HTML and
API, list and detail) and asserts:

- no canary of a category outside the grant appears (status code irrelevant);
- the values that are never shared (timeline, case summary and number, unmapped assessments,
  household members without their own consent) never appear;
- with a grant, the detail responses do contain the canaries of every granted category — so the
  test would notice a page that shows nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.consent.models import Consent
from tests.sharing.conftest import ALL, CANARIES, NEVER, Shared

SUBSET = ("identity", "education_work")


def _none(s: Shared) -> tuple[str, ...]:
    return ()


def _valid_all(s: Shared) -> tuple[str, ...]:
    s.consent(ALL)
    return ALL


def _valid_subset(s: Shared) -> tuple[str, ...]:
    s.consent(SUBSET)
    return SUBSET


def _health_only(s: Shared) -> tuple[str, ...]:
    s.consent(("health",))
    return ("health",)


def _withdrawn(s: Shared) -> tuple[str, ...]:
    consent = s.consent(ALL)
    Consent.objects.filter(pk=consent.pk).update(
        withdrawn_at=timezone.now() - dt.timedelta(minutes=1), withdrawn_by=s.case_manager
    )
    return ()


def _expired(s: Shared) -> tuple[str, ...]:
    today = timezone.localdate()
    s.consent(ALL, valid_from=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(1))
    return ()


def _not_yet_valid(s: Shared) -> tuple[str, ...]:
    s.consent(ALL, valid_from=timezone.localdate() + dt.timedelta(days=1))
    return ()


def _superseded_by_subset(s: Shared) -> tuple[str, ...]:
    old = s.consent(ALL)
    s.consent(SUBSET, supersedes=old)
    return SUBSET


def _other_organisation(s: Shared) -> tuple[str, ...]:
    s.consent(ALL, recipients=[s.other_org])
    return ()


def _other_traeger(s: Shared) -> tuple[str, ...]:
    # Even a (corrupt) row naming another Träger's organisation opens nothing there.
    s.consent(ALL, recipients=[s.b_partner.organisation])
    return ()


#: consent state → builds it and returns what it grants to the partner of ``partner_org``.
STATES: dict[str, Callable[[Shared], tuple[str, ...]]] = {
    "none": _none,
    "valid_all": _valid_all,
    "valid_subset": _valid_subset,
    "health_only": _health_only,
    "withdrawn": _withdrawn,
    "expired": _expired,
    "not_yet_valid": _not_yet_valid,
    "superseded_by_subset": _superseded_by_subset,
    "other_organisation": _other_organisation,
    "other_traeger": _other_traeger,
}

ACTORS = (
    "anonymous",
    "partner",
    "partner_other_organisation",
    "partner_other_traeger",
    "case_management_team",
    "case_management_in_partner_org",
    "team_lead_in_partner_org",
    "coordination_in_partner_org",
    "administration_in_partner_org",
    "data_protection_in_partner_org",
    "no_role_in_partner_org",
)


def _granted_to(actor: str, state: str, granted: tuple[str, ...]) -> tuple[str, ...]:
    """What the actor must see: the partner gets the grant; in the "other …" states the consent
    names the other partner's organisation, which sees it only inside its own Träger."""
    if actor == "partner":
        return granted
    if actor == "partner_other_organisation" and state == "other_organisation":
        return ALL
    return ()


def _responses(s: Shared, actor: str) -> dict[str, Any]:
    user = s.users[actor]
    client = Client()
    if user is not None:
        client.force_login(user)
    pk = s.person.pk
    return {
        "html list": client.get(reverse("sharing:persons")),
        "html detail": client.get(reverse("sharing:person", args=[pk])),
        "api list": client.get(reverse("api:partner-person-list")),
        "api detail": client.get(reverse("api:partner-person-detail", args=[pk])),
    }


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", list(STATES))
def test_no_value_of_a_category_that_is_not_granted(shared: Shared, state: str, actor: str):
    granted = _granted_to(actor, state, STATES[state](shared))
    hidden = [
        spelling
        for category in ALL
        if category not in granted
        for value in CANARIES[category]
        for spelling in value.split("|")
    ]

    for name, response in _responses(shared, actor).items():
        body = response.content.decode()
        leaked = [value for value in (*hidden, *NEVER) if value in body]
        assert not leaked, f"{name} ({response.status_code}) shows {leaked}"
        if granted and name.endswith("detail"):
            assert response.status_code == 200, name
            missing = [
                value
                for category in granted
                for value in CANARIES[category]
                if not any(spelling in body for spelling in value.split("|"))
            ]
            assert not missing, f"{name} misses granted values {missing}"
        elif name.endswith("detail"):
            # Without a grant the person does not exist for the actor (or the page is closed).
            assert response.status_code in (302, 401, 403, 404), name
        if "identity" in granted and name.endswith("list"):
            assert "Kanariennachname" in body, name


# -- tasks for the partner organisation ------------------------------------------------------

TASK_TITLE = "CANARY-TASK-TITLE"
TASK_CATEGORIES = ("identity", "education_work")


def _task_responses(client: Client, task_pk: int) -> dict[str, Any]:
    return {
        "html list": client.get(reverse("assignments:mine")),
        "html detail": client.get(reverse("assignments:detail", args=[task_pk])),
        "api list": client.get(reverse("api:task-list")),
        "api detail": client.get(reverse("api:task-detail", args=[task_pk])),
    }


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", list(STATES))
def test_a_partner_task_only_while_its_categories_are_granted(
    shared: Shared, state: str, actor: str
):
    """A task for the partner organisation passes identity and education/work on: the partner
    sees it (and the name) only while consents in force grant both; the case team always."""
    from lotse.assignments.models import Task

    granted = STATES[state](shared)
    task = Task.objects.create(
        traeger=shared.traeger,
        case=shared.person.cases.get(),
        title=TASK_TITLE,
        due_on=timezone.localdate() + dt.timedelta(days=7),
        owner_organisation=shared.partner_org,
        shared_categories=list(TASK_CATEGORIES),
    )
    visible = (actor == "partner" and set(TASK_CATEGORIES) <= set(granted)) or (
        actor == "case_management_team"
    )
    user = shared.users[actor]
    client = Client()
    if user is not None:
        client.force_login(user)

    for name, response in _task_responses(client, task.pk).items():
        body = response.content.decode()
        if name.endswith("list") and actor == "case_management_team":
            continue  # "Meine Aufgaben" lists the case manager's own tasks only
        assert (TASK_TITLE in body) == visible, f"{name} ({response.status_code})"
        if actor != "case_management_team":  # the case team sees its case file anyway
            leaked = [value for value in NEVER if value in body]
            assert not leaked, f"{name} shows {leaked}"
            assert ("Kanariennachname" in body) == visible, f"{name}: the name"
        if name.endswith("detail") and not visible:
            assert response.status_code in (302, 401, 403, 404), name
