# Uploads are stored encrypted from now on (lotse.core.filecrypto); this encrypts those already
# on disk: timeline attachments, signed consent scans and pending import files.

from django.db import migrations

import lotse.core.filecrypto


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_encrypt_free_texts"),
        ("consent", "0002_privacy_notice"),
        ("spreadsheets", "0001_initial"),
    ]

    operations = [
        lotse.core.filecrypto.encrypt_files_operation(
            ("cases", "TimelineEntry", "attachment"),
            ("consent", "Consent", "scan"),
            ("spreadsheets", "ImportJob", "file"),
        ),
    ]
