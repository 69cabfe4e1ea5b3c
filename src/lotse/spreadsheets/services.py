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
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.core.access import Action, require
from lotse.core.locking import EditConflict
from lotse.core.memo import configuration_cached
from lotse.spreadsheets import importing
from lotse.spreadsheets.mapping import TARGETS, Target, suggest_mapping
from lotse.spreadsheets.models import ImportJob
from lotse.spreadsheets.reading import Table, UnreadableFile, read_table, sniff

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".xlsx", ".csv", ".txt")
#: How often the progress counters are written during a run.
PROGRESS_EVERY = 10


def _suffix(name: str) -> str:
    name = name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def _sniff_upload(file_name: str, data: bytes) -> str:
    """The request's checks: type, size, and (XLSX) the unpacked size; nothing is parsed."""
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
        return sniff(data)
    except UnreadableFile as error:
        raise ValidationError({"file": ValidationError(error.message, code=error.code)}) from None


def _stored_table(job: ImportJob) -> Table:
    if not job.file:
        # de: Die hochgeladene Datei ist nicht mehr vorhanden.
        raise ValidationError(_("The uploaded file is no longer available."))
    with job.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, job.file_name)  # UnreadableFile says why


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
    def progress(done: int) -> None:
        _save_progress(job.pk, done)

    result = importing.check_rows(
        actor=actor,
        headers=job.headers,
        rows=table.rows,
        mapping=job.mapping,
        key_rule=job.key_rule,
        progress=progress,
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
    job.processed_rows = 0
    job.status = ImportJob.Status.CHECKED
    job.checked_at = timezone.now()


def _save_progress(job_id: int, done: int) -> None:
    """A short write of its own (autocommit): the page shows how far the check is."""
    ImportJob.objects.filter(pk=job_id).update(processed_rows=done)


def _queue_check(job_id: int, actor_id: int) -> None:
    from lotse.spreadsheets.tasks import check_import

    check_import.enqueue(job_id, actor_id)


def import_upload(
    *,
    actor: Any,
    upload: UploadedFile,
    mapping: dict[str, str] | None = None,
    key_rule: str | None = None,
    request: Any = None,
) -> ImportJob:
    """Store the file and queue reading it and the dry run (:func:`import_analyse`).

    The request only checks what is cheap (type, size, the unpacked size of an XLSX) and writes
    one row; parsing and checking thousands of rows happen in the worker, so no request holds
    the database's write lock for long. A file refused here stores nothing. ``mapping`` and
    ``key_rule`` (the API) are checked against the columns once the file has been read; a
    mapping that misses required columns leaves the job "uploaded" with the reasons in
    ``report["mapping_errors"]``.
    """
    require(actor, Action.CREATE)
    file_name = (upload.name or "").rsplit("/", 1)[-1][:255]
    data = upload.read()
    kind = _sniff_upload(file_name, data)
    job = ImportJob(
        traeger_id=actor.traeger_id,
        organisation_id=actor.organisation_id,
        created_by=actor,
        status=ImportJob.Status.CHECKING,
        file_name=file_name,
        file_size=len(data),
        file_kind=kind,
        mapping=mapping or {},
        key_rule=key_rule or "",
        report={"mapping_given": mapping is not None},
    )
    # Encrypting and writing the file happens before the write transaction, not inside it.
    job.file.save(f"{uuid.uuid4().hex}{_suffix(file_name)}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_log(
                user=actor,
                action="create",
                object_type="import",
                object_id=job.pk,
                request=request,
                detail=f"bytes:{len(data)}",
            )
    except BaseException:
        job.file.delete(save=False)
        raise
    _enqueue_after_commit(job.pk, actor.pk)
    job.refresh_from_db()
    return job


def _enqueue_after_commit(job_id: int, actor_id: int) -> None:
    transaction.on_commit(lambda: _queue_check(job_id, actor_id))


def import_analyse(job_id: int, actor_id: int | None = None) -> None:
    """The background part of the upload: read the file, suggest or check the mapping, dry run.

    Reading and checking write nothing but the job row (progress every few hundred rows, the
    result at the end), each in a short transaction of its own. A file that cannot be read
    marks the job failed with the reason and deletes the file.
    """
    job = (
        ImportJob.objects.select_related("created_by")
        .filter(pk=job_id, status=ImportJob.Status.CHECKING)
        .first()
    )
    if job is None:
        return  # discarded meanwhile, or a repeated task
    # The dry run is checked against the scope of whoever asked for it (upload or new mapping).
    actor = (
        get_user_model().objects.filter(pk=actor_id, is_active=True).first()
        if actor_id
        else job.created_by
    )
    try:
        if actor is None:
            raise RuntimeError("the uploading user no longer exists")
        table = _stored_table(job)
        if not job.headers:  # the first check after the upload
            _take_table(job, table)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).update(
            total_rows=len(table.rows), processed_rows=0
        )
        _analyse(job, actor=actor, table=table)
    except (ValidationError, UnreadableFile) as error:
        _fail_reading(job_id, error)
        return
    except Exception:
        logger.exception("import %s: reading failed", job_id)
        _fail_reading(job_id, None)
        return
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job_id)
        if current.status != ImportJob.Status.CHECKING:
            return  # discarded while the check ran
        job.save()


