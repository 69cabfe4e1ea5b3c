"""Assessment.person: the household member it is about; existing rows are the case's person."""

import django.db.models.deletion
import lotse.core.fieldcrypto
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_person(apps, schema_editor):
    """Every existing row was about the case's own person."""
    Model = apps.get_model("intake", "Assessment")
    Case = apps.get_model("cases", "Case")
    Model.objects.filter(person__isnull=True).update(
        person_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("person_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_fieldprocess_person'),
        ('directory', '0006_fieldofaction_assessment_questions'),
        ('intake', '0004_encrypt_case_texts'),
        ('people', '0004_case_team'),
        ('tenancy', '0002_traeger_config_date_traeger_school_holidays'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='assessment',
            name='assessment_unique_field',
        ),
        migrations.AddField(
            model_name='assessment',
            name='answers',
            field=lotse.core.fieldcrypto.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='assessment',
            name='person',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='people.person', verbose_name='person'),
        ),
        migrations.RunPython(backfill_person, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['traeger', 'person', 'field_of_action'], name='assessment_person_idx'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(fields=('case', 'person', 'field_of_action'), name='assessment_unique_field'),
        ),
    ]
