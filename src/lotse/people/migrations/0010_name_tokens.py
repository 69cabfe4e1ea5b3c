"""The name search's exact-key index on PostgreSQL: one row per word key of a name (issue 14).

``people_name_token`` holds, per person and per name variant, each word key of ``name_key``
(``traeger_id, key, person_id``). A search word is then an index range of its key within the
Träger — read from the index alone — instead of a trigram match of ``name_key`` across all
Träger (a common name such as Mohammed matched tens of thousands of rows of every Träger at
NRW size before the Träger and the user's scope narrowed them: 200 ms and more).

Triggers keep the table in step with every write of a person or variant, whatever path wrote
it (services, imports, merges, the demo, ``lotse synth``'s COPY, retention deletes). It is not a
Django model: nothing else reads it, and a foreign key to the persons would stop Django's
``flush`` (TRUNCATE) — a TRUNCATE of the persons empties it by trigger instead. SQLite, the
embedded default for small installations, searches ``name_key`` directly (no such table).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE TABLE people_name_token (
    traeger_id bigint NOT NULL,
    key varchar(200) NOT NULL,
    person_id bigint NOT NULL,
    variant_id bigint
);
CREATE INDEX people_name_token_key ON people_name_token (traeger_id, key, person_id);
CREATE INDEX people_name_token_person ON people_name_token (person_id);
CREATE INDEX people_name_token_variant ON people_name_token (variant_id)
    WHERE variant_id IS NOT NULL;

CREATE OR REPLACE FUNCTION lotse_person_name_tokens() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM people_name_token
         WHERE person_id = OLD.id AND (variant_id IS NULL OR TG_OP = 'DELETE');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO people_name_token (traeger_id, key, person_id, variant_id)
        SELECT DISTINCT NEW.traeger_id, word, NEW.id, NULL::bigint
          FROM unnest(string_to_array(btrim(NEW.name_key), ' ')) AS word
         WHERE word <> '';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION lotse_variant_name_tokens() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM people_name_token WHERE variant_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO people_name_token (traeger_id, key, person_id, variant_id)
        SELECT DISTINCT NEW.traeger_id, word, NEW.person_id, NEW.id
          FROM unnest(string_to_array(btrim(NEW.name_key), ' ')) AS word
         WHERE word <> '';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION lotse_name_tokens_truncated() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'people_person' THEN
        TRUNCATE people_name_token;
    ELSE
        DELETE FROM people_name_token WHERE variant_id IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_name_tokens
    AFTER INSERT OR DELETE ON people_person
    FOR EACH ROW EXECUTE FUNCTION lotse_person_name_tokens();
CREATE TRIGGER person_name_tokens_changed
    AFTER UPDATE OF name_key, traeger_id ON people_person
    FOR EACH ROW
    WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key OR OLD.traeger_id <> NEW.traeger_id)
    EXECUTE FUNCTION lotse_person_name_tokens();
CREATE TRIGGER variant_name_tokens
    AFTER INSERT OR DELETE ON people_personnamevariant
    FOR EACH ROW EXECUTE FUNCTION lotse_variant_name_tokens();
CREATE TRIGGER variant_name_tokens_changed
    AFTER UPDATE OF name_key, traeger_id, person_id ON people_personnamevariant
    FOR EACH ROW
    WHEN (
        OLD.name_key IS DISTINCT FROM NEW.name_key
        OR OLD.traeger_id <> NEW.traeger_id
        OR OLD.person_id <> NEW.person_id
    )
    EXECUTE FUNCTION lotse_variant_name_tokens();
CREATE TRIGGER person_name_tokens_truncated
    AFTER TRUNCATE ON people_person
    FOR EACH STATEMENT EXECUTE FUNCTION lotse_name_tokens_truncated();
CREATE TRIGGER variant_name_tokens_truncated
    AFTER TRUNCATE ON people_personnamevariant
    FOR EACH STATEMENT EXECUTE FUNCTION lotse_name_tokens_truncated();

INSERT INTO people_name_token (traeger_id, key, person_id, variant_id)
SELECT DISTINCT p.traeger_id, word, p.id, NULL::bigint
  FROM people_person p, unnest(string_to_array(btrim(p.name_key), ' ')) AS word
 WHERE word <> '';
INSERT INTO people_name_token (traeger_id, key, person_id, variant_id)
SELECT DISTINCT v.traeger_id, word, v.person_id, v.id
  FROM people_personnamevariant v, unnest(string_to_array(btrim(v.name_key), ' ')) AS word
 WHERE word <> '';
ANALYZE people_name_token;
"""

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS person_name_tokens ON people_person;
DROP TRIGGER IF EXISTS person_name_tokens_changed ON people_person;
DROP TRIGGER IF EXISTS variant_name_tokens ON people_personnamevariant;
DROP TRIGGER IF EXISTS variant_name_tokens_changed ON people_personnamevariant;
DROP TRIGGER IF EXISTS person_name_tokens_truncated ON people_person;
DROP TRIGGER IF EXISTS variant_name_tokens_truncated ON people_personnamevariant;
DROP FUNCTION IF EXISTS lotse_person_name_tokens();
DROP FUNCTION IF EXISTS lotse_variant_name_tokens();
DROP FUNCTION IF EXISTS lotse_name_tokens_truncated();
DROP TABLE IF EXISTS people_name_token;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("people", "0009_name_keys_initial_j")]
    operations = [migrations.RunPython(install, remove, elidable=False)]
