"""Recompute the name keys of persons and name variants with a word beginning in j (issue 14).

``name_key`` now reads an initial j before a vowel as y (Jussuf = Yusuf). Only rows with such a
word change (a word beginning with j, dj, dsch or dzh in the normalised name); they are read in
chunks and written with ``bulk_update``, so the migration's cost follows those rows.
"""

from django.db import migrations

from lotse.people.names import key_string, name_keys

INITIAL_J = r"(^| )(j|dj|dsch|dzh)"
CHUNK = 2000


def _chunks(queryset):
    chunk = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def recompute(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Variant = apps.get_model("people", "PersonNameVariant")
    persons = Person.objects.filter(search_name__regex=INITIAL_J).only(
        "pk", "first_name", "last_name", "first_key", "last_key", "name_key"
    )
    for chunk in _chunks(persons):
        changed = []
        for person in chunk:
            keys = (
                " ".join(name_keys(person.first_name)),
                " ".join(name_keys(person.last_name)),
                key_string(name_keys(person.first_name, person.last_name)),
            )
            if keys != (person.first_key, person.last_key, person.name_key):
                person.first_key, person.last_key, person.name_key = keys
                changed.append(person)
        Person.objects.bulk_update(changed, ["first_key", "last_key", "name_key"])
    variants = Variant.objects.filter(search_name__regex=INITIAL_J).only(
        "pk", "first_name", "last_name", "name_key"
    )
    for chunk in _chunks(variants):
        changed = []
        for variant in chunk:
            key = key_string(name_keys(variant.first_name, variant.last_name))
            if key != variant.name_key:
                variant.name_key = key
                changed.append(variant)
        Variant.objects.bulk_update(changed, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0008_encrypt_remaining_texts")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
