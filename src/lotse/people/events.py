"""After-change hooks for persons.

Apps that derive data from a person (e.g. the deadlines of the Handlungsstruktur) register a
listener in their ``AppConfig.ready()``; the people and cases services call
``person_changed`` inside their transaction, so derived data is never stale and the people app
does not depend on the apps built on top of it.

A caller that makes several changes to one person in one transaction (the spreadsheet import
writes person, residence status and case of a row) wraps them in
:func:`person_changes_collected`: the listeners then run once per changed person when the
block ends, still inside the transaction, on the final state instead of after every step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

Listener = Callable[[Any], object]
_listeners: dict[str, Listener] = {}
#: The persons changed inside :func:`person_changes_collected` (by pk, the latest instance).
_collected: ContextVar[dict[Any, Any] | None] = ContextVar("person_changes", default=None)


def on_person_changed(key: str, listener: Listener) -> None:
    _listeners[key] = listener


def person_changed(person: Any) -> None:
    pending = _collected.get()
    if pending is not None:
        pending.pop(person.pk, None)  # keep the order of the last change
        pending[person.pk] = person
        return
    _notify(person)


def _notify(person: Any) -> None:
    for listener in list(_listeners.values()):
        listener(person)


@contextmanager
def person_changes_collected() -> Iterator[None]:
    """Run the listeners once per changed person when the block ends without an exception.

    Use it inside the transaction of the changes (``with transaction.atomic(),
    person_changes_collected():``); a block that raises runs no listener, its transaction is
    rolled back anyway. Nested blocks join the outermost one.
    """
    if _collected.get() is not None:
        yield
        return
    pending: dict[Any, Any] = {}
    token = _collected.set(pending)
    try:
        yield
    finally:
        _collected.reset(token)
    for person in pending.values():
        _notify(person)
