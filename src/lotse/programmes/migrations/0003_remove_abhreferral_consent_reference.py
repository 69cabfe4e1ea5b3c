from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0002_abh_referral_consent_record'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='abhreferral',
            name='consent_reference',
        ),
    ]
