"""One filter definition per list, used by the page, its XLSX export and its API.

A :class:`ListFilter` names the filters of a list once: the query-string parameter of the page
and the export (German, e.g. ``kommune``), the API parameter (English, e.g. ``municipality``),
the label, the kind of value and the default. It parses a query string into the list's filter
dataclass (the selector applies that dataclass to the queryset), reports bad values with German
messages per field, writes the query string back and builds the API's query serializer. The
export and the API cannot ignore a filter: all three read the same definition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.utils.translation import gettext as _

F = TypeVar("F")

TEXT = "text"
INT = "int"
CHOICE = "choice"
FLAG = "flag"  # a checkbox: "1" on the page, true/false in the API


@dataclass(frozen=True)
class FilterField:
    """One filter: ``name`` is the attribute of the filter dataclass."""

    name: str
    param: str  # page and export
    label: Any  # lazy German label (for the form and error messages)
    kind: str = TEXT
    api_param: str | None = None  # None: not offered by the API
    choices: Callable[[], list[tuple[str, Any]]] | None = None
    inverted: bool = False  # FLAG only: the parameter set means the attribute is False
    api_inverted: bool = False
    help_text: Any = ""
    api_field: Callable[[], Any] | None = None  # a custom serializer field for the API

    def default(self, target: type) -> Any:
        return {f.name: f.default for f in dataclasses.fields(target)}[self.name]


@dataclass(frozen=True)
class ParsedFilter(Generic[F]):
    values: F
    errors: dict[str, list[str]] = field(default_factory=dict)


def _not_in_list(item: FilterField) -> str:
    # de: „%(label)s“: Bitte einen Wert aus der Liste wählen.
    return _("“%(label)s”: please pick a value from the list.") % {"label": item.label}


class ListFilter(Generic[F]):
    def __init__(self, target: type[F], fields: list[FilterField]) -> None:
        self.target = target
        self.fields = fields

    # --- the page and the export -------------------------------------------------------------

    def parse(self, data: Mapping[str, Any], **fixed: Any) -> ParsedFilter[F]:
        """The filter values of the query string; a bad value keeps the default, with an error."""
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for item in self.fields:
            raw = data.get(item.param, "")
            raw = raw.strip() if isinstance(raw, str) else raw
            default = item.default(self.target)
            if item.kind == FLAG:
                values[item.name] = (raw == "1") != item.inverted
                continue
            if raw in ("", None):
                values[item.name] = default
                continue
            try:
                values[item.name] = self._convert(item, raw)
            except ValueError as error:
                values[item.name] = default
                errors[item.param] = [str(error)]
        values.update(fixed)
        return ParsedFilter(values=self.target(**values), errors=errors)

    def _convert(self, item: FilterField, raw: Any) -> Any:
        if item.kind == INT:
            if not str(raw).isdigit() or not 0 < int(raw) < 2**31:
                raise ValueError(_not_in_list(item))
            return int(raw)
        if item.kind == CHOICE:
            allowed = [value for value, _label in item.choices()] if item.choices else []
            if raw not in allowed:
                raise ValueError(_not_in_list(item))
            return raw
        return str(raw)

    def query(self, values: F) -> dict[str, str]:
        """The query-string parameters that select ``values`` (defaults left out)."""
        params: dict[str, str] = {}
        for item in self.fields:
            value = getattr(values, item.name)
            if item.kind == FLAG:
                if value != item.inverted:
                    params[item.param] = "1"
            elif value not in ("", None) and value != item.default(self.target):
                params[item.param] = str(value)
        return params

    def querystring(self, values: F) -> str:
        return urlencode(self.query(values))

    # --- the API -----------------------------------------------------------------------------

    def api_fields(self) -> list[FilterField]:
        return [item for item in self.fields if item.api_param]

    def api_serializer(self, base: type, name: str) -> type:
        """A DRF query serializer with the API parameters of this definition (schema included)."""
        from rest_framework import serializers

        from lotse.api.serializers.common import MAX_ID

        attrs: dict[str, Any] = {}
        for item in self.api_fields():
            param = str(item.api_param)
            if item.api_field is not None:
                attrs[param] = item.api_field()
            elif item.kind == FLAG:
                attrs[param] = serializers.BooleanField(
                    required=False, default=False, help_text=item.help_text or item.label
                )
            elif item.kind == INT:
                attrs[param] = serializers.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=MAX_ID,
                    help_text=item.help_text or item.label,
                )
            elif item.kind == CHOICE:
                attrs[param] = serializers.ChoiceField(
                    required=False,
                    choices=item.choices() if item.choices else [],
                    help_text=item.help_text or item.label,
                )
            else:
                attrs[param] = serializers.CharField(
                    required=False,
                    allow_blank=True,
                    default="",
                    help_text=item.help_text or item.label,
                )
        return type(name, (base,), attrs)

    def from_api(self, validated: Mapping[str, Any], **fixed: Any) -> F:
        """The filter values from the API serializer's validated data."""
        values: dict[str, Any] = {}
        for item in self.api_fields():
            value = validated.get(str(item.api_param))
            if item.kind == FLAG:
                value = bool(value) != item.api_inverted
            elif value is None or value == "":
                value = item.default(self.target)
            elif item.kind == TEXT:
                value = str(value).strip()
            values[item.name] = value
        values.update(fixed)
        return self.target(**values)
