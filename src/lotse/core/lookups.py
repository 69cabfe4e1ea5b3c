"""``field__any_of=ids``: membership in a list of ids as one array parameter on PostgreSQL.

``field__in=ids`` writes a placeholder per id; with a few hundred ids inside a large query (Meine
Woche hands the user's persons to three kinds of its one UNION), Django and psycopg spent more
time on the placeholders than PostgreSQL on the query. ``= ANY(%s::bigint[])`` is the same
condition — PostgreSQL reads ``IN (…)`` as ``= ANY(ARRAY[…])`` itself, with the same index
plans — in one parameter. SQLite has no arrays and keeps ``IN``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(item) for item in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids)
        if not ids:
            return "0 = 1", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # relations keep a lookup registry of their own
