"""Referral.person: the household member it is about; existing rows are the case's person."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_person(apps, schema_editor):
    """Every existing row was about the case's own person."""
    Model = apps.get_model("offers", "Referral")
    Case = apps.get_model("cases", "Case")
    Model.objects.filter(person__isnull=True).update(
        person_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("person_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_fieldprocess_person'),
        ('consent', '0005_flow_handover'),
        ('offers', '0003_referral_transfer'),
        ('people', '0004_case_team'),
        ('tenancy', '0002_traeger_config_date_traeger_school_holidays'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='person',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='people.person', verbose_name='for'),
        ),
        migrations.RunPython(backfill_person, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['traeger', 'person', 'state'], name='referral_person_idx'),
        ),
    ]
