"""XLSX exports that Excel and LibreOffice open as a proper table.

Real date cells with a German number format, a bold header row that stays visible (frozen
pane), an autofilter, column widths, a named sheet and document title. Text cells are always
written as text: a value starting with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) is never a
formula (CSV/formula injection, OWASP), and it carries the quote prefix so that editing the
cell in Excel does not turn it into one either.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
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


def workbook_bytes(*, title: str, columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    """The XLSX file and the number of data rows written."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31]
    workbook.properties.title = title
    workbook.properties.creator = "Lotse"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        _write(cell, column.header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for count, item in enumerate(rows, start=1):
        for index, column in enumerate(columns, start=1):
            _write(sheet.cell(row=count + 1, column=index), column.value(item))
    last = get_column_letter(max(len(columns), 1))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    sheet.print_title_rows = "1:1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
