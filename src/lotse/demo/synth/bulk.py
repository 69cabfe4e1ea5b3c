"""Bulk writing through PostgreSQL's COPY, with the column list taken from the model.

Every concrete field of the model is written: the generator gives the values it knows, a
computed column (``COMPUTED``) is derived from them, and every other column gets the field's
default (``auto_now`` columns the load's timestamp, nullable columns NULL, blank text ""). A
column added to a model later is therefore filled automatically if it has a default or a
computing function here; otherwise the load stops and names it.

Encrypted columns (``core.fieldcrypto``) are written with the app's own field keys, so the app
reads the generated data like its own. Generated texts come from small pools: each distinct
plaintext is encrypted once and its token reused (a Fernet token decrypts however often it is
stored), which keeps encryption out of the load's critical path.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _

from lotse.core import fieldcrypto
from lotse.people.names import person_name_fields

Row = dict[str, Any]

#: Columns derived from other values of the same row, by (table, column).
#: Generated names come from small pools: derive each name's columns once.
_name_fields = functools.lru_cache(maxsize=65536)(person_name_fields)


def _name_column(column: str) -> Callable[[Row], Any]:
    def compute(row: Row) -> Any:
        return _name_fields(row["first_name"], row["last_name"])[column]

    return compute


COMPUTED: dict[tuple[str, str], Callable[[Row], Any]] = {
    (table, column): _name_column(column)
    for table, columns in (
        ("people_person", ("search_name", "first_key", "last_key", "name_key")),
        ("people_personnamevariant", ("search_name", "name_key")),
    )
    for column in columns
}

_MISSING = object()


class MissingColumnValue(Exception):
    pass


@dataclass
class TableStats:
    rows: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Table:
    """One table's COPY plan: its columns, the constant defaults and the next free id."""

    model: type[models.Model]
    now: dt.datetime
    ring: fieldcrypto.Keyring
    stats: TableStats = field(default_factory=TableStats)
    next_pk: int = 1
    _columns: list[tuple[str, str, Any]] = field(default_factory=list)  # (attname, column, how)
    _tokens: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        table = self.model._meta.db_table
        for model_field in self.model._meta.concrete_fields:
            how: Any
            column = str(model_field.column)
            computed = COMPUTED.get((table, column))
            if computed is not None:
                how = ("computed", computed)
            elif isinstance(model_field, models.AutoField | models.BigAutoField):
                how = ("given", None)
            else:
                how = ("default", self._default(model_field))
            self._columns.append((model_field.attname, column, how))
        self._encrypted = {
            f.attname
            for f in self.model._meta.concrete_fields
            if isinstance(f, fieldcrypto.EncryptedTextField | fieldcrypto.EncryptedJSONField)
        }
        self._json = {
            f.attname
            for f in self.model._meta.concrete_fields
            if isinstance(f, models.JSONField | fieldcrypto.EncryptedJSONField)
        }
        self.resync()

    def resync(self) -> None:
        """Continue after the highest id, also if the app wrote rows since (e.g. its config)."""
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{self.table}"')  # noqa: S608
            self.next_pk = max(self.next_pk, cursor.fetchone()[0] + 1)

    @property
    def table(self) -> str:
        return str(self.model._meta.db_table)

    def _default(self, model_field: Any) -> Any:
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            return self.now
        if model_field.has_default():
            value = model_field.get_default()
            if isinstance(model_field, models.JSONField):
                return json.dumps(value)
            return getattr(value, "value", value)  # TextChoices members as their value
        if model_field.null:
            return None
        if isinstance(model_field, models.CharField | models.TextField | models.FileField):
            return ""
        return _MISSING

    def pk(self) -> int:
        value = self.next_pk
        self.next_pk += 1
        return value

    def _encrypt(self, plaintext: str) -> str:
        if plaintext == "":
            return ""
        token = self._tokens.get(plaintext)
        if token is None:
            token = fieldcrypto.encrypt(plaintext, self.ring)
            if len(self._tokens) < 50_000:
                self._tokens[plaintext] = token
        return token

    def _values(self, row: Row) -> tuple[Any, ...]:
        values = []
        for attname, column, (kind, extra) in self._columns:
            value = row.get(attname, _MISSING)
            if value is _MISSING:
                if kind == "computed":
                    value = extra(row)
                elif kind == "default" and extra is not _MISSING:
                    value = extra
                else:
                    raise MissingColumnValue(
                        _(
                            "The column %(column)s has no value, no default and no computing "
                            "function (lotse.demo.synth.bulk.COMPUTED)."
                        )
                        % {"column": f"{self.table}.{column}"}
                    )
            elif attname in self._json:
                value = json.dumps(value, ensure_ascii=False)
            if attname in self._encrypted and isinstance(value, str):
                value = self._encrypt(value)
            values.append(value)
        return tuple(values)

    def copy(self, rows: Iterable[Row]) -> int:
        """COPY ``rows`` into the table; returns how many."""
        names = ", ".join(f'"{column}"' for _a, column, _h in self._columns)
        count = 0
        begin = time.perf_counter()
        raw = connection.connection
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(self._values(row))
                    count += 1
        self.stats.rows += count
        self.stats.seconds += time.perf_counter() - begin
        return count

    def reset_sequence(self) -> None:
        with connection.cursor() as cursor:
            last = f'SELECT coalesce(max(id), 1) FROM "{self.table}"'  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({last}))", [self.table]
            )


def m2m_copy(
    through: type[models.Model], columns: tuple[str, str], rows: list[tuple[int, int]]
) -> None:
    """COPY pairs into an automatic many-to-many table (its id column fills itself)."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.connection.cursor() as cursor:
        with cursor.copy(
            f'COPY "{through._meta.db_table}" ({names}) FROM STDIN'  # noqa: S608
        ) as copy:
            for row in rows:
                copy.write_row(row)
