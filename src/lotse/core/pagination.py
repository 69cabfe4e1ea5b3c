"""Keyset pagination: pages stay fast at millions of rows (no OFFSET).

The condition "after the cursor" is an index range, not a filter over all rows:

- when all sort keys go the same direction (and, ascending, none is nullable), PostgreSQL gets a
  row-value comparison ``(a, b) > (x, y)``, which its planner turns into an index range;
- otherwise (mixed directions, nullable ascending keys, SQLite) the OR chain
  ``a > x OR (a = x AND b > y)``;
- in both forms the leading key is bounded as well (``a >= x``), so that the index on the
  leading column (after ``traeger``) starts at the cursor instead of at the first row.

NULL sorts as the largest value (PostgreSQL's rule) on every database.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import BooleanField, Expression, F, Field, Q, QuerySet, Value
from django.db.models.expressions import Func, OrderBy, RawSQL


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    has_previous: bool


def _encode(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in values]
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != count:
        return None
    return values


class RowComparison(Func):
    """``(a, b, …) > (x, y, …)`` (or ``<``): one row-value comparison (PostgreSQL)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, columns: list[Expression | F], values: list[Value], *, greater: bool):
        if len(columns) != len(values):
            raise ValueError("columns and values differ in length")
        self.width = len(columns)
        self.operator = ">" if greater else "<"
        super().__init__(*columns, *values)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        parts: list[str] = []
        params: list[Any] = []
        for expression in self.get_source_expressions():
            sql, part_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(part_params)
        left = ", ".join(parts[: self.width])
        right = ", ".join(parts[self.width :])
        return f"({left}) {self.operator} ({right})", params


def _key_field(queryset: QuerySet, dotted: str) -> Field:
    """The field of a sort key: a model field (across relations) or an annotation's output."""
    annotation = queryset.query.annotations.get(dotted)
    if annotation is not None:
        return annotation.output_field  # type: ignore[no-any-return]
    return _model_field(queryset.model, dotted)


def _key_nullable(queryset: QuerySet, dotted: str) -> bool:
    """Annotations count as nullable (their NULLs then sort as the largest value too)."""
    if dotted in queryset.query.annotations:
        return True
    return _nullable(queryset.model, dotted)


def _model_field(model: Any, dotted: str) -> Field:
    field: Any = None
    current = model
    for part in dotted.split("__"):
        field = current._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    if field.is_relation and not field.concrete:  # pragma: no cover - reverse relations
        raise FieldDoesNotExist(dotted)
    return field


def _nullable(model: Any, dotted: str) -> bool:
    """Whether the key can be NULL in the joined rows (a nullable column or nullable FK on the way)."""
    current = model
    for part in dotted.split("__"):
        field: Any = current._meta.get_field(part)
        if getattr(field, "null", False):
            return True
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return False


def _to_python(field: Field, value: Any) -> Any:
    if value is None:
        return None
    target: Any = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    try:
        return target.to_python(value)
    except ValidationError:
        raise ValueError(value) from None


def _or_chain(
    fields: list[str], descending: list[bool], nullable: list[bool], after: list[Any]
) -> Q:
    """Rows after ``after`` in the order: ``a > x OR (a = x AND (…))``; NULL is the largest."""
    condition = Q()
    equal_before = Q()
    for name, desc, can_be_null, value in zip(fields, descending, nullable, after, strict=True):
        if value is None:
            if desc:  # NULLs came first: every value follows
                condition |= equal_before & Q(**{f"{name}__isnull": False})
            equal_here = Q(**{f"{name}__isnull": True})
        else:
            step = Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
            if can_be_null and not desc:  # NULLs come last
                step |= Q(**{f"{name}__isnull": True})
            condition |= equal_before & step
            equal_here = Q(**{name: value})
        equal_before &= equal_here
    return condition


def _leading_bound(name: str, desc: bool, can_be_null: bool, value: Any) -> Q:
    """``a >= x`` (``a <= x`` descending): the index range starts at the cursor."""
    if value is None:
        return Q() if desc else Q(**{f"{name}__isnull": True})
    bound = Q(**{f"{name}__{'lte' if desc else 'gte'}": value})
    if can_be_null and not desc:
        bound |= Q(**{f"{name}__isnull": True})
    return bound


