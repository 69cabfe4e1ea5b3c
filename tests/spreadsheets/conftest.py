"""Fixtures for the spreadsheet tests: a small region and builders for XLSX and CSV files."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lotse.directory.models import Municipality, Programme, ResidenceStatusType, TargetGroup
from tests.factories import (
    MunicipalityFactory,
    ProgrammeFactory,
    ResidenceStatusTypeFactory,
    TargetGroupFactory,
)

HEADERS = [
    "Aktenzeichen/ID",
    "Name",
    "Vorname",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Sprache",
    "Wohnort/Gemeinde",
    "Datum Zuzug/Anmeldung",
    "Aufenthaltsstatus",
    "gültig bis",
    "Zielgruppe",
    "Programm",
    "Fallbeginn",
]


@dataclass
class Region:
    detmold: Municipality
    lemgo: Municipality
    gestattung: ResidenceStatusType
    duldung: ResidenceStatusType
    refugees: TargetGroup
    programme: Programme


@pytest.fixture
def region(traeger) -> Region:
    return Region(
        detmold=MunicipalityFactory(traeger=traeger, key="detmold", name="Detmold"),
        lemgo=MunicipalityFactory(traeger=traeger, key="lemgo", name="Lemgo"),
        gestattung=ResidenceStatusTypeFactory(
            traeger=traeger, key="gestattung", name="Aufenthaltsgestattung"
        ),
        duldung=ResidenceStatusTypeFactory(traeger=traeger, key="duldung", name="Duldung"),
        refugees=TargetGroupFactory(traeger=traeger, key="gefluechtete", name="Geflüchtete"),
        programme=ProgrammeFactory(
            traeger=traeger, key="case-management", name="Case Management", short_name="CM"
        ),
    )


def good_rows() -> list[list[Any]]:
    return [
        [
            "A-1",
            "Haddad",
            "Amina",
            "17.05.1990",
            "w",
            "syrisch",
            "Arabisch",
            "Detmold",
            "01.10.2025",
            "Aufenthaltsgestattung",
            "30.06.2026",
            "Geflüchtete",
            "Case Management",
            "05.10.2025",
        ],
        [
            "A-2",
            "Petrenko",
            "Olena",
            "1985-03-02",
            "weiblich",
            "UA",
            "uk, ru",
            "Lemgo",
            "2025-09-15",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "A-3",
            "Rahimi",
            "Farid",
            "3.7.2001",
            "m",
            "afghanisch",
            "Dari",
            "detmold",
            "",
            "Duldung",
            "",
            "",
            "CM",
            "",
        ],
    ]


def xlsx_bytes(
    rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS, *, title_rows: int = 0
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for index in range(title_rows):
        sheet.append([f"Fallliste Kreis Lippe, Stand {index}"])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str] = HEADERS,
    *,
    delimiter: str = ";",
    encoding: str = "cp1252",
) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def make_upload() -> Callable[..., SimpleUploadedFile]:
    return upload


def uploaded(*, actor: Any, upload: SimpleUploadedFile, **kwargs: Any) -> Any:
    """Upload and let the (immediate) worker read and check it, as after the request's commit."""
    from django.test import TestCase

    from lotse.spreadsheets import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.import_upload(actor=actor, upload=upload, **kwargs)
    job.refresh_from_db()
    return job


def checked(*, actor: Any, job: Any, **kwargs: Any) -> Any:
    """Change the mapping and let the worker repeat the dry run."""
    from django.test import TestCase

    from lotse.spreadsheets import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.import_check(actor=actor, job=job, **kwargs)
    job.refresh_from_db()
    return job
