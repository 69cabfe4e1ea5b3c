"""``GET /api/v1/persons/{id}/export/`` (JSON; ``?format=pdf`` for the PDF) and ``…/export.pdf``."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.views.base import API_CHANNEL, BULK_READ, FileAPIView
from lotse.api.views.people import NOT_FOUND
from lotse.core.access import Action
from lotse.people.selectors import get_person_for_user
from lotse.privacy import pdf, services

TAG = "Datenschutz"

DESCRIPTION = (
    "Auskunft nach Art. 15 DSGVO: alles, was der Träger über die Person speichert (Stammdaten, "
    "Namensvarianten, Aufenthaltsstatus, Haushalt nur als Verweis, Gesundheitsangaben, Fälle mit "
    "allem, was an ihnen hängt, Einwilligungen, Übermittlungen) und der Zugriffsbericht (wer hat "
    "wann was gesehen oder erhalten). Struktur: `format`, `format_version`, `generated_at`, "
    "`controller`, `person`, `sections[]` (je Modell `model`, `title`, `kind`, `purpose`, "
    "`legal_basis`, `retention`, `categories`, `rows[]`), `transfers[]`, `access_report[]`. "
    "Nur für das Fallteam; jeder Abruf wird als Export protokolliert."
)


def export_response(request: Any, person: Any, output: str, channel: str = "") -> HttpResponse:
    """The one place that builds, audits and delivers an export (web and API)."""
    export = services.export_person(
        user=request.user, person=person, request=request, output=output, channel=channel
    )
    filename = f"auskunft-art15-person-{person.pk}"
    if output == "pdf":
        response = HttpResponse(pdf.render_pdf(export), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    body = json.dumps(export.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


class PersonExportView(FileAPIView):
    required_actions = {"GET": Action.VIEW}
    recent_auth_methods = BULK_READ

    @extend_schema(
        operation_id="persons_export",
        tags=[TAG],
        summary="Auskunft nach Art. 15 DSGVO (JSON oder PDF)",
        description=DESCRIPTION + " Mit `?format=pdf` als lesbares PDF.",
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse | Response:
        person = get_person_for_user(request.user, pk, Action.VIEW)
        output = "pdf" if request.accepted_renderer.format == "pdf" else "json"
        return export_response(request, person, output, channel=API_CHANNEL)


class PersonExportPdfView(FileAPIView):
    required_actions = {"GET": Action.VIEW}
    recent_auth_methods = BULK_READ

    @extend_schema(
        operation_id="persons_export_pdf",
        tags=[TAG],
        summary="Auskunft nach Art. 15 DSGVO als PDF",
        description=DESCRIPTION,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        person = get_person_for_user(request.user, pk, Action.VIEW)
        return export_response(request, person, "pdf", channel=API_CHANNEL)