def after_cursor(queryset: QuerySet, *, order: list[str], after: list[Any]) -> QuerySet:
    """``queryset`` narrowed to the rows after the key values ``after`` (in ``order``)."""
    fields = [name.lstrip("-") for name in order]
    descending = [name.startswith("-") for name in order]
    nullable = [_key_nullable(queryset, name) for name in fields]
    values = [
        _to_python(_key_field(queryset, name), v) for name, v in zip(fields, after, strict=True)
    ]
    queryset = queryset.filter(_leading_bound(fields[0], descending[0], nullable[0], values[0]))
    vendor = connections[queryset.db].vendor
    same_direction = len(set(descending)) == 1
    # NULL is the largest value: a row comparison skips NULLs, right when they came before
    # (descending), wrong when they come after (ascending).
    nulls_before = descending[0] or not any(nullable)
    if vendor == "postgresql" and same_direction and nulls_before and None not in values:
        columns: list[Expression | F] = [F(name) for name in fields]
        params = [
            Value(value, output_field=_key_field(queryset, name))
            for name, value in zip(fields, values, strict=True)
        ]
        return queryset.filter(RowComparison(columns, params, greater=not descending[0]))
    return queryset.filter(_or_chain(fields, descending, nullable, values))


def ordering(queryset: QuerySet, order: list[str]) -> list[OrderBy | str]:
    """The ORDER BY of ``order``; NULL sorts as the largest value on every database.

    That is PostgreSQL's own rule (``ASC NULLS LAST``, ``DESC NULLS FIRST``), so its b-tree
    indexes serve both directions; SQLite gets the same order spelled out.
    """
    result: list[OrderBy | str] = []
    for name in order:
        field = name.lstrip("-")
        if _key_nullable(queryset, field):
            expression = F(field)
            result.append(
                expression.desc(nulls_first=True)
                if name.startswith("-")
                else expression.asc(nulls_last=True)
            )
        else:
            result.append(name)
    return result


def keyset_page(
    queryset: QuerySet, *, order: list[str], cursor: str | None, size: int = 25
) -> KeysetPage:
    """Slice ``queryset`` ordered by ``order`` (descending fields prefixed with ``-``).

    The last field must be unique (the primary key) so that the order is total.
    """
    fields = [name.lstrip("-") for name in order]
    queryset = queryset.order_by(*ordering(queryset, order))
    after = _decode(cursor, len(fields)) if cursor else None
    if after is not None:  # a tampered cursor raises ValueError (the API answers 400)
        queryset = after_cursor(queryset, order=order, after=after)
    rows = list(queryset[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = _encode([_value(last, field) for field in fields])
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=after is not None)


def _value(obj: Any, dotted: str) -> Any:
    value = obj
    for part in dotted.split("__"):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def keyset_union_page(
    parts: list[QuerySet],
    *,
    fetch: QuerySet,
    order: list[str],
    cursor: str | None,
    size: int = 25,
) -> KeysetPage:
    """:func:`keyset_page` over the union of ``parts`` (PostgreSQL), in one query.

    Each part is ordered and cut to ``size + 1`` rows after the cursor — with an index that
    matches the part's filter and the order, a short index range — and the parts are merged,
    ordered and cut again in a subquery; ``fetch`` then loads the page's rows by primary key
    with its joins. A page costs the same whatever the size of the parts (a team lead's ten
    posts of a thousand persons each read 11 × 26 index entries, not 10,000 persons).

    ``parts`` must be querysets of ``fetch``'s model, already narrowed to what the user may
    see; ``fetch`` is not narrowed again (it reads the rows the parts selected). The last field
    of ``order`` must be the primary key, as for :func:`keyset_page`. PostgreSQL's default
    NULL order is the one of :func:`ordering` (NULL the largest), so the merge orders plainly.
    """
    fields = [name.lstrip("-") for name in order]
    after = _decode(cursor, len(fields)) if cursor else None
    keys = []
    for part in parts:
        if after is not None:
            part = after_cursor(part, order=order, after=after)
        keys.append(part.order_by(*ordering(part, order)).values_list(*fields)[: size + 1])
    if not keys:
        return KeysetPage(items=[], next_cursor=None, has_previous=after is not None)
    merged = keys[0] if len(keys) == 1 else keys[0].union(*keys[1:]).order_by(*order)[: size + 1]
    sql, params = merged.query.sql_with_params()
    column = connections[fetch.db].ops.quote_name(fields[-1])
    # SQL compiled by Django from the querysets above; the values stay parameters.
    statement = f'SELECT "page".{column} FROM ({sql}) AS "page"'  # noqa: S608
    page_keys = RawSQL(statement, params)  # noqa: S611
    rows = list(fetch.filter(pk__in=page_keys).order_by(*ordering(fetch, order)))
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        next_cursor = _encode([_value(items[-1], field) for field in fields])
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=after is not None)
