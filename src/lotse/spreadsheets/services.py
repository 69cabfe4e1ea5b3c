"""Import jobs: upload → mapping and dry run → confirm → background run → result.

Nothing of the list reaches the case files before the user confirms. The import runs as the
user who confirmed it (same Träger and organisation as the uploader: jobs are only visible to
their case team), through the people and cases services, so every row is validated, checked
against the Träger and audited like a change made in the form.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core.access import Action, require
from lotse.core.locking import EditConflict
from lotse.spreadsheets import importing
from lotse.spreadsheets.mapping import TARGETS, Target, suggest_mapping
from lotse.spreadsheets.models import ImportJob
from lotse.spreadsheets.reading import Table, UnreadableFile, read_table

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".xlsx", ".csv", ".txt")
#: How often the progress counters are written during a run.
PROGRESS_EVERY = 10


def _suffix(name: str) -> str:
    name = name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def _read_upload(file_name: str, data: bytes) -> Table:
    if _suffix(file_name) not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {
                # de: Bitte laden Sie eine Excel-Arbeitsmappe (.xlsx) oder eine CSV-Datei hoch.
                "file": _("Please upload an Excel workbook (.xlsx) or a CSV file.")
            }
        )
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large (at most %(mb)s MB).")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            }
        )
    try:
        return read_table(data, file_name)
    except UnreadableFile as error:
        raise ValidationError({"file": ValidationError(error.message, code=error.code)}) from None


def _stored_table(job: ImportJob) -> Table:
    if not job.file:
        # de: Die hochgeladene Datei ist nicht mehr vorhanden.
        raise ValidationError(_("The uploaded file is no longer available."))
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        return read_table(data, job.file_name)
    except UnreadableFile as error:
        raise ValidationError({"file": error.message}) from None


def validate_mapping(job: ImportJob, mapping: dict[str, str], key_rule: str) -> dict[str, str]:
    """Keep the mapped targets only; every column once; names and the stable key required."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    used: dict[str, str] = {}
    for target_name, header in mapping.items():
        if not header:
            continue
        try:
            target = Target(target_name)
        except ValueError:
            # de: Unbekanntes Zielfeld.
            errors.setdefault(target_name, []).append(_("Unknown target field."))
            continue
        if header not in job.headers:
            # de: Diese Spalte gibt es in der Datei nicht.
            errors.setdefault(target_name, []).append(_("The file has no such column."))
            continue
        if header in used:
            # de: Die Spalte ist schon „%(other)s“ zugeordnet.
            errors.setdefault(target_name, []).append(
                _("The column is already mapped to “%(other)s”.")
                % {"other": TARGETS[Target(used[header])].label}
            )
            continue
        used[header] = target.value
        clean[target.value] = header
    has_split = Target.LAST_NAME.value in clean and Target.FIRST_NAME.value in clean
    if not has_split and Target.FULL_NAME.value not in clean:
        for target in (Target.LAST_NAME, Target.FIRST_NAME):
            if target.value not in clean:
                # de: Bitte ordnen Sie eine Spalte zu.
                errors.setdefault(target.value, []).append(_("Please choose a column."))
    if key_rule not in ImportJob.KeyRule.values:
        errors.setdefault("key_rule", []).append(_("Unknown target field."))
    elif key_rule == ImportJob.KeyRule.COLUMN and Target.EXTERNAL_KEY.value not in clean:
        errors.setdefault(Target.EXTERNAL_KEY.value, []).append(
            # de: Bitte ordnen Sie die Spalte mit dem stabilen Schlüssel zu oder lassen Sie ihn aus
            # Name und Geburtsdatum bilden.
            _(
                "Please choose the column with the stable key, or have it derived from name and "
                "date of birth."
            )
        )
    elif key_rule == ImportJob.KeyRule.DERIVED:
        clean.pop(Target.EXTERNAL_KEY.value, None)
        if Target.DATE_OF_BIRTH.value not in clean:
            errors.setdefault(Target.DATE_OF_BIRTH.value, []).append(
                # de: Für den gebildeten Schlüssel wird das Geburtsdatum gebraucht.
                _("The derived key needs the date of birth.")
            )
    if errors:
        raise ValidationError(errors)
    return clean


