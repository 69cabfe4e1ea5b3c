"""Configuration read once for a long job (e.g. the rows of a spreadsheet import).

Inside :func:`configuration_cached`, :func:`cached` computes a value once per key and hands the
same value to every later caller; outside such a block it computes it on every call, as
before. Only for configuration data that the job may treat as fixed from its start (goals,
target groups, the Träger's school holidays), never for personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("configuration_memo", default=None)


@contextmanager
def configuration_cached() -> Iterator[None]:
    """Cache :func:`cached` values until the block ends (nested blocks share the outer one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    value: T = memo[key]
    return value
