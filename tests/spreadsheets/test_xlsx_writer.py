"""The streaming XLSX writer: what Excel/openpyxl read back from the file it writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from operator import itemgetter
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from lotse.spreadsheets.exporting import Column, column_letter, sheet_name, workbook_bytes

BERLIN = ZoneInfo("Europe/Berlin")


def columns(*headers: str) -> list[Column]:
    return [Column(header, itemgetter(index), 10 + index) for index, header in enumerate(headers)]


def written(rows, *headers: str, title: str = "Fälle meines Teams"):
    data, count = workbook_bytes(title=title, columns=columns(*headers), rows=rows)
    workbook = load_workbook(io.BytesIO(data))
    return data, count, workbook, workbook.worksheets[0]


def test_cells_have_their_types_and_formats():
    moment = dt.datetime(2026, 1, 10, 8, 30, tzinfo=dt.UTC)  # 09:30 in Berlin
    row = ("Text", 42, 2.5, True, Decimal("3.25"), dt.date(2024, 2, 29), moment, None, "")

    _data, count, _workbook, sheet = written(
        [row], "text", "int", "float", "bool", "decimal", "date", "datetime", "none", "empty"
    )

    assert count == 1
    cells = sheet[2]
    assert [cell.data_type for cell in cells[:5]] == ["s", "n", "n", "b", "n"]
    assert [cell.value for cell in cells[:5]] == ["Text", 42, 2.5, True, 3.25]
    date, moment_cell = cells[5], cells[6]
    assert date.is_date and date.value.date() == dt.date(2024, 2, 29)
    assert date.number_format == "DD.MM.YYYY"
    assert moment_cell.is_date and moment_cell.number_format == "DD.MM.YYYY HH:MM"
    assert moment_cell.value.replace(tzinfo=BERLIN) == moment  # written in local time
    assert sheet.max_column == 9 and all(cell.value is None for cell in cells[7:])
    assert all(not cell.quotePrefix for cell in cells)


def test_the_sheet_is_a_table_with_a_frozen_bold_header_and_a_filter():
    rows = [(f"Zeile {index}", index, dt.date(2025, 1, index)) for index in range(1, 31)]

    data, count, workbook, sheet = written(rows, "Name", "Nummer", "Datum")

    assert count == 30 and sheet.max_row == 31
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C31"
    assert sheet.print_title_rows == "$1:$1"
    assert [cell.value for cell in sheet[1]] == ["Name", "Nummer", "Datum"]
    assert all(cell.font.b for cell in sheet[1])
    assert {cell.fill.fgColor.rgb for cell in sheet[1]} == {"FFDDE4EE"}
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [10, 11, 12]
    assert sheet.title == "Fälle meines Teams"
    assert workbook.properties.title == "Fälle meines Teams"
    assert workbook.properties.creator == "Lotse"
    assert sheet["A31"].value == "Zeile 30" and sheet["C31"].value.date() == dt.date(2025, 1, 30)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = archive.read("xl/workbook.xml").decode()
    assert (
        '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        "'Fälle meines Teams'!$A$1:$C$31</definedName>"
    ) in book


def test_an_empty_export_has_the_header_only():
    _data, count, _workbook, sheet = written([], "Name", "Datum")

    assert count == 0 and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:B1"


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://example.org","klick")', "+49 5231", "-42", "@SUM(A1)", "\tx"]
)
def test_text_that_looks_like_a_formula_stays_quoted_text(text):
    data, _count, _workbook, sheet = written([(text, "harmlos")], "a", "b")

    cell, harmless = sheet["A2"], sheet["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert (harmless.data_type, harmless.quotePrefix) == ("s", False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and 't="str"' not in xml


def test_markup_and_illegal_characters_are_escaped_or_dropped():
    nasty = "a<b>&c\"d'e\x00f\x07g\x1bh\ufffei"
    header = "Kopf <&>\x01"

    data, _count, workbook, sheet = written(
        [(nasty, "\x00\x01", "]]></t></is></c>")], header, "b", "c", title="Liste <&> 'x' ok"
    )

    assert sheet["A1"].value == "Kopf <&>"
    assert sheet["A2"].value == "a<b>&c\"d'efghi"
    assert sheet["B2"].value is None  # nothing left: an empty cell
    assert sheet["C2"].value == "]]></t></is></c>"
    assert workbook.properties.title == "Liste <&> 'x' ok"
    assert sheet.title == "Liste <&> 'x' ok"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


def test_a_control_character_before_a_formula_does_not_hide_it():
    _data, _count, _workbook, sheet = written([("\x01=1+1",)], "a")

    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("=1+1", True)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Fälle [Team]: A/B*C?", "Fälle  Team   A B C"),
        ("x" * 40, "x" * 31),
        ("'Zitat'", "Zitat"),
        ("", "Lotse"),
        ("/", "Lotse"),
    ],
)
def test_sheet_names_follow_excels_rules(title, expected):
    assert sheet_name(title) == expected


def test_column_letters():
    assert [column_letter(n) for n in (1, 12, 26, 27, 52, 703)] == [
        "A",
        "L",
        "Z",
        "AA",
        "AZ",
        "AAA",
    ]


def test_many_rows_are_written_in_blocks_and_read_back_in_order():
    rows = ((index, f"Name {index}") for index in range(1, 2502))

    _data, count, _workbook, sheet = written(rows, "n", "name")

    assert count == 2501 and sheet.max_row == 2502
    values = [row[0] for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert values == list(range(1, 2502))
    assert sheet["B2502"].value == "Name 2501"
