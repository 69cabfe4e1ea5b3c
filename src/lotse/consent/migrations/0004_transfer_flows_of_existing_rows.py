"""Existing journal entries get their flow and object; existing organisations their new kind.

Transfers referenced by a task or an ABH referral are those flows; everything else was recorded
by hand (the default). ABH organisations keep ``authority`` until the configuration is reloaded
(``lotse loadconfig`` sets ``immigration_office`` from the file). Existing written consents stay
without attestation: nobody has confirmed the signed paper yet, so the consent page asks for it.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Transfer = apps.get_model("consent", "Transfer")
    Task = apps.get_model("assignments", "Task")
    AbhReferral = apps.get_model("programmes", "AbhReferral")
    for task_id, transfer_id in Task.objects.filter(transfer__isnull=False).values_list(
        "pk", "transfer_id"
    ):
        Transfer.objects.filter(pk=transfer_id).update(
            flow="task", subject_type="task", subject_id=task_id
        )
    for referral_id, transfer_id in AbhReferral.objects.filter(
        transfer__isnull=False
    ).values_list("pk", "transfer_id"):
        Transfer.objects.filter(pk=transfer_id).update(
            flow="abh_referral", subject_type="abhreferral", subject_id=referral_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0003_gate_purposes_statutes_attestation_flags"),
        ("assignments", "0004_task_purpose"),
        ("programmes", "0004_encrypt_case_texts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
