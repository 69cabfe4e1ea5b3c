"""PyYAML's syntax errors in plain German, at the line and column the operator has to edit.

PyYAML reports in English and at the point where parsing gave up, which for an unclosed
bracket or quote is often the end of the file. An operator needs the place where the bracket or
quote was opened and a sentence that says what to do there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from django.utils.translation import gettext as _

_CANNOT_START = re.compile(r"found character '(?P<char>.+)' that cannot start any token")
_UNCLOSED_FLOW = re.compile(r"expected ',' or '(?P<close>[\]}])', but got")
_BLOCK_END = re.compile(r"expected <block end>, but found '(?P<found>.+)'")
_ALIAS = re.compile(r"found undefined alias '(?P<name>.+)'")


@dataclass(frozen=True)
class YamlProblem:
    """A syntax error: German text, 1-based line and column of the place to edit."""

    message: str
    line: int | None
    column: int | None


def _position(mark: yaml.Mark | None) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _unclosed_quote(text: str, before_line: int) -> tuple[int, int] | None:
    """The first line up to ``before_line`` with an odd number of double quotes, and the column
    of its last one: YAML lets a quoted value run over lines, so the parser stumbles only where
    the next quote happens to be, far below the line that lacks its closing quote."""
    for number, line in enumerate(text.splitlines()[:before_line], start=1):
        if line.lstrip().startswith("#"):
            continue
        quotes = [i for i, char in enumerate(line) if char == '"' and line[i - 1 : i] != "\\"]
        if len(quotes) % 2:
            return number, quotes[-1] + 1
    return None


def describe_yaml_error(exc: yaml.MarkedYAMLError, text: str = "") -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    problem_line = mark.line + 1 if mark is not None else len(text.splitlines())
    if text and (unclosed := _unclosed_quote(text, problem_line)):
        return YamlProblem(_("The quotation mark that starts here is never closed."), *unclosed)
    problem = exc.problem or ""
    context = exc.context or ""
    at_problem = _position(exc.problem_mark or exc.context_mark)
    at_context = _position(exc.context_mark) if exc.context_mark else at_problem
    context_line = at_context[0]

    if "flow sequence" in context or "flow mapping" in context:
        if _UNCLOSED_FLOW.match(problem):
            opened = "[" if "sequence" in context else "{"
            closing = "]" if opened == "[" else "}"
            return YamlProblem(
                _(
                    "The bracket “{opened}” is not closed: “{closing}” or a comma between two "
                    "entries is missing (noticed on line {line})."
                ).format(opened=opened, closing=closing, line=at_problem[0]),
                *at_context,
            )
    if "quoted scalar" in context and "end of stream" in problem:
        return YamlProblem(
            _("The quotation mark that starts here is never closed."),
            *at_context,
        )
    if "quoted scalar" in context and "escape character" in problem:
        return YamlProblem(
            _(
                "A backslash “\\” inside double quotes starts a special character; use single "
                "quotes or write “\\\\”."
            ),
            *at_problem,
        )
    if match := _CANNOT_START.match(problem):
        if match["char"] == "\\t":
            return YamlProblem(
                _("There is a tab here: YAML indents with spaces only."), *at_problem
            )
        return YamlProblem(
            _("A value cannot start with “{char}”; put it in quotation marks.").format(
                char=match["char"]
            ),
            *at_problem,
        )
    if problem == "mapping values are not allowed here":
        return YamlProblem(
            _(
                "There is a colon where none belongs: is a colon missing on the line before, "
                "is the indentation wrong, or does a value contain “: ” and need quotation "
                "marks?"
            ),
            *at_problem,
        )
    if "could not find expected ':'" in problem:
        return YamlProblem(
            _("The colon after the field name is missing (“name: value”)."),
            *at_context,
        )
    if match := _BLOCK_END.match(problem):
        if match["found"] == "-":
            return YamlProblem(
                _(
                    "A list entry (“- ”) stands among the fields of the section that starts on "
                    "line {line}: check the indentation."
                ).format(line=context_line),
                *at_problem,
            )
        return YamlProblem(
            _(
                "The indentation does not fit the section that starts on line {line}: indent "
                "this line as far as the other entries of that section."
            ).format(line=context_line),
            *at_problem,
        )
    if match := _ALIAS.match(problem):
        return YamlProblem(
            _("The reference “*{name}” has no anchor “&{name}” above it.").format(
                name=match["name"]
            ),
            *at_problem,
        )
    text = problem or context
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        text = _("{problem}; {context} on line {line}").format(
            problem=problem, context=context, line=context_line
        )
    return YamlProblem(
        _(
            "The file is not valid YAML ({problem}). Common causes: wrong indentation, a missing "
            "colon, a tab instead of spaces, an unclosed bracket or quote."
        ).format(problem=text),
        *at_problem,
    )
