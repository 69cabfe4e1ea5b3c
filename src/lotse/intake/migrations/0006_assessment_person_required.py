"""Assessment.person is required once every row has it (a migration of its own: PostgreSQL does
not alter a table with pending trigger events from the backfill in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0005_assessment_person'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assessment',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='people.person', verbose_name='person'),
        ),
    ]
