"""Reading a configuration file: YAML with line numbers, then the JSON Schema.

PyYAML's constructed data forgets where a value came from, so the file is composed into a node
tree first; walking that tree yields a map from value path to line number, which lets every
error (schema or cross-reference) point at the line the operator has to edit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from lotse.directory.config.errors import ConfigError, ConfigIssue, Path
from lotse.directory.config.yaml_errors import describe_yaml_error

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict[Any, list[Any]]) -> dict[Any, list[Any]]:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP_TAG]
        for first, entries in resolvers.items()
    }


class ConfigYamlLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as ISO strings, so the JSON Schema can check them."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


class ConfigYamlDumper(yaml.SafeDumper):
    """Safe dumper whose resolvers match the loader, so dates are written unquoted."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)


@dataclass
class ParsedConfig:
    """The constructed document plus where each value stands in the file."""

    filename: str
    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get(())

    def issue(self, path: Path, message: str) -> ConfigIssue:
        return ConfigIssue(message=message, path=tuple(path), line=self.line_of(path))


def _walk(
    node: yaml.Node, path: Path, lines: dict[Path, int], issues: list[ConfigIssue], seen: set[int]
) -> None:
    if id(node) in seen:  # an alias to a node already walked
        return
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            line = key_node.start_mark.line + 1
            if name in first_line:
                issues.append(
                    ConfigIssue(
                        # de: Der Schlüssel „{name}“ steht doppelt in diesem Abschnitt
                        # de: (zuerst in Zeile {first}).
                        message=_(
                            "The field “{name}” appears twice in this section "
                            "(first on line {first})."
                        ).format(name=name, first=first_line[name]),
                        path=(*path, name),
                        line=line,
                    )
                )
                continue
            first_line[name] = line
            lines[(*path, name)] = line
            _walk(value_node, (*path, name), lines, issues, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, issues, seen)


def parse_yaml(*, text: str, filename: str) -> ParsedConfig:
    """Parse ``text``; a syntax error or duplicate mapping key rejects the file."""
    loader = ConfigYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            # de: Die Datei ist leer.
            raise ConfigError(filename=filename, issues=[ConfigIssue(_("The file is empty."))])
        lines: dict[Path, int] = {}
        issues: list[ConfigIssue] = []
        _walk(node, (), lines, issues, set())
        if issues:
            raise ConfigError(filename=filename, issues=issues)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        problem = describe_yaml_error(exc, text)
        raise ConfigError(
            filename=filename,
            issues=[ConfigIssue(problem.message, line=problem.line, column=problem.column)],
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(
            filename=filename,
            # de: Die Datei ist kein gültiges YAML ({problem}).
            issues=[ConfigIssue(_("The file is not valid YAML ({problem}).").format(problem=exc))],
        ) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ConfigError(
            filename=filename,
            issues=[
                ConfigIssue(
                    # de: Die Datei muss aus Abschnitten der Form „name: wert“ bestehen
                    # de: (beginnend mit „format_version: 1“).
                    _(
                        "The file must consist of sections of the form “name: value” "
                        "(starting with “format_version: 1”)."
                    ),
                    line=1,
                )
            ],
        )
    return ParsedConfig(filename=filename, data=data, lines=lines)


@functools.cache
def config_schema() -> dict[str, Any]:
    """The shipped JSON Schema (``schema.yaml`` next to this module)."""
    text = resources.files("lotse.directory.config").joinpath("schema.yaml").read_text("utf-8")
    schema: dict[str, Any] = yaml.load(text, Loader=ConfigYamlLoader)  # noqa: S506 - safe loader
    Draft202012Validator.check_schema(schema)
    return schema


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=("date",))

    @checker.checks("email", raises=ValidationError)
    def is_email(value: object) -> bool:
        if isinstance(value, str):
            validate_email(value)
        return True

    @checker.checks("uri", raises=ValidationError)
    def is_uri(value: object) -> bool:
        if isinstance(value, str):
            URLValidator()(value)
        return True

    return checker


def _type_name(json_type: str) -> str:
    names = {
        "string": _("text"),  # de: Text
        "integer": _("whole number"),  # de: ganze Zahl
        "number": _("number"),  # de: Zahl
        "boolean": _("true or false"),  # de: true oder false
        "array": _("list"),  # de: Liste
        "object": _("section with fields"),  # de: Abschnitt mit Feldern
        "null": _("empty value"),  # de: leerer Wert
    }
    return names.get(json_type, json_type)


def _found_type(value: Any) -> str:
    if value is None:
        return _type_name("null")
    if isinstance(value, bool):
        return _type_name("boolean")
    if isinstance(value, int):
        return _type_name("integer")
    if isinstance(value, float):
        return _type_name("number")
    if isinstance(value, str):
        return _type_name("string")
    if isinstance(value, list):
        return _type_name("array")
    if isinstance(value, dict):
        return _type_name("object")
    return type(value).__name__


_KEY_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _quote(value: Any) -> str:
    return f"„{value}“"


