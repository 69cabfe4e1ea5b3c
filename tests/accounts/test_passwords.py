"""Password rules (ASVS 2.1) and the password change page."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"


def _errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    "password",
    [
        "zwölf Zeichen",  # 13 with a space and an umlaut
        "correct horse battery staple",
        "Ταχίστη αλώπηξ βαφής",
        "кошка собака мышь",
        "a" * 6 + " " + "b" * 121,  # 128
        "abcdefghijkl",  # no composition rules: lower case letters only are fine
    ],
)
def test_accepted(password):
    assert _errors(password) == []


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("kurz-11-zei", "password_too_short"),
        ("x" * 129, "password_too_long"),
        ("password1234", "password_too_common"),
        ("qwerty123456", "password_too_common"),
    ],
)
def test_refused(password, code):
    assert code in _errors(password)


def test_similar_to_the_user_name_is_refused(case_manager):
    case_manager.first_name = "Hildegard"
    case_manager.last_name = "Wunderlich"
    assert "password_too_similar" in _errors("Wunderlich1234", case_manager)


def test_messages_are_german(case_manager):
    from django.utils import translation

    with translation.override("de"):
        try:
            validate_password("kurz", case_manager)
        except ValidationError as error:
            text = " ".join(error.messages)
    assert "zu kurz" in text and "12 Zeichen" in text


def test_change_needs_the_current_password(client, case_manager):
    client.force_login(case_manager)
    assert client.get(reverse("password_change")).status_code == 200
    wrong = client.post(
        reverse("password_change"),
        {
            "old_password": "falsch",
            "new_password1": "ein langer neuer Satz",
            "new_password2": "ein langer neuer Satz",
        },
    )
    assert wrong.status_code == 422 and "old_password" in wrong.context["form"].errors
    too_short = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "kurz", "new_password2": "kurz"},
    )
    assert too_short.status_code == 422 and "new_password2" in too_short.context["form"].errors

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "  ein langer neuer Satz  ",
            "new_password2": "  ein langer neuer Satz  ",
        },
    )

    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.check_password("  ein langer neuer Satz  ")  # spaces kept as typed
    assert client.get(reverse("cases:my_cases")).status_code == 200  # this session stays


def test_change_ends_the_other_sessions(client, case_manager):
    other = client.__class__()
    other.force_login(case_manager)
    client.force_login(case_manager)
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ein langer neuer Satz",
            "new_password2": "ein langer neuer Satz",
        },
    )
    assert other.get(reverse("cases:my_cases")).status_code == 302


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
