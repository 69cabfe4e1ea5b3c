"""Error pages: German frame, right status, and no dependency on request user or database."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import loader
from django.test import RequestFactory

from lotse.core import views


def _h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "page has no <h1>"
    return " ".join(match.group(1).split())


@pytest.mark.django_db
def test_unknown_url_renders_the_404_page(client):
    response = client.get("/diese-seite-gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert _h1(html)
    assert 'id="inhalt"' in html
    assert "404" in html
    assert 'href="#inhalt">Zum Inhalt springen</a>' in html


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (views.bad_request, 400),
        (views.permission_denied, 403),
        (views.page_not_found, 404),
    ],
)
def test_client_error_handlers_render_without_database(handler, status):
    # No django_db mark: any database query in the handler or template raises here.
    request = RequestFactory().get("/irgendwo/")
    request.user = AnonymousUser()

    response = handler(request, Exception("detail that must not be shown"))

    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert str(status) in html
    assert "detail that must not be shown" not in html


def test_server_error_renders_without_user_and_without_database():
    # A request that never went through the auth middleware: no request.user at all.
    request = RequestFactory().get("/kaputt/")
    request.request_id = "abc123def456"

    response = views.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert _h1(html)
    assert "abc123def456" in html  # reference number for the support desk


def test_error_template_renders_from_a_bare_context():
    html = loader.get_template("core/error.html").render({"status": 403})

    assert '<html lang="de">' in html
    assert "403" in html
    assert "Abmelden" not in html and "/abmelden/" not in html  # no user menu without a user
