"""XLSX exports that Excel and LibreOffice open as a proper table.

Real date cells with a German number format, a bold header row that stays visible (frozen
pane, repeated on every printed page), an autofilter, column widths, a named sheet and document
title. Text cells are always written as text: a value starting with ``=``, ``+``, ``-``, ``@``
(or a tab/CR) is never a formula (CSV/formula injection, OWASP), and it carries the quote prefix
so that editing the cell in Excel does not turn it into one either. Characters XML 1.0 forbids
(control characters) are dropped.

Written by a small streaming writer of our own rather than openpyxl (issue 14): the sheet XML
goes as text, a block of rows at a time, through a deflated entry into a temporary file, with
inline strings (no shared-string table to keep in memory). An export of 100,000 rows needs no
more worker memory than one of 100, and it is written at well over 20,000 rows/s instead of
openpyxl's ≈ 1,500 (one Python object per cell).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Text that needs more than copying: XML markup characters or characters to drop.
_NEEDS_ESCAPING = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

#: Rows per block of sheet XML handed to the compressor.
_ROWS_PER_BLOCK = 500
#: Excel's day 0 (the 1900 leap-year bug included: serials count from 30 December 1899).
_EPOCH = dt.date(1899, 12, 30)
_EPOCH_ORDINAL = _EPOCH.toordinal()

# Cell styles (indexes into cellXfs of styles.xml below).
_HEADER, _DATE, _DATETIME, _QUOTED = 1, 2, 3, 4

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/><numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Lotse</Application></Properties>"""


@dataclass(frozen=True)
class Column:
    """One column: its header, how its value is read from a row, its width in characters."""

    header: str
    value: Callable[[Any], Any]
    width: int = 18


def column_letter(index: int) -> str:
    """``A`` for 1, ``Z`` for 26, ``AA`` for 27."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sheet_name(title: str) -> str:
    """Excel's rules: ≤ 31 characters, none of ``[]:*?/\\``, no apostrophe at the ends."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31].strip(" '") or "Lotse"


def _text(value: str, ref: str) -> str:
    if _NEEDS_ESCAPING.search(value):
        value = escape(_ILLEGAL_XML.sub("", value))
    if not value:
        return ""
    # Always an inline string, never a formula, whatever the text starts with.
    style = f' s="{_QUOTED}"' if value.startswith(FORMULA_PREFIXES) else ""
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{value}</t></is></c>'


def _date(value: dt.date, ref: str) -> str:
    return f'<c r="{ref}" s="{_DATE}"><v>{value.toordinal() - _EPOCH_ORDINAL}</v></c>'


def _datetime(value: dt.datetime, ref: str) -> str:
    """Local time (Europe/Berlin) for aware values: Excel has no time zones."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    serial = value.toordinal() - _EPOCH_ORDINAL + seconds / 86400
    return f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>'


def _cell(value: Any, ref: str) -> str:
    """The XML of one cell; "" for an empty one (no value, empty text)."""
    kind = type(value)  # the exact type first: the common cases without isinstance chains
    if kind is str:
        return _text(value, ref)
    if value is None:
        return ""
    if kind is dt.date:
        return _date(value, ref)
    if kind is int or kind is Decimal:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        return _datetime(value, ref)
    if isinstance(value, dt.date):
        return _date(value, ref)
    if isinstance(value, int | Decimal):
        return f'<c r="{ref}"><v>{int(value) if isinstance(value, int) else value}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):  # no number in XLSX: "inf", "nan" as text
            return _text(str(value), ref)
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
    return _text(str(value), ref)


def _sheet_head(columns: list[Column]) -> str:
    widths = "".join(
        f'<col min="{index}" max="{index}" width="{column.width}" customWidth="1"/>'
        for index, column in enumerate(columns, start=1)
    )
    header = "".join(
        f'<c r="{column_letter(index)}1" t="inlineStr" s="{_HEADER}"><is><t xml:space="preserve">'
        f"{escape(_ILLEGAL_XML.sub('', column.header))}</t></is></c>"
        for index, column in enumerate(columns, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{widths}</cols>"
        f'<sheetData><row r="1">{header}</row>'
    )


def _workbook(name: str, filter_range: str) -> str:
    quoted = "'" + escape(name.replace("'", "''")) + "'"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets>'
        "<definedNames>"
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{quoted}!{filter_range}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{quoted}!$1:$1</definedName>'
        "</definedNames></workbook>"
    )


def _core(title: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_ILLEGAL_XML.sub('', title))}</dc:title>"
        "<dc:creator>Lotse</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def write_workbook(
    target: IO[bytes], *, title: str, columns: list[Column], rows: Iterable[Any]
) -> int:
    """Write the XLSX file into ``target``; the number of data rows written."""
    name = sheet_name(title)
    letters = [column_letter(index) for index in range(1, len(columns) + 1)]
    readers = [(column.value, letter) for column, letter in zip(columns, letters, strict=True)]
    count = 0
    with zipfile.ZipFile(
        target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True
    ) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("docProps/app.xml", _APP)
        archive.writestr("docProps/core.xml", _core(title))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        # No forced ZIP64: Excel refuses a small entry whose local header carries ZIP64 sizes,
        # and a sheet (at most 1,048,576 rows) stays far below 4 GiB of XML.
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(columns).encode())
            block: list[str] = []
            number = 1
            for item in rows:
                number += 1
                suffix = str(number)
                block.append(f'<row r="{suffix}">')
                block.extend([_cell(read(item), letter + suffix) for read, letter in readers])
                block.append("</row>")
                if number % _ROWS_PER_BLOCK == 0:
                    sheet.write("".join(block).encode())
                    block.clear()
            count = number - 1
            last = letters[-1] if letters else "A"
            sheet.write(
                "".join(block).encode()
                + f'</sheetData><autoFilter ref="A1:{last}{number}"/>'.encode()
                + b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                b'footer="0.3"/></worksheet>'
            )
        archive.writestr("xl/workbook.xml", _workbook(name, f"$A$1:${last}${number}"))
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