def _take_table(job: ImportJob, table: Table) -> None:
    job.file_kind = table.kind
    job.encoding = table.encoding
    job.delimiter = table.delimiter
    job.sheet_name = table.sheet_name[:100]
    job.headers = table.headers
    job.header_row = table.header_row
    job.total_rows = len(table.rows)
    mapping_given = (job.report or {}).get("mapping_given", False)
    suggested = suggest_mapping(table.headers)
    if not job.key_rule:
        job.key_rule = (
            ImportJob.KeyRule.COLUMN
            if Target.EXTERNAL_KEY.value in suggested or mapping_given
            else ImportJob.KeyRule.DERIVED
        )
    if not mapping_given:
        job.mapping = suggested


def _analyse(job: ImportJob, *, actor: Any, table: Table) -> None:
    job.total_rows = len(table.rows)
    try:
        job.mapping = validate_mapping(job, job.mapping, job.key_rule)
    except ValidationError as error:
        job.status = ImportJob.Status.UPLOADED
        job.report = {
            "mapping_errors": error.message_dict,
            "notes": table.notes,
            "mapping_given": (job.report or {}).get("mapping_given", False),
        }
        job.processed_rows = 0
        return
    _check(job, actor=actor, table=table)


def _fail_reading(job_id: int, error: Exception | None) -> None:
    if isinstance(error, UnreadableFile):
        message, code = error.message, error.code
    elif isinstance(error, ValidationError):
        message, code = " ".join(error.messages), "unreadable"
    else:
        # de: Die Datei konnte nicht gelesen werden.
        message, code = _("The file could not be read."), "unreadable"
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.CHECKING:
            return
        job.status = ImportJob.Status.FAILED
        job.report = {"read_error": {"code": code, "message": message}}
        job.finished_at = timezone.now()
        _delete_file(job)
        job.save()


def import_check(
    *, actor: Any, job: ImportJob, mapping: dict[str, str], key_rule: str, request: Any = None
) -> ImportJob:
    """Apply a changed mapping and queue the dry run again (the worker repeats it)."""
    require(actor, Action.CREATE)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.is_editable:
            # de: Der Import wurde schon bestätigt und kann nicht mehr geändert werden.
            raise ValidationError(
                _("The import was already confirmed and can no longer be changed.")
            )
        if not job.file:
            raise ValidationError(_("The uploaded file is no longer available."))
        job.mapping = validate_mapping(job, mapping, key_rule)
        job.key_rule = key_rule
        job.status = ImportJob.Status.CHECKING
        job.processed_rows = 0
        job.save()
    _enqueue_after_commit(job.pk, actor.pk)
    job.refresh_from_db()
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
        # Goals and target groups are read once for the run, as the rows' lookups are.
        with configuration_cached():
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
    # A job still "being read and checked" after that long was never picked up by a worker.
    stale = ImportJob.objects.filter(
        status__in=[
            ImportJob.Status.UPLOADED,
            ImportJob.Status.CHECKING,
            ImportJob.Status.CHECKED,
        ],
        created_at__lt=cutoff,
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=pk)
            if not (job.is_editable or job.is_checking):
                continue
            job.status = ImportJob.Status.DISCARDED
            job.finished_at = timezone.now()
            _delete_file(job)
            job.save()
            purged += 1
    return purged
