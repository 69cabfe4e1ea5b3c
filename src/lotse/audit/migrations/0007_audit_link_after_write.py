"""Entries are written unlinked and linked into their chain afterwards (issue 14).

The append-only triggers allow exactly one UPDATE: linking an unlinked entry (``sequence``
from NULL to a number, with ``previous_hash`` and ``entry_hash``), every other column
unchanged. On SQLite the column change rebuilds the table, which drops its triggers, so they
are created again after it.
"""

from django.db import migrations, models

LINK_COLUMNS = ("sequence", "previous_hash", "entry_hash")
CONTENT_COLUMNS = (
    "id",
    "traeger_id",
    "chain",
    "occurred_at",
    "user_id",
    "username",
    "organisation",
    "roles",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "categories",
    "channel",
    "request_id",
    "detail",
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION lotse_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('lotse.audit_maintenance', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
    END IF;
    %(link)s
    RAISE EXCEPTION 'Das Zugriffsprotokoll ist unveränderlich (%% verweigert).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_LINK = """IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
       AND to_jsonb(NEW) - ARRAY['sequence', 'previous_hash', 'entry_hash']
           = to_jsonb(OLD) - ARRAY['sequence', 'previous_hash', 'entry_hash'] THEN
        RETURN NEW;
    END IF;"""

SQLITE_NO_DELETE = """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditentry
       WHEN lotse_audit_maintenance() = 0
       BEGIN SELECT RAISE(ABORT, 'Das Zugriffsprotokoll ist unveränderlich (DELETE verweigert).'); END;"""
SQLITE_NO_UPDATE = """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry
       %(when)s
       BEGIN SELECT RAISE(ABORT, 'Das Zugriffsprotokoll ist unveränderlich (UPDATE verweigert).'); END;"""
SQLITE_LINK_ONLY = "WHEN NOT (OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND {})".format(
    " AND ".join(f"NEW.{column} IS OLD.{column}" for column in CONTENT_COLUMNS)
)


def _sqlite_triggers(schema_editor, when: str) -> None:
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    schema_editor.execute(SQLITE_NO_UPDATE % {"when": when})
    schema_editor.execute(SQLITE_NO_DELETE)


def allow_linking(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION % {"link": POSTGRES_LINK}, params=None)
    elif vendor == "sqlite":
        _sqlite_triggers(schema_editor, SQLITE_LINK_ONLY)


def refuse_every_update(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION % {"link": ""}, params=None)
    elif vendor == "sqlite":
        _sqlite_triggers(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_audit_username_idx")]

    operations = [
        # Backwards this runs last, after SQLite rebuilt the table once more.
        migrations.RunPython(migrations.RunPython.noop, refuse_every_update, elidable=False),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="sequence number"
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("sequence__isnull", True)),
                fields=["chain", "id"],
                name="audit_unlinked_idx",
            ),
        ),
        migrations.RunPython(allow_linking, refuse_every_update, elidable=False),
    ]
