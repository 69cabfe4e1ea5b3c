"""Every demo user signs in through the real form and lands on a page made for their role.

Issue 9: coordinators, partners, admins and data protection officers landed on "403 – Kein
Zugriff" because the sign-in always went to the case list.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from lotse.accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo"

#: username → (path landed on, <h1> text) for the fixed demo users.
LANDINGS = {
    "casemanager": ("/start/", "Meine Woche"),
    "teamlead": ("/start/", "Mein Team"),
    "coordinator": ("/region/", "Region: Sozialräume und Programme"),
    "moderator": ("/region/", "Region: Sozialräume und Programme"),
    "jobcenter": ("/partner/personen/", "Für uns freigegebene Personen"),
    "admin": ("/verwaltung/", "Konfiguration"),
    "dpo": ("/protokoll/", "Zugriffsprotokoll"),
}
#: The demo creates one case manager per further post (casemanager2…, teilhabe1…).
FURTHER_CASE_MANAGERS = re.compile(r"^(casemanager\d+|teilhabe\d+)$")

NAV_LINK = re.compile(r'<a class="lotse-nav__link" href="([^"]+)"')


def _h1(html: str) -> str:
    """The page's main heading (the admin's site name is an h1 too: take the content's)."""
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    texts = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in headings]
    return texts[-1] if texts else ""


@pytest.fixture
def demo(settings):
    settings.DEMO = True  # the demo users sign in without a second factor only in demo mode
    call_command("loaddemo", size=6, stdout=StringIO())
    return list(
        User.objects.filter(email__endswith="@demo.lotse.invalid").values_list(
            "username", flat=True
        )
    )


def _sign_in(client, username: str):
    return client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )


def test_every_demo_user_lands_on_the_page_made_for_their_role(client, demo):
    assert set(LANDINGS) <= set(demo)
    further = [name for name in demo if FURTHER_CASE_MANAGERS.match(name)]
    assert len(further) >= 2, demo
    assert set(demo) == set(LANDINGS) | set(further), "a demo user without an expected page"

    expected = dict(LANDINGS) | {name: ("/start/", "Meine Woche") for name in further}
    for username, (path, heading) in expected.items():
        client.logout()
        response = _sign_in(client, username)
        assert response.status_code == 200, username
        assert response.request["PATH_INFO"] == path, username
        html = response.content.decode()
        assert _h1(html) == heading, (username, _h1(html))
        assert "Kein Zugriff" not in html


def test_no_navigation_link_of_any_demo_user_leads_to_a_403(client, demo):
    for username in demo:
        client.logout()
        assert _sign_in(client, username).status_code == 200
        # Any Lotse page carries the navigation (the admin's landing page has its own frame).
        page = client.get(reverse("accessibility"))
        links = set(NAV_LINK.findall(page.content.decode()))
        assert reverse("start") in links, username
        for link in links:
            status = client.get(link, follow=True).status_code  # /start/ may send on
            assert status == 200, (username, link, status)


def test_the_case_managers_start_page_is_their_week(client, demo):
    from lotse.core.week import Urgency

    _sign_in(client, "casemanager")
    response = client.get(reverse("start"))
    week = response.context["week"]
    assert [group.urgency for group in week.groups] == [
        Urgency.OVERDUE,
        Urgency.TODAY,
        Urgency.WEEK,
    ]
    html = response.content.decode()
    for group in week.groups:
        assert f"{group.label} ({group.count})" in html
        for item in group.rows:
            assert item.url in html


def test_the_team_leads_start_page_shows_every_post_of_the_organisation(client, demo):
    from lotse.directory.models import CaseManagementPost

    _sign_in(client, "teamlead")
    team = client.get(reverse("start")).context["team"]
    lead = User.objects.get(username="teamlead")
    posts = CaseManagementPost.objects.filter(organisation_id=lead.organisation_id)
    assert [row.post.pk for row in team.posts] and {row.post.pk for row in team.posts} == set(
        posts.values_list("pk", flat=True)
    )
    own = next(row for row in team.posts if row.post.holder.username == "casemanager")
    assert own.open_cases == 6 + 1  # the demo size plus the Rahimi family (demo/family.py)
