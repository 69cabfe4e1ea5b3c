"""FieldProcess.person is required once every row has it (a migration of its own: PostgreSQL does
not alter a table with pending trigger events from the backfill in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_fieldprocess_person'),
    ]

    operations = [
        migrations.AlterField(
            model_name='fieldprocess',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='field_processes', to='people.person', verbose_name='person'),
        ),
    ]
