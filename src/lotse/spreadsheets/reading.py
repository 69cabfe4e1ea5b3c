"""Reading the caseload lists municipalities keep today: XLSX (Excel, LibreOffice) and CSV.

CSV as Excel writes it in Germany: ``;`` as delimiter and Windows-1252 ("ANSI"); newer Excel
versions write UTF-8 with a byte order mark, other tools UTF-8 without one and ``,``. Excel's
"Unicode text" is UTF-16 with tabs. All are detected from the content, never from the name.

A file that cannot be read raises :class:`UnreadableFile` with a message for the user; nothing
is stored before a file has been read successfully.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

#: Values a cell can hold after reading (openpyxl gives numbers, dates and datetimes).
CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | None

MAX_ROWS = 20_000
MAX_COLUMNS = 200
#: The header row is looked for among the first rows (lists often start with a title line).
HEADER_SEARCH_ROWS = 10

#: Decompression bombs: a few hundred kilobytes of XLSX can inflate to gigabytes. A workbook
#: whose parts together unpack to more than this (LOTSE_IMPORT_MAX_UNPACKED_MB) is refused
#: before anything is parsed, as is one with more parts or a larger declared worksheet than a
#: caseload list ever has.
MAX_XLSX_PARTS = 1000
#: How much of a worksheet's XML is read to find its declared size (<dimension ref="A1:N300"/>).
DIMENSION_HEAD_BYTES = 4096
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')

XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97 files)


class UnreadableFile(Exception):
    """The upload is not a spreadsheet Lotse can read; the message says why (German UI)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    headers: list[str]
    header_row: int
    #: (row number as shown in the spreadsheet program, cells aligned with ``headers``)
    rows: list[tuple[int, list[CellValue]]]
    encoding: str = ""
    delimiter: str = ""
    sheet_name: str = ""
    notes: list[str] = field(default_factory=list)


def read_table(data: bytes, file_name: str = "") -> Table:
    """Read the first worksheet (XLSX) or the whole file (CSV) into a header and rows."""
    if not data or not data.strip():
        # de: Die Datei ist leer.
        raise UnreadableFile(_("The file is empty."), "empty")
    if data.startswith(XLSX_SIGNATURE):
        return _read_xlsx(data)
    if data.startswith(OLE_SIGNATURE):
        raise UnreadableFile(
            # de: Das alte Excel-Format (.xls) wird nicht unterstützt. Bitte speichern Sie die
            # Liste in Excel als „Excel-Arbeitsmappe (.xlsx)“ oder als „CSV (Trennzeichen-getrennt)“.
            _(
                "The old Excel format (.xls) is not supported. Please save the list in Excel as "
                '"Excel Workbook (.xlsx)" or as "CSV (delimited)".'
            ),
            "xls",
        )
    if data.startswith(b"%PDF") or data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        raise UnreadableFile(_not_a_spreadsheet(), "not_spreadsheet")
    return _read_csv(data)


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "LOTSE_IMPORT_MAX_UNPACKED_MB", 50)) * 1024 * 1024


