"""XLSX exports that Excel and LibreOffice open as a proper table.

Real date cells with a German number format, a bold header row that stays visible (frozen
pane), an autofilter, column widths, a named sheet and document title. Text cells are always
written as text: a value starting with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) is never a
formula (CSV/formula injection, OWASP), and it carries the quote prefix so that editing the
cell in Excel does not turn it into one either.

Written in openpyxl's write-only mode into a temporary file (issue 14): rows go to disk as
they come, so an export of 100,000 rows needs no more worker memory than one of 100.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD.MM.YYYY"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 18


def _write(cell: Cell, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool | int | float):
        cell.value = value
    else:
        text = _ILLEGAL_XML.sub("", str(value))
        cell.value = text
        cell.data_type = "s"  # never "f" (formula), whatever the text starts with
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True


def _plain(value: Any) -> bool:
    """Values written as they are (no cell object, no style): numbers and harmless text."""
    if value is None or isinstance(value, bool | int | float):
        return True
    return (
        isinstance(value, str)
        and not value.startswith(FORMULA_PREFIXES)
        and not _ILLEGAL_XML.search(value)
    )


def write_workbook(
    target: IO[bytes], *, title: str, columns: list[Column], rows: Iterable[Any]
) -> int:
    """Write the XLSX file into ``target``; the number of data rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_SHEET_NAME_FORBIDDEN.sub(" ", title)[:31])
    workbook.properties.title = title
    workbook.properties.creator = "Lotse"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    header = []
    for index, column in enumerate(columns, start=1):
        cell = WriteOnlyCell(sheet)
        _write(cell, column.header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.append(header)
    count = 0
    for item in rows:
        count += 1
        values = []
        for column in columns:
            value = column.value(item)
            if value == "" or _plain(value):
                values.append(None if value == "" else value)
            else:
                cell = WriteOnlyCell(sheet)
                _write(cell, value)
                values.append(cell)
        sheet.append(values)
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(target)
    return count


def workbook_file(
    *, title: str, columns: list[Column], rows: Iterable[Any]
) -> tuple[IO[bytes], int]:
    """The XLSX file as an open temporary file (at its start) and the number of data rows.

    The file is deleted when it is closed (a ``FileResponse`` closes it after sending).
    """
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    count = write_workbook(target, title=title, columns=columns, rows=rows)
    target.seek(0)
    return target, count


def workbook_bytes(*, title: str, columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    """The XLSX file in memory (small lists, tests) and the number of data rows written."""
    with tempfile.TemporaryFile(suffix=".xlsx") as target:
        count = write_workbook(target, title=title, columns=columns, rows=rows)
        target.seek(0)
        return target.read(), count
