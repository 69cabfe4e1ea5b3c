"""Keyset pagination: pages stay fast at millions of rows (no OFFSET)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet


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


def keyset_page(
    queryset: QuerySet, *, order: list[str], cursor: str | None, size: int = 25
) -> KeysetPage:
    """Slice ``queryset`` ordered by ``order`` (descending fields prefixed with ``-``).

    The last field must be unique (the primary key) so that the order is total.
    """
    fields = [name.lstrip("-") for name in order]
    queryset = queryset.order_by(*order)
    after = _decode(cursor, len(fields)) if cursor else None
    if after is not None:
        condition = Q()
        for index, name in enumerate(order):
            field = fields[index]
            lookup = "lt" if name.startswith("-") else "gt"
            step = Q(**{f"{field}__{lookup}": after[index]})
            for previous in range(index):
                step &= Q(**{fields[previous]: after[previous]})
            condition |= step
        queryset = queryset.filter(condition)
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
    return value
