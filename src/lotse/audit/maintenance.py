"""The one sanctioned way to delete access-log entries (retention job, test database flush).

The database triggers refuse UPDATE, DELETE and TRUNCATE on the access log unless the current
connection is in maintenance mode: on PostgreSQL the session setting
``lotse.audit_maintenance = 'on'``, on SQLite a per-connection SQL function that answers from
this process. A client without either (psql, sqlite3) is always refused.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_maintenance = contextvars.ContextVar("lotse_audit_maintenance", default=False)


@receiver(connection_created)
def _register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "lotse_audit_maintenance", 0, lambda: 1 if _maintenance.get() else 0
        )


@contextmanager
def audit_maintenance(using: str = "default") -> Iterator[None]:
    connection = connections[using]
    token = _maintenance.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET lotse.audit_maintenance = 'on'")
        yield
    finally:
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET lotse.audit_maintenance")
        _maintenance.reset(token)