def _check(job: ImportJob, *, actor: Any, table: Table) -> None:
    result = importing.check_rows(
        actor=actor,
        headers=job.headers,
        rows=table.rows,
        mapping=job.mapping,
        key_rule=job.key_rule,
    )
    job.report = {
        "issues": [issue.as_dict() for issue in result.issues],
        "would_create": result.would_create,
        "would_update": result.would_update,
        "would_keep": result.would_keep,
        "notes": table.notes,
    }
    job.total_rows = len(result.plans)
    job.valid_rows = result.valid_rows
    job.status = ImportJob.Status.CHECKED
    job.checked_at = timezone.now()


@transaction.atomic
def import_upload(
    *,
    actor: Any,
    upload: UploadedFile,
    mapping: dict[str, str] | None = None,
    key_rule: str | None = None,
    require_valid_mapping: bool = False,
    request: Any = None,
) -> ImportJob:
    """Read the file, store it with a suggested (or the given) mapping and run the dry run.

    A file that cannot be read stores nothing. With a mapping that misses required columns the
    job stays "uploaded" and the mapping form says what is missing; with
    ``require_valid_mapping`` (the API) nothing is stored and the errors are raised instead.
    """
    require(actor, Action.CREATE)
    file_name = (upload.name or "").rsplit("/", 1)[-1][:255]
    data = upload.read()
    table = _read_upload(file_name, data)
    suggested = suggest_mapping(table.headers)
    job = ImportJob(
        traeger_id=actor.traeger_id,
        organisation_id=actor.organisation_id,
        created_by=actor,
        file_name=file_name,
        file_size=len(data),
        file_kind=table.kind,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet_name=table.sheet_name[:100],
        headers=table.headers,
        header_row=table.header_row,
        total_rows=len(table.rows),
    )
    if key_rule is None:
        key_rule = (
            ImportJob.KeyRule.COLUMN
            if Target.EXTERNAL_KEY.value in suggested or mapping is not None
            else ImportJob.KeyRule.DERIVED
        )
    job.key_rule = key_rule
    job.mapping = suggested if mapping is None else mapping
    mapping_errors: ValidationError | None = None
    try:
        job.mapping = validate_mapping(job, job.mapping, key_rule)
    except ValidationError as error:
        if mapping is not None or require_valid_mapping:
            raise
        mapping_errors = error
    job.file.save(f"{uuid.uuid4().hex}{_suffix(file_name)}", ContentFile(data), save=False)
    if mapping_errors is None:
        _check(job, actor=actor, table=table)
    job.save()
    audit_log(
        user=actor,
        action="create",
        object_type="import",
        object_id=job.pk,
        request=request,
        detail=f"rows:{job.total_rows}",
    )
    return job


@transaction.atomic
def import_check(
    *, actor: Any, job: ImportJob, mapping: dict[str, str], key_rule: str, request: Any = None
) -> ImportJob:
    """Apply a changed mapping and repeat the dry run."""
    require(actor, Action.CREATE)
    if not job.is_editable:
        # de: Der Import wurde schon bestätigt und kann nicht mehr geändert werden.
        raise ValidationError(_("The import was already confirmed and can no longer be changed."))
    job.mapping = validate_mapping(job, mapping, key_rule)
    job.key_rule = key_rule
    _check(job, actor=actor, table=_stored_table(job))
    job.save()
    return job


@transaction.atomic
def import_confirm(*, actor: Any, job: ImportJob, request: Any = None) -> ImportJob:
    """Queue the import; the worker writes the rows without errors (see :func:`import_run`)."""
    require(actor, Action.CREATE)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(_("The import was already confirmed and can no longer be changed."))
    if job.valid_rows == 0:
        # de: Keine Zeile ist fehlerfrei; es gibt nichts zu importieren.
        raise ValidationError(_("No row is free of errors; there is nothing to import."))
    job.status = ImportJob.Status.QUEUED
    job.confirmed_by = actor
    job.confirmed_at = timezone.now()
    job.processed_rows = job.created_count = job.updated_count = 0
    job.unchanged_count = job.failed_count = 0
    job.save()
    audit_log(
        user=actor,
        action="update",
        object_type="import",
        object_id=job.pk,
        request=request,
        detail=f"confirmed:rows:{job.valid_rows}",
    )
    from lotse.spreadsheets.tasks import run_import

    job_id = job.pk
    transaction.on_commit(lambda: run_import.enqueue(job_id))
    return job


