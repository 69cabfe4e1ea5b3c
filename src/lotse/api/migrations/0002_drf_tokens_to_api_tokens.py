"""Take over the tokens of ``rest_framework.authtoken`` (removed from the project).

DRF stored the secrets in plain text; here they are known once more, so each becomes an
``ApiToken`` row holding only its SHA-256 hash, valid for 90 days from the migration. Then the
old table and its migration records are dropped. Databases that never had DRF tokens (new
installations, tests) skip all of this.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"
TAKEN_OVER_DAYS = 90


def _aware(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value if isinstance(value, dt.datetime) else None


def take_over_drf_tokens(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if OLD_TABLE not in connection.introspection.table_names(cursor):
            return
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    api_token = apps.get_model("api", "ApiToken")
    now = timezone.now()
    for key, user_id, created in rows:
        api_token.objects.using(schema_editor.connection.alias).create(
            user_id=user_id,
            name="Übernommener Token",
            prefix=key[:8],
            token_hash=hashlib.sha256(key.encode()).hexdigest(),
            created_at=_aware(created) or now,
            expires_at=now + dt.timedelta(days=TAKEN_OVER_DAYS),
        )
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunPython(take_over_drf_tokens, migrations.RunPython.noop)]
