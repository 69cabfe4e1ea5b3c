"""The admin (/verwaltung/) passes axe-core like the rest of Lotse (issue 11).

Signed in as the demo administrator through the real login form. The URL list is generated
from ``admin.site._registry``, so a newly registered model is checked without touching this
file: the index, every changelist and add form the administrator may open, and the change form
of the first row of each model. One browser page is reused for all of them.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from lotse.accounts.models import User
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO = True  # demo accounts skip the second factor only in demo mode
    call_command("loaddemo", size=1, stdout=StringIO())


def admin_urls(user: User) -> list[str]:
    """The admin pages ``user`` may open: index, changelists, add forms, one change form each."""
    request = RequestFactory().get("/verwaltung/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if not model_admin.has_view_permission(request):
            continue
        urls.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{name}_add"))
        row = model_admin.get_queryset(request).order_by("pk").first()
        if row is not None:
            urls.append(reverse(f"{name}_change", args=[row.pk]))
    return urls


@pytest.mark.slow
def test_every_admin_page_passes_axe(page, live_server, demo):
    page.set_default_timeout(60_000)  # a busy CI machine; no assertion on time
    page.goto(f"{live_server.url}/anmelden/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    urls = admin_urls(User.objects.get(username="admin"))
    assert len(urls) > 30, urls  # the configuration models and the users at least

    failures = []
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        if violations := axe_violations(page):
            failures.append("\n".join([url, *violations]))
    assert not failures, "\n\n".join(failures)
