"""Import pages (upload → mapping and dry run → confirm → progress → result) and XLSX exports."""

from __future__ import annotations

from typing import IO, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.accounts.reauth import requires_recent_auth
from lotse.audit.services import audit_log, list_detail
from lotse.core.access import Action
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import add_service_errors, render_invalid, requires
from lotse.spreadsheets import exports, selectors, services
from lotse.spreadsheets.exporting import workbook_file
from lotse.spreadsheets.forms import MappingForm, UploadForm
from lotse.spreadsheets.importing import issue_message
from lotse.spreadsheets.models import ImportJob

#: The dry-run page lists this many messages; the API returns all of them.
SHOWN_ISSUES = 1000


@requires(Action.CREATE)
@require_http_methods(["GET", "POST"])
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "jobs": selectors.import_job_list_for_user(request.user)}
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.import_upload(
                    actor=request.user, upload=form.cleaned_data["file"], request=request
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("spreadsheets:import_detail", pk=job.pk)
        return render_invalid(request, "spreadsheets/import_list.html", context)
    return render(request, "spreadsheets/import_list.html", context)


def _issue_rows(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "row": issue["row"],
            "column": issue.get("column", ""),
            "value": issue.get("value", ""),
            "message": issue_message(issue),
        }
        for issue in issues[:SHOWN_ISSUES]
    ]


def _column_summary(issues: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.get("column") or "—"] = counts.get(issue.get("column") or "—", 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _detail_context(job: ImportJob, form: MappingForm | None = None) -> dict[str, Any]:
    report = job.report or {}
    issues = report.get("issues", [])
    return {
        "job": job,
        "form": form
        if form is not None
        else (
            MappingForm(job=job, initial={"key_rule": job.key_rule, **job.mapping})
            if job.is_editable
            else None
        ),
        "report": report,
        "issues": _issue_rows(issues),
        "issue_count": len(issues),
        "hidden_issues": max(0, len(issues) - SHOWN_ISSUES),
        "issue_columns": _column_summary(issues),
        "result_errors": _issue_rows(job.result_errors or []),
        "result_error_count": len(job.result_errors or []),
    }


@requires(Action.CREATE)
@require_http_methods(["GET", "POST"])
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The job page; with htmx only the status fragment (polled while the import runs)."""
    job = selectors.get_import_job_for_user(request.user, pk, Action.CREATE)
    if request.method == "GET" and request.htmx:
        if request.GET.get("was") == "checking" and not job.is_checking:
            # The dry run finished: the whole page changes (mapping form, report).
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request, "spreadsheets/import_detail.html#status", {"job": job, **_detail_context(job)}
        )
    if request.method == "POST":
        form = MappingForm(request.POST, job=job)
        if form.is_valid():
            try:
                job = services.import_check(
                    actor=request.user,
                    job=job,
                    mapping=form.mapping(),
                    key_rule=form.cleaned_data["key_rule"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("spreadsheets:import_detail", pk=job.pk)
        return render_invalid(
            request, "spreadsheets/import_detail.html", _detail_context(job, form)
        )
    audit_log(
        user=request.user,
        action="view",
        object_type="import",
        object_id=job.pk,
        request=request,
    )
    return render(request, "spreadsheets/import_detail.html", _detail_context(job))


@requires(Action.CREATE)
@require_POST
def import_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.get_import_job_for_user(request.user, pk, Action.CREATE)
    try:
        services.import_confirm(actor=request.user, job=job, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render_invalid(request, "spreadsheets/import_detail.html", _detail_context(job))
    # de: Der Import wurde gestartet.
    messages.success(request, _("The import has started."))
    return redirect("spreadsheets:import_detail", pk=job.pk)


@requires(Action.CREATE)
@require_POST
def import_discard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.get_import_job_for_user(request.user, pk, Action.CREATE)
    try:
        services.import_discard(actor=request.user, job=job, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("spreadsheets:import_detail", pk=job.pk)
    # de: Der Import wurde verworfen und die hochgeladene Datei gelöscht.
    messages.success(request, _("The import was discarded and the uploaded file deleted."))
    return redirect("spreadsheets:imports")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(data: IO[bytes], file_name: str) -> FileResponse:
    """Sends the temporary file in blocks and closes (deletes) it afterwards."""
    response = FileResponse(data, content_type=XLSX, as_attachment=True, filename=file_name)
    response["Cache-Control"] = "no-store"
    return response


@requires(Action.VIEW)
@requires_recent_auth
@require_GET
def export_cases(request: AuthenticatedRequest) -> FileResponse:
    """ "Meine Fälle" as XLSX: the same query string gives the same cases as the page."""
    filters = exports.case_filter_from_query(request.GET)
    # de: Meine Fälle / Fälle meines Teams
    title = _("My cases") if filters.mine else _("Cases of my team")
    data, count = workbook_file(
        title=title,
        columns=exports.case_columns(),
        rows=exports.case_export_rows(request.user, request.GET),
    )
    audit_log(
        user=request.user,
        action="export",
        object_type="case",
        categories=["identity", "case"],
        request=request,
        detail=list_detail("rows", count, searched=bool(request.GET.get("q", "").strip())),
    )
    return _xlsx_response(data, f"faelle-{timezone.localdate():%Y-%m-%d}.xlsx")


@requires(Action.VIEW)
@requires_recent_auth
@require_GET
def export_persons(request: AuthenticatedRequest) -> FileResponse:
    """The person list as XLSX (same search as the page), in a form the import reads back."""
    data, count = workbook_file(
        # de: Personen
        title=_("People"),
        columns=exports.person_columns(),
        rows=exports.person_export_rows(request.user, request.GET),
    )
    audit_log(
        user=request.user,
        action="export",
        object_type="person",
        categories=["identity", "residence_status"],
        request=request,
        detail=list_detail("rows", count, searched=bool(request.GET.get("q", "").strip())),
    )
    return _xlsx_response(data, f"personen-{timezone.localdate():%Y-%m-%d}.xlsx")
