"""URLs of the spreadsheets app: import pages, XLSX exports, the import API."""

from __future__ import annotations

import base64
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World

LIST = b"Aktenzeichen;Name;Vorname\r\nN-1;Neumann;Nora\r\n"


def _job(world: World) -> dict[str, int]:
    """A checked import job of Träger A, organisation A (created on first use)."""
    from lotse.spreadsheets import services
    from lotse.spreadsheets.models import ImportJob

    job = ImportJob.objects.filter(traeger=world.traeger_a, organisation=world.org_a).first()
    if job is None:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):  # the worker checks the list
            job = services.import_upload(
                actor=world.case_manager,
                upload=SimpleUploadedFile(
                    "alpha.csv", b"Aktenzeichen;Name;Vorname\r\nZ-1;Ostrowska;Liliana\r\n"
                ),
            )
    return {"pk": job.pk}


def _upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("liste.csv", LIST)}


def _mapping(world: World) -> dict[str, Any]:
    return {
        "key_rule": "column",
        "external_key": "Aktenzeichen",
        "last_name": "Name",
        "first_name": "Vorname",
    }


ENDPOINTS: dict[str, Endpoint] = {
    "spreadsheets:imports": Endpoint(
        Scope.TRAEGER, api=False, methods={"GET": None, "POST": _upload}
    ),
    "spreadsheets:import_detail": Endpoint(
        Scope.OBJECT, api=False, kwargs=_job, methods={"GET": None, "POST": _mapping}
    ),
    "spreadsheets:import_confirm": Endpoint(
        Scope.OBJECT, api=False, kwargs=_job, methods={"POST": lambda w: {}}
    ),
    "spreadsheets:import_discard": Endpoint(
        Scope.OBJECT, api=False, kwargs=_job, methods={"POST": lambda w: {}}
    ),
    "spreadsheets:export_cases": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "spreadsheets:export_persons": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "api:import-list": Endpoint(
        Scope.TRAEGER,
        api=True,
        methods={
            "POST": lambda w: {
                "file_name": "liste.csv",
                "content_base64": base64.b64encode(LIST).decode(),
            }
        },
    ),
    "api:import-detail": Endpoint(Scope.OBJECT, api=True, kwargs=_job, methods={"GET": None}),
    "api:import-confirm": Endpoint(
        Scope.OBJECT, api=True, kwargs=_job, methods={"POST": lambda w: {}}
    ),
}

# fmt: off
#                                                  anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("spreadsheets:imports", "GET"):               (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("spreadsheets:imports", "POST"):              (302, 302, 302, 403, 403, 403, 403, 403, 302, 302),
    ("spreadsheets:import_detail", "GET"):         (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("spreadsheets:import_detail", "POST"):        (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("spreadsheets:import_confirm", "POST"):       (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("spreadsheets:import_discard", "POST"):       (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("spreadsheets:export_cases", "GET"):          (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("spreadsheets:export_persons", "GET"):        (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("api:import-list", "POST"):                   (401, 202, 202, 403, 403, 403, 403, 403, 202, 202),
    ("api:import-detail", "GET"):                  (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:import-confirm", "POST"):                (401, 202, 202, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
