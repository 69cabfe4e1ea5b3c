"""Imports in the JSON API: ``/api/v1/imports/…`` (upload with dry run, confirm, status)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.fields import FreeTextField
from lotse.api.views.base import CaseFileAPIView
from lotse.core.access import Action
from lotse.spreadsheets import selectors, services
from lotse.spreadsheets.importing import issue_message
from lotse.spreadsheets.mapping import Target
from lotse.spreadsheets.models import ImportJob

TAG = "Import"
INVALID = OpenApiResponse(description="Ungültige Eingabe: Feldname → Liste von Meldungen.")
NOT_FOUND = OpenApiResponse(description="Nicht vorhanden oder außerhalb Ihres Zugriffs.")


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False,
        # de: Die Liste (.xlsx oder .csv) als multipart/form-data.
        help_text=_("The list (.xlsx or .csv) as multipart/form-data."),
    )
    file_name = FreeTextField(
        required=False,
        max_length=255,
        # de: Dateiname, wenn der Inhalt als JSON (content_base64) gesendet wird.
        help_text=_("File name when the content is sent as JSON (content_base64)."),
    )
    content_base64 = FreeTextField(
        required=False,
        write_only=True,
        # de: Inhalt der Datei, Base64-kodiert (Alternative zu „file“ für JSON-Anfragen).
        help_text=_("Content of the file, base64-encoded (alternative to “file” in JSON)."),
    )
    mapping = serializers.JSONField(
        required=False,
        # de: Zielfeld → Spaltenname, z. B. {"last_name": "Name"}. Ohne Angabe wird die Zuordnung
        # aus den Spaltennamen vorgeschlagen.
        help_text=_(
            'Target field → column name, e.g. {"last_name": "Name"}. Without it the mapping is '
            "suggested from the column names."
        ),
    )
    key_rule = serializers.ChoiceField(choices=ImportJob.KeyRule.choices, required=False)

    def validate_mapping(self, value: Any) -> dict[str, str]:
        if isinstance(value, str):  # multipart sends the mapping as a JSON string
            try:
                value = json.loads(value)
            except ValueError:
                raise serializers.ValidationError(_("Unknown target field.")) from None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise serializers.ValidationError(
                # de: Erwartet wird ein Objekt Zielfeld → Spaltenname.
                _("Expected an object target field → column name.")
            )
        unknown = sorted(set(value) - set(Target))
        if unknown:
            raise serializers.ValidationError(_("Unknown target field.") + " " + ", ".join(unknown))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("file") is not None:
            return attrs
        if not attrs.get("content_base64") or not attrs.get("file_name"):
            raise serializers.ValidationError(
                # de: Bitte senden Sie eine Datei („file“) oder „file_name“ und „content_base64“.
                {"file": _("Please send a file (“file”) or “file_name” and “content_base64”.")}
            )
        try:
            content = base64.b64decode(attrs.pop("content_base64"), validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(
                # de: Der Inhalt ist nicht Base64-kodiert.
                {"content_base64": _("The content is not base64-encoded.")}
            ) from None
        attrs["file"] = SimpleUploadedFile(attrs["file_name"], content)
        return attrs


class IssueSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = FreeTextField()
    field = FreeTextField()
    code = FreeTextField()
    message = FreeTextField()


def _issues(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "row": item["row"],
            "column": item.get("column", ""),
            "field": item.get("field", ""),
            "code": item["code"],
            "message": issue_message(item),
        }
        for item in items
    ]


class DryRunSerializer(serializers.Serializer):
    would_create = serializers.IntegerField()
    would_update = serializers.IntegerField()
    would_keep = serializers.IntegerField()
    rows_with_errors = serializers.IntegerField()
    issues = IssueSerializer(many=True)


class ResultSerializer(serializers.Serializer):
    processed = serializers.IntegerField()
    percent = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    failed = serializers.IntegerField()
    issues = IssueSerializer(many=True)


class ReadErrorSerializer(serializers.Serializer):
    code = FreeTextField()
    message = FreeTextField()


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    file_name = FreeTextField()
    file_kind = FreeTextField()
    encoding = FreeTextField()
    delimiter = FreeTextField()
    sheet_name = FreeTextField()
    header_row = serializers.IntegerField()
    headers = serializers.ListField(child=FreeTextField())
    mapping = serializers.DictField(child=FreeTextField())
    key_rule = FreeTextField()
    total_rows = serializers.IntegerField()
    valid_rows = serializers.IntegerField()
    dry_run = DryRunSerializer(allow_null=True)
    result = ResultSerializer()
    read_error = ReadErrorSerializer(
        allow_null=True,
        # de: Warum die Datei nicht gelesen werden konnte (Status „failed“), sonst null.
        help_text=_("Why the file could not be read (status “failed”), else null."),
    )
    mapping_errors = serializers.DictField(
        child=serializers.ListField(child=FreeTextField()),
        # de: Zielfeld → Meldungen, wenn die Zuordnung nicht zur Datei passt (Status „uploaded“).
        help_text=_(
            "Target field → messages when the mapping does not fit the file (status “uploaded”)."
        ),
    )
    file_deleted = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        job: ImportJob = instance
        report = job.report or {}
        return super().to_representation(
            {
                "id": job.pk,
                "status": job.status,
                "file_name": job.file_name,
                "file_kind": job.file_kind,
                "encoding": job.encoding,
                "delimiter": job.delimiter,
                "sheet_name": job.sheet_name,
                "header_row": job.header_row,
                "headers": job.headers,
                "mapping": job.mapping,
                "key_rule": job.key_rule,
                "total_rows": job.total_rows,
                "valid_rows": job.valid_rows,
                "dry_run": {
                    "would_create": report.get("would_create", 0),
                    "would_update": report.get("would_update", 0),
                    "would_keep": report.get("would_keep", 0),
                    "rows_with_errors": job.error_rows,
                    "issues": _issues(report.get("issues", [])),
                }
                if job.checked_at and not job.is_checking
                else None,
                "result": {
                    "processed": job.processed_rows,
                    "percent": job.progress_percent,
                    "created": job.created_count,
                    "updated": job.updated_count,
                    "unchanged": job.unchanged_count,
                    "failed": job.failed_count,
                    "issues": _issues(job.result_errors or []),
                },
                "read_error": report.get("read_error"),
                "mapping_errors": report.get("mapping_errors") or {},
                "file_deleted": job.file_deleted_at is not None,
                "created_at": job.created_at,
                "confirmed_at": job.confirmed_at,
                "finished_at": job.finished_at,
            }
        )


class ImportListView(CaseFileAPIView):
    required_actions = {"POST": Action.CREATE}
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        operation_id="imports_create",
        tags=[TAG],
        summary="Liste hochladen und Probelauf",
        description=(
            "Lädt eine Fallliste (.xlsx oder .csv) hoch (202, Status `checking`). Gelesen und "
            "geprüft wird im Hintergrund, ohne etwas zu speichern; `GET /api/v1/imports/{id}/` "
            "liefert dann den Probelauf mit jeder fehlerhaften Zeile (Zeilennummer wie in der "
            "Tabelle, Spalte, Code, Meldung, Status `checked`), die Meldungen zu einer "
            "unpassenden Zuordnung (`mapping_errors`, Status `uploaded`) oder den Grund, warum "
            "die Datei nicht lesbar war (`read_error`, Status `failed`). Falscher Dateityp, zu "
            "große oder entpackt zu große Dateien werden sofort abgewiesen (400) und nichts "
            "wird gespeichert. Erst `POST …/confirm/` importiert."
        ),
        request={
            "multipart/form-data": ImportUploadSerializer,
            "application/json": ImportUploadSerializer,
        },
        responses={202: ImportJobSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        data = self.parse(ImportUploadSerializer, request.data)
        job = services.import_upload(
            actor=request.user,
            upload=data["file"],
            mapping=data.get("mapping"),
            key_rule=data.get("key_rule"),
            request=request,
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(CaseFileAPIView):
    required_actions = {"GET": Action.CREATE}

    @extend_schema(
        operation_id="imports_retrieve",
        tags=[TAG],
        summary="Import lesen",
        description="Status, Fortschritt, Probelauf und Ergebnis eines Imports Ihres Teams.",
        responses={200: ImportJobSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = selectors.get_import_job_for_user(request.user, pk, Action.CREATE)
        self.audit_read(request, action="view", object_type="import", object_id=job.pk)
        return Response(ImportJobSerializer(job).data)


class ImportConfirmView(CaseFileAPIView):
    required_actions = {"POST": Action.CREATE}

    @extend_schema(
        operation_id="imports_confirm",
        tags=[TAG],
        summary="Import bestätigen",
        description=(
            "Startet den Import im Hintergrund (202). Zeilen mit Fehlern werden nicht "
            "übernommen. Den Fortschritt liefert `GET /api/v1/imports/{id}/`; die hochgeladene "
            "Datei wird nach dem Import gelöscht."
        ),
        request=None,
        responses={202: ImportJobSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        job = selectors.get_import_job_for_user(request.user, pk, Action.CREATE)
        job = services.import_confirm(actor=request.user, job=job, request=request)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
