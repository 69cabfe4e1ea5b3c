"""FieldProcess.person: the household member it is about; existing rows are the case's person."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_person(apps, schema_editor):
    """Every existing row was about the case's own person."""
    Model = apps.get_model("cases", "FieldProcess")
    Case = apps.get_model("cases", "Case")
    Model.objects.filter(person__isnull=True).update(
        person_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("person_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_link_goal_attainments'),
        ('directory', '0006_fieldofaction_assessment_questions'),
        ('people', '0004_case_team'),
        ('tenancy', '0002_traeger_config_date_traeger_school_holidays'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='fieldprocess',
            name='fieldprocess_unique',
        ),
        migrations.AddField(
            model_name='fieldprocess',
            name='person',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='field_processes', to='people.person', verbose_name='person'),
        ),
        migrations.RunPython(backfill_person, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='fieldprocess',
            index=models.Index(fields=['traeger', 'case'], name='fieldprocess_case_idx'),
        ),
        migrations.AddConstraint(
            model_name='fieldprocess',
            constraint=models.UniqueConstraint(fields=('case', 'person', 'field_of_action'), name='fieldprocess_unique'),
        ),
    ]