def _issues_for(error: SchemaError, parsed: ParsedConfig) -> Iterable[ConfigIssue]:
    path: Path = tuple(error.absolute_path)
    # jsonschema types these as "maybe unset"; for errors from iter_errors they are always set.
    value: Any = error.instance
    validator: Any = error.validator
    limit: Any = error.validator_value
    schema: Any = error.schema
    if validator == "required":
        present = value if isinstance(value, dict) else {}
        for name in limit:
            if name not in present:
                # de: Das Pflichtfeld „{field}“ fehlt.
                yield parsed.issue(
                    path, _("The required field “{field}” is missing.").format(field=name)
                )
        return
    if validator == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        for name in value:
            if name not in allowed:
                yield parsed.issue(
                    (*path, name),
                    # de: Unbekanntes Feld „{field}“ (Tippfehler?). Erlaubt sind: {allowed}.
                    _("Unknown field “{field}” (typo?). Allowed fields: {allowed}.").format(
                        field=name, allowed=", ".join(sorted(allowed))
                    ),
                )
        return
    if validator == "type":
        expected = limit
        expected_names = (
            " / ".join(_type_name(t) for t in expected)
            if isinstance(expected, list)
            else _type_name(expected)
        )
        # de: Hier wird {expected} erwartet, gefunden wurde {found}.
        message = _("Expected {expected} here, found {found}.").format(
            expected=expected_names, found=_found_type(value)
        )
    elif validator == "const" and path == ("format_version",):
        # de: Formatversion {value} wird nicht unterstützt; diese Lotse-Version liest
        # de: format_version 1.
        message = _(
            "Format version {value} is not supported; this version of Lotse reads format_version 1."
        ).format(value=value)
    elif validator in {"enum", "const"}:
        allowed_values = limit if validator == "enum" else [limit]
        # de: Der Wert {value} ist nicht erlaubt. Erlaubt sind: {allowed}.
        message = _("The value {value} is not allowed. Allowed values: {allowed}.").format(
            value=_quote(value), allowed=", ".join(str(a) for a in allowed_values)
        )
    elif validator == "pattern" and limit == _KEY_PATTERN:
        # de: {value} ist kein gültiger Schlüssel: erlaubt sind Kleinbuchstaben ohne Umlaute,
        # de: Ziffern und Bindestriche (z. B. „bad-salzuflen“).
        message = _(
            "{value} is not a valid key: use lower-case letters without umlauts, digits and "
            "hyphens (e.g. “bad-salzuflen”)."
        ).format(value=_quote(value))
    elif (validator == "pattern" and limit == _DATE_PATTERN) or (
        validator == "format" and limit == "date"
    ):
        # de: {value} ist kein gültiges Datum; erwartet wird JJJJ-MM-TT (z. B. 2020-08-13).
        message = _("{value} is not a valid date; expected YYYY-MM-DD (e.g. 2020-08-13).").format(
            value=_quote(value)
        )
    elif validator == "format" and limit == "email":
        # de: {value} ist keine gültige E-Mail-Adresse.
        message = _("{value} is not a valid e-mail address.").format(value=_quote(value))
    elif validator in {"format", "pattern"} and path and path[-1] == "website":
        # de: {value} ist keine gültige Webadresse (sie muss mit http:// oder https:// beginnen).
        message = _(
            "{value} is not a valid web address (it must start with http:// or https://)."
        ).format(value=_quote(value))
    elif validator == "pattern":
        # de: {value} hat nicht die erwartete Form.
        message = _("{value} does not have the expected form.").format(value=_quote(value))
    elif validator == "minLength" and limit == 1:
        # de: Dieses Feld darf nicht leer sein.
        message = _("This field must not be empty.")
    elif validator == "minLength":
        # de: Der Text ist zu kurz (mindestens {limit} Zeichen).
        message = _("The text is too short (at least {limit} characters).").format(limit=limit)
    elif validator == "maxLength":
        # de: Der Text ist zu lang (höchstens {limit} Zeichen, hier {length}).
        message = _("The text is too long (at most {limit} characters, here {length}).").format(
            limit=limit, length=len(value)
        )
    elif validator == "minimum":
        # de: {value} ist zu klein (mindestens {limit}).
        message = _("{value} is too small (minimum {limit}).").format(value=value, limit=limit)
    elif validator == "maximum":
        # de: {value} ist zu groß (höchstens {limit}).
        message = _("{value} is too large (maximum {limit}).").format(value=value, limit=limit)
    elif validator == "minItems":
        # de: Die Liste muss mindestens {limit} Eintrag/Einträge enthalten.
        message = _("The list must contain at least {limit} entry/entries.").format(limit=limit)
    elif validator == "minProperties":
        # de: Dieser Abschnitt darf nicht leer sein.
        message = _("This section must not be empty.")
    elif validator == "oneOf" and path and path[-1] == "deadline":
        # de: Eine Frist hat genau eine dieser Formen: „from, within, unit“ (relativ zu einem
        # de: Ereignis), „by“ (festes Datum) oder „starting, every, unit“ (wiederkehrend).
        message = _(
            "A deadline has exactly one of these forms: “from, within, unit” (relative to an "
            "event), “by” (a fixed date) or “starting, every, unit” (recurring)."
        )
    else:
        # de: Ungültiger Wert ({detail}).
        message = _("Invalid value ({detail}).").format(detail=error.message)
    yield parsed.issue(path, message)


def validate_schema(parsed: ParsedConfig) -> list[ConfigIssue]:
    """All schema violations, in file order."""
    validator = Draft202012Validator(config_schema(), format_checker=_format_checker())
    issues: list[ConfigIssue] = []
    for error in validator.iter_errors(parsed.data):
        issues.extend(_issues_for(error, parsed))
    unique = {(i.line, i.path, i.message): i for i in issues}
    return sorted(unique.values(), key=lambda i: (i.line or 0, _path_sort_key(i.path)))


def _path_sort_key(path: Path) -> tuple[str, ...]:
    return tuple(f"{p:08d}" if isinstance(p, int) else p for p in path)