def sniff(data: bytes) -> str:
    """The cheap checks of an upload, done in the request before anything is stored: "xlsx"
    or "csv", or :class:`UnreadableFile`. Parsing the rows is the background task's work."""
    if not data or not data.strip():
        raise UnreadableFile(_("The file is empty."), "empty")
    if data.startswith(XLSX_SIGNATURE):
        check_xlsx_archive(data)
        return "xlsx"
    if data.startswith(OLE_SIGNATURE) or data.startswith(b"%PDF"):
        read_table(data)  # raises the matching message
    if data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        raise UnreadableFile(_not_a_spreadsheet(), "not_spreadsheet")
    _decode(data)  # an unknown encoding is said at once
    return "csv"


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX that is no ZIP archive or that would unpack beyond the limits.

    Reads the archive's directory and the first bytes of each worksheet only; the declared
    sizes are binding (Python's zipfile stops reading a part at its declared size).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _broken_xlsx() from None
    with archive:
        if len(parts) > MAX_XLSX_PARTS or sum(p.file_size for p in parts) > max_unpacked_bytes():
            raise UnreadableFile(
                # de: Die Excel-Datei ist entpackt größer als %(mb)s MB und wird nicht gelesen.
                # Bitte speichern Sie die Liste neu oder teilen Sie sie auf.
                _(
                    "Unpacked, the Excel file is larger than %(mb)s MB and is not read. Please "
                    "save the list again or split it."
                )
                % {"mb": max_unpacked_bytes() // (1024 * 1024)},
                "too_large_unpacked",
            )
        for part in parts:
            if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                continue
            try:
                with archive.open(part) as handle:
                    head = handle.read(DIMENSION_HEAD_BYTES)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
                raise _broken_xlsx() from None
            _check_dimension(head)


def _check_dimension(head: bytes) -> None:
    from openpyxl.utils import column_index_from_string

    match = _DIMENSION.search(head)
    if not match:
        return
    last_column = match.group(3) or match.group(1)
    last_row = match.group(4) or match.group(2)
    if last_row and int(last_row) > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
        raise _too_many_rows()
    if last_column and column_index_from_string(last_column.decode()) > MAX_COLUMNS:
        raise UnreadableFile(
            # de: Die Tabelle hat mehr als %(max)s Spalten. Bitte entfernen Sie nicht benötigte
            # Spalten.
            _("The sheet has more than %(max)s columns. Please remove the columns not needed.")
            % {"max": MAX_COLUMNS},
            "too_many_columns",
        )


def _broken_xlsx() -> UnreadableFile:
    return UnreadableFile(
        # de: Die Excel-Datei ist beschädigt oder keine Excel-Arbeitsmappe (.xlsx).
        _("The Excel file is damaged or not an Excel workbook (.xlsx)."),
        "broken_xlsx",
    )


def _not_a_spreadsheet() -> str:
    # de: Die Datei ist keine Tabelle. Erlaubt sind Excel-Arbeitsmappen (.xlsx) und CSV-Dateien.
    return _("The file is not a spreadsheet. Allowed are Excel workbooks (.xlsx) and CSV files.")


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise _broken_xlsx() from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise UnreadableFile(_("The file contains no data rows."), "no_rows")
        raw: list[tuple[int, list[CellValue]]] = []
        # Never pad rows beyond MAX_COLUMNS, whatever size the sheet declares.
        width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        rows = sheet.iter_rows(values_only=True, max_col=width)
        for number, values in enumerate(rows, start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
                raise _too_many_rows()
            raw.append((number, [_clean_cell(value) for value in values[:MAX_COLUMNS]]))
        table = _build_table(raw, kind="xlsx")
        table.sheet_name = sheet.title
        if len(workbook.worksheets) > 1:
            # de: Die Mappe hat mehrere Tabellenblätter; gelesen wurde nur das erste („%(name)s“).
            table.notes.append(
                _('The workbook has several sheets; only the first ("%(name)s") was read.')
                % {"name": sheet.title}
            )
        return table
    finally:
        workbook.close()


def _clean_cell(value: Any) -> CellValue:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if value is None or isinstance(value, int | float | bool | dt.date | dt.datetime | dt.time):
        return value  # type: ignore[no-any-return]
    return str(value)


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding; UTF-8 first, then Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_not_a_spreadsheet(), "not_spreadsheet")
    raise UnreadableFile(
        # de: Die Zeichenkodierung der Datei ist unbekannt. Bitte speichern Sie die Liste als
        # „CSV UTF-8“ oder als Excel-Arbeitsmappe (.xlsx).
        _(
            'The character encoding of the file is unknown. Please save the list as "CSV UTF-8" '
            "or as an Excel workbook (.xlsx)."
        ),
        "encoding",
    )


def _detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most regular, columns."""
    sample = text[:20_000].splitlines()[:20]
    best, best_score = ";", (0, 0)
    for delimiter in (";", ",", "\t"):
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not widths:
            continue
        header = widths[0]
        regular = sum(1 for width in widths if width == header)
        score = (regular if header > 1 else 0, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    delimiter = _detect_delimiter(text)
    raw: list[tuple[int, list[CellValue]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
                raise _too_many_rows()
            raw.append((number, [_clean_cell(value) for value in values[:MAX_COLUMNS]]))
    except csv.Error:
        raise UnreadableFile(
            # de: Die CSV-Datei ist fehlerhaft (z. B. ein nicht geschlossenes Anführungszeichen).
            _("The CSV file is malformed (for example an unclosed quotation mark)."),
            "broken_csv",
        ) from None
    table = _build_table(raw, kind="csv")
    table.encoding = encoding
    table.delimiter = delimiter
    return table


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        # de: Die Datei hat mehr als %(max)s Zeilen. Bitte teilen Sie die Liste auf.
        _("The file has more than %(max)s rows. Please split the list.") % {"max": MAX_ROWS},
        "too_many_rows",
    )


def _build_table(raw: list[tuple[int, list[CellValue]]], *, kind: str) -> Table:
    """Find the header row (the first with two or more texts) and align the rows to it."""
    header_index = None
    for index, (_number, values) in enumerate(raw[:HEADER_SEARCH_ROWS]):
        texts = [value for value in values if isinstance(value, str)]
        if len(texts) >= 2:
            header_index = index
            break
    if header_index is None:
        if not any(any(value is not None for value in values) for _number, values in raw):
            raise UnreadableFile(_("The file is empty."), "empty")
        raise UnreadableFile(
            # de: In den ersten Zeilen steht keine Kopfzeile mit Spaltennamen.
            _("No header row with column names was found in the first rows."),
            "no_header",
        )
    header_number, header_values = raw[header_index]
    headers = _unique_headers(header_values)
    width = len(headers)
    rows = []
    for number, values in raw[header_index + 1 :]:
        cells = (values + [None] * width)[:width]
        if any(cell is not None for cell in cells):
            rows.append((number, cells))
    if not rows:
        # de: Die Datei enthält keine Datenzeilen.
        raise UnreadableFile(_("The file contains no data rows."), "no_rows")
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    return Table(kind=kind, headers=headers, header_row=header_number, rows=rows)


def _unique_headers(values: list[CellValue]) -> list[str]:
    """Column names as shown; empty ones get the column letter, repeated ones a number."""
    from openpyxl.utils import get_column_letter

    last = max((i for i, value in enumerate(values) if value is not None), default=-1)
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values[: last + 1]):
        name = " ".join(str(value).split()) if value is not None else ""
        if not name:
            # de: Spalte %(letter)s
            name = _("Column %(letter)s") % {"letter": get_column_letter(index + 1)}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers
