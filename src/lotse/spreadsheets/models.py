"""Import jobs: one uploaded caseload list, its column mapping, dry-run report and progress.

The uploaded file holds personal data. It is kept only while the job needs it (mapping, dry
run, the import itself) and deleted when the import finishes, fails or is discarded
(Art. 5 (1) e GDPR, storage limitation); the job row keeps counts and row numbers only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import TenantOwned


def import_file_path(instance: ImportJob, filename: str) -> str:
    return f"traeger-{instance.traeger_id}/imports/{filename}"


class ImportJob(TenantOwned):
    class Status(models.TextChoices):
        # de: hochgeladen
        UPLOADED = "uploaded", _("uploaded")
        # de: wird gelesen und geprüft
        CHECKING = "checking", _("being read and checked")
        # de: geprüft
        CHECKED = "checked", _("checked")
        # de: wartet auf Verarbeitung
        QUEUED = "queued", _("waiting to run")
        # de: läuft
        RUNNING = "running", _("running")
        # de: abgeschlossen
        FINISHED = "finished", _("finished")
        # de: fehlgeschlagen
        FAILED = "failed", _("failed")
        # de: verworfen
        DISCARDED = "discarded", _("discarded")

    class KeyRule(models.TextChoices):
        # de: aus einer Spalte (z. B. Aktenzeichen)
        COLUMN = "column", _("from a column (e.g. file number)")
        # de: aus Name, Vorname und Geburtsdatum bilden
        DERIVED = "derived", _("derived from last name, first name and date of birth")

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    file = models.FileField(_("file"), upload_to=import_file_path, blank=True, max_length=500)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    file_kind = models.CharField(_("file type"), max_length=8)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True)
    sheet_name = models.CharField(_("worksheet"), max_length=100, blank=True)
    headers = models.JSONField(_("column headers"), default=list)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    key_rule = models.CharField(
        _("stable key"), max_length=16, choices=KeyRule.choices, default=KeyRule.COLUMN
    )
    report = models.JSONField(_("dry-run report"), default=dict, blank=True)
    result_errors = models.JSONField(_("errors during the import"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("rows without errors"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["traeger", "organisation", "-created_at", "-id"], name="importjob_org_idx"
            ),
            models.Index(fields=["traeger", "status", "created_at"], name="importjob_status_idx"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_editable(self) -> bool:
        """Mapping and dry run can be repeated until the import is confirmed."""
        return self.status in (self.Status.UPLOADED, self.Status.CHECKED)

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_checking(self) -> bool:
        return self.status == self.Status.CHECKING

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED, self.Status.DISCARDED)

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.CHECKED and self.valid_rows > 0

    @property
    def error_rows(self) -> int:
        return self.total_rows - self.valid_rows

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        todo = self.total_rows if self.is_checking else (self.valid_rows or self.total_rows)
        return min(100, (self.processed_rows * 100) // todo) if todo else 0
