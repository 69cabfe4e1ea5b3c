"""Tigre was stored under ``tir`` (ISO 639-2/3 for Tigrinya); its code is ``tig``.

The old hand list offered "Tigre" with the code ``tir`` (and Tigrinya as ``ti``), so every stored
``tir`` was chosen as Tigre. The reference lists now come from CLDR, where ``tir`` does not
exist and ``tig`` is Tigre.
"""

from django.db import migrations


def tir_to_tig(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    InterpreterUse = apps.get_model("intake", "InterpreterUse")
    for person in Person.objects.filter(languages__icontains='"tir"').only("pk", "languages"):
        person.languages = ["tig" if code == "tir" else code for code in person.languages]
        person.save(update_fields=["languages"])
    Person.objects.filter(interpreter_language="tir").update(interpreter_language="tig")
    InterpreterUse.objects.filter(language="tir").update(language="tig")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_case_team"),
        ("intake", "0004_encrypt_case_texts"),
    ]

    operations = [migrations.RunPython(tir_to_tig, migrations.RunPython.noop)]
