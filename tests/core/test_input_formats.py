"""German input formats: amounts and decimals (1.200,50), and the limit on free texts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from lotse.core.forms import EuroField, FreeTextField, GermanDecimalField


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.200,50", Decimal("1200.50")),
        ("1200,50", Decimal("1200.50")),
        ("1 200,50 €", Decimal("1200.50")),
        ("1\u00a0200,50\u00a0€", Decimal("1200.50")),
        ("1200", Decimal("1200")),
        ("1.200", Decimal("1200")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("0,05", Decimal("0.05")),
    ],
)
def test_amounts_in_german_notation_are_accepted(typed, amount):
    assert EuroField().clean(typed) == amount


@pytest.mark.parametrize("typed", ["1,200.50", "12.50", "1.20,5", "1,2,3", "zwölf", "1e3"])
def test_english_or_ambiguous_notation_is_refused_in_german(typed):
    with pytest.raises(ValidationError) as raised:
        EuroField().clean(typed)
    assert raised.value.messages == [
        "Bitte den Betrag im deutschen Format eingeben, z. B. 1.200,50 (Komma vor den Cent)."
    ]


def test_amounts_are_shown_in_german_notation_and_converted_to_cents():
    field = EuroField()
    assert field.prepare_value(Decimal("1200.5")) == "1.200,50"
    assert EuroField.cents(Decimal("1200.505")) == 120051


def test_a_decimal_field_takes_the_comma():
    field = GermanDecimalField(max_digits=6, decimal_places=1)
    assert field.clean("14,5") == Decimal("14.5")
    with pytest.raises(ValidationError) as raised:
        field.clean("14.5")
    assert raised.value.messages == [
        "Bitte eine Zahl im deutschen Format eingeben, z. B. 1.200,50."
    ]


def test_a_free_text_over_the_limit_names_limit_and_count_in_german():
    field = FreeTextField(widget=forms.Textarea)
    assert field.clean("x" * 20_000) == "x" * 20_000
    with pytest.raises(ValidationError) as raised:
        field.clean("x" * 25_312)
    assert raised.value.messages == ["Höchstens 20.000 Zeichen (eingegeben: 25.312)."]
    # No maxlength on a text area: browsers would cut pasted text without a word.
    assert "maxlength" not in field.widget_attrs(field.widget)


def test_a_title_keeps_its_own_limit_and_the_browser_stops_typing_there():
    field = FreeTextField(max_length=300)
    with pytest.raises(ValidationError) as raised:
        field.clean("x" * 301)
    assert raised.value.messages == ["Höchstens 300 Zeichen (eingegeben: 301)."]
    assert field.widget_attrs(field.widget)["maxlength"] == "300"


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_free_text_of_our_forms_and_serializers_has_a_limit():
    """Policy: a form or API field for text without a limit would take a 9 MB note again."""
    import importlib
    import pkgutil

    from rest_framework import serializers

    import lotse

    for module in pkgutil.walk_packages(lotse.__path__, "lotse."):
        if not any(part in module.name for part in (".migrations", ".management", "settings")):
            importlib.import_module(module.name)
    unlimited = []
    for form in set(_all_subclasses(forms.BaseForm)):
        if not form.__module__.startswith("lotse.") or form.__module__.startswith(
            "lotse.accounts.security"  # Django's sign-in form
        ):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if (
                isinstance(field, forms.CharField)
                and field.max_length is None
                and (
                    "password" not in name  # Django's password forms: hashed, never stored as text
                )
            ):
                unlimited.append(f"{form.__module__}.{form.__name__}.{name}")
    for serializer in set(_all_subclasses(serializers.Serializer)):
        if not serializer.__module__.startswith("lotse."):
            continue
        for name, field in serializer().fields.items():
            if (
                isinstance(field, serializers.CharField)
                and not field.read_only
                and field.max_length is None
                and name != "cursor"  # checked by the signed keyset cursor
            ):
                unlimited.append(f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert unlimited == []