def _delete_file(job: ImportJob) -> None:
    """Remove the uploaded list and the cell values quoted in the report (personal data)."""
    if job.file:
        job.file.delete(save=False)
    job.file = ""  # type: ignore[assignment]
    job.file_deleted_at = timezone.now()
    for issue in (job.report or {}).get("issues", []):
        issue["value"] = ""


@transaction.atomic
def import_discard(*, actor: Any, job: ImportJob, request: Any = None) -> ImportJob:
    require(actor, Action.CREATE)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.is_editable:
        raise ValidationError(_("The import was already confirmed and can no longer be changed."))
    job.status = ImportJob.Status.DISCARDED
    job.finished_at = timezone.now()
    _delete_file(job)
    job.save()
    audit_log(
        user=actor,
        action="delete",
        object_type="import",
        object_id=job.pk,
        request=request,
        detail="discarded",
    )
    return job


def import_run(job_id: int) -> None:
    """The background part: write every checked row, count, and delete the file at the end.

    Each row is its own transaction, so the progress is visible while the import runs and a
    failing row does not undo the others. The file is deleted however the run ends.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already run (a retried task) or discarded
    job = ImportJob.objects.select_related("confirmed_by").get(pk=job_id)
    actor = job.confirmed_by
    counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "processed": 0}
    errors: list[dict[str, Any]] = []
    status = ImportJob.Status.FINISHED
    try:
        if actor is None:
            raise RuntimeError("the confirming user no longer exists")
        table = _stored_table(job)
        result = importing.check_rows(
            actor=actor,
            headers=job.headers,
            rows=table.rows,
            mapping=job.mapping,
            key_rule=job.key_rule,
        )
        for plan in result.plans:
            if not plan.ok:
                counts["failed"] += 1
                errors.extend(issue.as_dict() | {"value": ""} for issue in plan.issues)
            else:
                try:
                    outcome = importing.import_row(actor=actor, plan=plan)
                except EditConflict:
                    counts["failed"] += 1
                    errors.append(
                        importing.Issue(
                            row=plan.row, column="", target="", code="conflict"
                        ).as_dict()
                    )
                except ValidationError as error:
                    counts["failed"] += 1
                    errors.extend(
                        issue.as_dict()
                        for issue in importing.issues_from_validation_error(
                            plan.row, error, job.mapping
                        )
                    )
                else:
                    counts[outcome] += 1
            counts["processed"] += 1
            if counts["processed"] % PROGRESS_EVERY == 0:
                _save_counts(job_id, counts)
    except Exception:
        logger.exception("import %s failed", job_id)
        status = ImportJob.Status.FAILED
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        job.status = status
        job.result_errors = errors
        job.processed_rows = counts["processed"]
        job.created_count = counts["created"]
        job.updated_count = counts["updated"]
        job.unchanged_count = counts["unchanged"]
        job.failed_count = counts["failed"]
        job.finished_at = timezone.now()
        _delete_file(job)
        job.save()
        audit_log(
            user=actor,
            action="update",
            object_type="import",
            object_id=job.pk,
            channel="task",
            detail=(
                f"{status}:created:{counts['created']}:updated:{counts['updated']}"
                f":unchanged:{counts['unchanged']}:failed:{counts['failed']}"
            ),
        )


def _save_counts(job_id: int, counts: dict[str, int]) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        processed_rows=counts["processed"],
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        failed_count=counts["failed"],
    )


def import_purge_stale(*, older_than: dt.timedelta) -> int:
    """Discard unconfirmed imports older than ``older_than`` and delete their files.

    An upload nobody confirms or discards must not keep personal data forever (storage
    limitation, Art. 5 (1) e GDPR); run daily (``lotse purge_imports``).
    """
    cutoff = timezone.now() - older_than
    purged = 0
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED], created_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=pk)
            if not job.is_editable:
                continue
            job.status = ImportJob.Status.DISCARDED
            job.finished_at = timezone.now()
            _delete_file(job)
            job.save()
            purged += 1
    return purged
