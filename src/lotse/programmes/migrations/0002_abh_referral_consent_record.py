"""Referrals to the ABH link the consent record and the transfer journal entry.

The free-text ``consent_reference`` goes (in 0003, its own transaction: PostgreSQL refuses to
alter a table with pending deferred constraint checks from the data step). Where it (or the typed form reference) names the
document ID of a consent of the same person, the referral now points at that consent. A
reference that matches no consent is kept in ``consent_form_reference`` (or appended to
``consent_scope``), so nothing that was typed in is lost. No transfer journal entries are
invented for referrals forwarded before: their ``transfer`` stays empty.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_consents(apps, schema_editor):
    AbhReferral = apps.get_model("programmes", "AbhReferral")
    Consent = apps.get_model("consent", "Consent")
    referrals = AbhReferral.objects.exclude(consent_reference="", consent_form_reference="")
    for referral in referrals.select_related("case").iterator():
        reference = referral.consent_reference.strip()
        candidates = [value for value in (reference, referral.consent_form_reference.strip()) if value]
        consent = (
            Consent.objects.filter(
                traeger_id=referral.traeger_id,
                person_id=referral.case.person_id,
                document_id__in=candidates,
            )
            .order_by("-number", "-id")
            .first()
        )
        fields = []
        if consent is not None:
            referral.consent_id = consent.pk
            fields.append("consent")
        if reference and (consent is None or consent.document_id != reference):
            if not referral.consent_form_reference.strip():
                referral.consent_form_reference = reference[:100]
                fields.append("consent_form_reference")
            elif reference != referral.consent_form_reference.strip():
                note = f" (Einwilligungsdatensatz: {reference})"
                referral.consent_scope = referral.consent_scope[: 500 - len(note)] + note
                fields.append("consent_scope")
        if fields:
            referral.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ('consent', '0001_initial'),
        ('programmes', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='abhreferral',
            name='consent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='consent.consent', verbose_name='consent'),
        ),
        migrations.AddField(
            model_name='abhreferral',
            name='transfer',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='abh_referral', to='consent.transfer', verbose_name='transfer journal entry'),
        ),
        migrations.RunPython(link_consents, migrations.RunPython.noop),
    ]
