"""The HTML pages: section link, draft editor (422/409), closed cases, history, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lotse.agreements import services
from lotse.agreements.models import Agreement
from lotse.cases.models import Phase


@pytest.fixture
def web(case_manager) -> Client:
    client = Client()
    client.force_login(case_manager)
    return client


def draft_post(draft, field_of_action, today, **goal) -> dict:
    row = {
        "field_of_action": field_of_action.pk,
        "what": "Beratung zur Anerkennung wahrnehmen",
        "indicator": "Termin hat stattgefunden",
        "responsible": "client",
        "due_on": (today + dt.timedelta(days=30)).isoformat(),
        **goal,
    }
    data = {
        "version": draft.version,
        "language": "ar",
        "goals-TOTAL_FORMS": 2,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 30,
    }
    data.update({f"goals-0-{key}": value for key, value in row.items()})
    return data  # row 1 stays empty: an untouched extra row is ignored


def test_case_page_links_the_agreement(web, case):
    response = web.get(reverse("cases:detail", args=[case.pk]))

    assert reverse("agreements:detail", args=[case.pk]).encode() in response.content


def test_saving_the_draft_replaces_its_goals(web, draft, field_of_action, today):
    response = web.post(
        reverse("agreements:edit", args=[draft.case_id]), draft_post(draft, field_of_action, today)
    )

    assert response.status_code == 302
    assert [g.what for g in draft.goals.all()] == ["Beratung zur Anerkennung wahrnehmen"]


def test_smart_errors_come_back_at_the_row_with_422(web, draft, field_of_action, today):
    response = web.post(
        reverse("agreements:edit", args=[draft.case_id]),
        draft_post(draft, field_of_action, today, indicator="", due_on=today.isoformat()),
    )

    assert response.status_code == 422
    formset = response.context["formset"]
    assert set(formset.forms[0].errors) == {"indicator", "due_on"}
    assert draft.goals.count() == 2


def test_stale_form_is_409_and_keeps_the_input(web, draft, field_of_action, today):
    data = draft_post(draft, field_of_action, today)
    data["version"] = draft.version - 1

    response = web.post(reverse("agreements:edit", args=[draft.case_id]), data)

    assert response.status_code == 409
    assert b"Beratung zur Anerkennung wahrnehmen" in response.content
    assert draft.goals.count() == 2


def test_agree_and_start_a_new_version(web, draft, today):
    response = web.post(
        reverse("agreements:agree", args=[draft.case_id]),
        {"version": draft.version, "agreed_on": today.isoformat(), "signed_by_client": "on"},
    )
    assert response.status_code == 302

    response = web.post(reverse("agreements:start", args=[draft.case_id]))

    assert response.status_code == 302
    assert list(
        Agreement.objects.filter(case=draft.case).order_by("number").values_list("status")
    ) == [("agreed",), ("draft",)]


def test_agree_errors_name_the_goal(web, draft, today):
    response = web.post(
        reverse("agreements:agree", args=[draft.case_id]),
        {"version": draft.version, "agreed_on": (today + dt.timedelta(days=2)).isoformat()},
    )

    assert response.status_code == 422
    assert "agreed_on" in response.context["agree_form"].errors


def test_closed_case_shows_no_edit_controls_and_refuses_posts(web, draft, field_of_action, today):
    case = draft.case
    case.phase = Phase.CLOSED
    case.save()

    page = web.get(reverse("agreements:detail", args=[case.pk]))
    post = web.post(
        reverse("agreements:edit", args=[case.pk]), draft_post(draft, field_of_action, today)
    )

    assert page.status_code == 200
    assert reverse("agreements:edit", args=[case.pk]).encode() not in page.content
    assert post.status_code == 422
    assert draft.goals.count() == 2


def test_history_and_old_versions_stay_readable(web, agreed, case_manager, goals):
    draft = services.agreement_start(actor=case_manager, case=agreed.case)
    services.agreement_update_draft(
        actor=case_manager, agreement=draft, expected_version=draft.version, goals=[goals[1]]
    )
    services.agreement_agree(actor=case_manager, agreement=draft, expected_version=2)

    history = web.get(reverse("agreements:history", args=[agreed.case_id]))
    first = web.get(reverse("agreements:version", args=[agreed.case_id, 1]))
    missing = web.get(reverse("agreements:version", args=[agreed.case_id, 9]))

    assert history.status_code == 200
    assert [v.number for v in history.context["versions"]] == [2, 1]
    assert b"Deutschkenntnisse auf Niveau A2 erreichen" in first.content
    assert missing.status_code == 404


def test_detail_query_count_does_not_grow(
    web, agreed, case_manager, goals, django_assert_max_num_queries
):
    url = reverse("agreements:detail", args=[agreed.case_id])
    with django_assert_max_num_queries(40) as small:
        web.get(url)
    draft = services.agreement_start(actor=case_manager, case=agreed.case)
    services.agreement_update_draft(
        actor=case_manager, agreement=draft, expected_version=draft.version, goals=goals * 5
    )

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = web.get(url)

    assert response.status_code == 200


def test_the_next_draft_shows_the_last_interim_evaluation(web, agreed, case_manager):
    from lotse.cases.services import AttainmentInput, case_evaluate

    case = agreed.case
    case.phase = Phase.MONITORING
    case.save()
    first, second = agreed.goals.order_by("position")
    case_evaluate(
        actor=case_manager,
        case=case,
        attainments=[
            AttainmentInput(agreement_goal=first, level="partly", note="Kurs läuft"),
            AttainmentInput(agreement_goal=second, level="reached"),
        ],
        assessment="Termin beim Jobcenter wahrgenommen",
    )
    services.agreement_start(actor=case_manager, case=case)

    page = web.get(reverse("agreements:edit", args=[case.pk])).content.decode()

    assert "Letzte Zwischenbewertung" in page
    assert first.what in page and "Kurs läuft" in page
    assert "Termin beim Jobcenter wahrgenommen" in page
