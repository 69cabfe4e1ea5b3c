"""After-change hooks for persons.

Apps that derive data from a person (e.g. the deadlines of the Handlungsstruktur) register a
listener in their ``AppConfig.ready()``; the people and cases services call
``person_changed`` inside their transaction, so derived data is never stale and the people app
does not depend on the apps built on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[Any], object]
_listeners: dict[str, Listener] = {}


def on_person_changed(key: str, listener: Listener) -> None:
    _listeners[key] = listener


def person_changed(person: Any) -> None:
    for listener in list(_listeners.values()):
        listener(person)
