"""Seed the canary values (``tests.canaries``) through pages, the API, exports and error paths.

The plugin ``tests.plugins.canary`` fails the whole session if one of them shows up in any log
record, warning or captured output; these tests make sure there is something to find.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.cases.models import TimelineEntry
from tests.access.endpoints import ENDPOINTS
from tests.access.world import build_world
from tests.canaries import DIAGNOSIS, PASSWORD
from tests.plugins.canary import CanaryDetector, format_record

PASSWORD_INPUT = re.compile(
    r'<input[^>]*type="password"[^>]*name="([^"]+)"|'
    r'<input[^>]*name="([^"]+)"[^>]*type="password"'
)


def _get_every_page(client: Client, api: APIClient, world: Any) -> dict[str, int]:
    """GET every classified URL (pages, API, exports) as the signed-in user."""
    answers: dict[str, int] = {}
    for name, endpoint in ENDPOINTS.items():
        if "GET" not in endpoint.methods:
            continue
        url = endpoint.url(name, world)
        answers[name] = (api if endpoint.api else client).get(url).status_code
    return answers


@pytest.mark.slow
@pytest.mark.sweep
@pytest.mark.django_db
def test_diagnosis_through_pages_api_exports_and_error_paths() -> None:
    world = build_world()
    person, case = world.person, world.case
    person.health_notes = DIAGNOSIS
    person.save()
    TimelineEntry.objects.filter(pk=world.entry.pk).update(text=DIAGNOSIS)
    client = Client()
    client.force_login(world.case_manager)
    api = APIClient()
    api.force_login(world.case_manager)

    # Writes that carry the diagnosis, through the HTML forms and the API.
    ok = client.post(
        reverse("cases:timeline_add", kwargs={"pk": case.pk}),
        {"kind": "note", "title": "Gespräch", "text": DIAGNOSIS},
    )
    assert ok.status_code == 302
    created = api.post(
        reverse("api:case-timeline", kwargs={"pk": case.pk}),
        {"kind": "note", "title": "Telefonat", "text": DIAGNOSIS},
        format="json",
    )
    assert created.status_code == 201
    field = world.field_of_action.pk
    assessment_url = reverse("api:case-assessment", kwargs={"pk": case.pk, "field_pk": field})
    version = api.get(assessment_url).json()["version"]
    assessed = api.put(
        assessment_url, {"version": version, "needs": DIAGNOSIS, "goals": DIAGNOSIS}, format="json"
    )
    assert assessed.status_code == 200, assessed.content

    # Error paths with the diagnosis in the submitted data: form errors, conflicts, bad input.
    invalid_form = client.post(
        reverse("cases:timeline_add", kwargs={"pk": case.pk}),
        {"kind": "note", "title": "", "text": DIAGNOSIS},
    )
    assert invalid_form.status_code == 422
    stale_form = client.post(
        reverse("cases:edit", kwargs={"pk": case.pk}),
        {
            "programme": world.programme.pk,
            "opened_on": "2026-10-05",
            "case_manager": world.case_manager.pk,
            "summary": DIAGNOSIS,
            "version": case.version + 5,
        },
    )
    assert stale_form.status_code == 409
    stale_api = api.patch(
        reverse("api:case-detail", kwargs={"pk": case.pk}),
        {"summary": DIAGNOSIS, "version": case.version + 5},
        format="json",
    )
    assert stale_api.status_code == 409
    stale_assessment = api.put(
        assessment_url, {"version": version, "needs": DIAGNOSIS}, format="json"
    )
    assert stale_assessment.status_code == 409
    invalid_api = api.post(
        reverse("api:case-timeline", kwargs={"pk": case.pk}),
        {"kind": "no-such-kind", "title": "x" * 400, "text": DIAGNOSIS},
        format="json",
    )
    assert invalid_api.status_code == 400

    # Every page, API resource and export shows the stored diagnosis somewhere.
    answers = _get_every_page(client, api, world)
    assert answers["cases:detail"] == 200
    assert answers["api:case-timeline"] == 200
    assert not [name for name, code in answers.items() if code >= 500], answers
    # The case team's lead and the data protection officer read it too (audit log, search).
    for role in ("team_lead", "data_protection"):
        other = Client()
        other.force_login(world.users[role])
        other_api = APIClient()
        other_api.force_login(world.users[role])
        _get_every_page(other, other_api, world)


@pytest.mark.django_db
def test_password_through_sign_in_and_every_password_form() -> None:
    world = build_world()
    user = world.case_manager
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    login = reverse("login")
    wrong = client.post(login, {"username": user.username, "password": PASSWORD + "-falsch"})
    assert wrong.status_code == 200  # the form again, with an error
    wrong_user = client.post(login, {"username": PASSWORD, "password": PASSWORD})
    assert wrong_user.status_code == 200
    right = client.post(login, {"username": user.username, "password": PASSWORD})
    assert right.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)

    # Every page with a password input (password change, re-authentication, …) gets the
    # canary in each of its password fields, once wrong and once right.
    signed_in = Client()
    signed_in.force_login(user)
    forms: set[str] = set()
    for name, endpoint in ENDPOINTS.items():
        if endpoint.api or "GET" not in endpoint.methods:
            continue
        url = endpoint.url(name, world)
        page = signed_in.get(url)
        if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
            continue
        fields = {a or b for a, b in PASSWORD_INPUT.findall(page.content.decode())}
        if not fields:
            continue
        forms.add(name)
        for value in (PASSWORD + "-falsch", PASSWORD):
            assert signed_in.post(url, dict.fromkeys(fields, value)).status_code < 500
    assert {"password_change", "reauth"} <= forms, forms


def test_the_detector_finds_a_canary_in_message_traceback_and_extra() -> None:
    """A separate detector on a logger that does not propagate: the session stays green."""
    detector = CanaryDetector()
    logger = logging.getLogger("tests.canary-selftest")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(detector)
    try:
        logger.debug("harmlos")
        assert detector.findings == []
        logger.debug("Notiz: %s", DIAGNOSIS)
        try:
            raise ValueError(PASSWORD)
        except ValueError:
            logger.error("Fehler beim Speichern", exc_info=True)
        logger.info("Anfrage", extra={"body": {"password": PASSWORD}})
        logger.warning("URL /suche?q=%s", "Kanarien-Passwort-9%21xQ")
    finally:
        logger.removeHandler(detector)
    assert [f.canary for f in detector.findings] == [DIAGNOSIS, PASSWORD, PASSWORD, PASSWORD]
    assert all(f.source.startswith("logger 'tests.canary-selftest'") for f in detector.findings)


def test_format_record_includes_extra_and_traceback() -> None:
    try:
        raise RuntimeError("innen")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "außen", None, sys.exc_info())
    record.request_body = "Nutzdaten"
    text = format_record(record)
    assert "außen" in text
    assert "RuntimeError: innen" in text
    assert "Nutzdaten" in text


#: Loggers whose DEBUG records carry personal data: SQL with its parameters, and the repr of
#: the object a template variable lookup failed on (e.g. the answers of an assessment).
DATA_BEARING_DEBUG_LOGGERS = ("django.db.backends", "django.template")


@pytest.mark.parametrize("name", DATA_BEARING_DEBUG_LOGGERS)
def test_data_bearing_debug_logging_is_not_enabled_in_any_settings(name: str) -> None:
    """Never at DEBUG, not even with ``LOTSE_LOG_LEVEL=DEBUG`` and ``LOTSE_DEBUG=1``."""
    configured = settings.LOGGING.get("loggers", {}).get(name, {})
    assert logging.getLevelName(configured.get("level", "NOTSET")) > logging.DEBUG
    probe = (
        "import logging, django; django.setup(); "
        "from django.conf import settings; "
        f"print(logging.getLogger({name!r}).getEffectiveLevel(), settings.DEBUG, "
        "logging.getLogger().getEffectiveLevel())"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "lotse.settings",
        "LOTSE_DEBUG": "1",
        "LOTSE_LOG_LEVEL": "DEBUG",
        "PATH": "/usr/bin:/bin",
    }
    level, debug, root = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert (debug, root) == ("True", str(logging.DEBUG))  # everything else speaks at DEBUG
    assert int(level) > logging.DEBUG
