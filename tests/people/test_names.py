"""Name cleaning and the transliteration keys (issue 11: duplicates, issue 14: name search)."""

from __future__ import annotations

import pytest

from lotse.people.names import clean_name, name_key, name_keys, normalise_name

FAMILIES = [
    ["Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad", "Maxamed", "Muhamed", "Mehmet"],
    ["Youssef", "Yusuf", "Yousef", "Yussuf", "Jussuf", "Jusuf"],
    ["Yasmin", "Jasmin"],
    ["Haddad", "Hadad"],
    ["Yılmaz", "Yilmaz", "YILMAZ"],
    ["Khaled", "Chaled", "Khalid", "Haled"],
    ["Mustafa", "Mustapha"],
    ["Fatima", "Fatimah", "Fatma"],
    ["Ahmed", "Ahmad"],
    ["Abdullah", "Abdallah"],
    ["Othman", "Osman", "Uthman"],
    ["Xasan", "Hasan", "Hassan"],
    ["Jamal", "Dschamal", "Djamal"],
    ["Qasim", "Kasim"],
    ["Müller", "Mueller", "Muller"],
]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family[0])
def test_every_spelling_of_a_name_family_has_one_key(family):
    assert len({name_key(normalise_name(name)) for name in family}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [("Mohamad", "Mohamadi"), ("Haddad", "Haddadi"), ("Ali", "Alim"), ("Yusuf", "Yousra")],
)
def test_a_longer_name_is_not_the_same_key(one, other):
    assert name_key(normalise_name(one)) != name_key(normalise_name(other))


@pytest.mark.parametrize(
    ("entered", "stored"),
    [
        ("Mo\u200bhammed", "Mohammed"),  # zero-width space
        ("\u202eHaddad", "Haddad"),  # right-to-left override
        ("Had\u00addad", "Haddad"),  # soft hyphen
        ("Amina\x00", "Amina"),  # C0 control
        ("Amina\x85Nour", "Amina Nour"),  # C1 next line separates words
        ("  Amina \t Nour  ", "Amina Nour"),
        ("Zo\u0065\u0308", "Zoë"),  # decomposed → NFC
        ("\ufeffNour\u2066", "Nour"),  # BOM and bidi isolate
    ],
)
def test_clean_name_removes_invisible_and_control_characters(entered, stored):
    assert clean_name(entered) == stored


def test_clean_name_keeps_other_scripts():
    assert clean_name("محمد \u200cحداد") == "محمد حداد"  # the ZWNJ goes, the letters stay
    assert clean_name("Олена") == "Олена"


def test_name_keys_are_per_word_and_ignore_punctuation():
    assert name_keys("Al-Haddad, Mohammed") == ["l", "hdt", "mhmt"]


@pytest.mark.django_db
def test_the_migration_recomputes_the_keys_of_names_beginning_with_j():
    """Stored keys from before the initial-j rule are rewritten; other rows are left alone."""
    import importlib

    from django.apps import apps

    from lotse.people.models import Person, PersonNameVariant
    from tests.factories import PersonFactory

    migration = importlib.import_module("lotse.people.migrations.0009_name_keys_initial_j")
    jussuf = PersonFactory(first_name="Jussuf", last_name="Haddad")
    amina = PersonFactory(first_name="Amina", last_name="Yilmaz")
    variant = PersonNameVariant.objects.create(
        traeger=jussuf.traeger,
        person=jussuf,
        first_name="Dschamal",
        last_name="Haddad",
        search_name=normalise_name("Dschamal", "Haddad"),
        name_key=" hdt jml ",
    )
    Person.objects.filter(pk=jussuf.pk).update(first_key="jsf", name_key=" hdt jsf ")
    Person.objects.filter(pk=amina.pk).update(name_key=" untouched ")

    migration.recompute(apps, None)

    jussuf.refresh_from_db()
    assert (jussuf.first_key, jussuf.name_key) == ("ysf", " hdt ysf ")
    assert PersonNameVariant.objects.get(pk=variant.pk).name_key == " hdt yml "
    assert Person.objects.get(pk=amina.pk).name_key == " untouched "
