"""Tasks (Aufgaben): who does what by when, attached to a case.

A task is owned either by a user or by an organisation (e.g. "Jobcenter Lippe: Termin zur
Beratung vergeben"). A task for an organisation outside the case team passes data on: it needs
a consent in force that names that organisation and covers ``shared_categories``, and it is
journaled as a ``consent.Transfer`` (§ 67b SGB X). What a partner organisation may see of it
is described in ``assignments.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned, Versioned


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")  # de: offen
    IN_PROGRESS = "in_progress", _("in progress")  # de: in Bearbeitung
    DONE = "done", _("done")  # de: erledigt
    CANCELLED = "cancelled", _("cancelled")  # de: entfallen


OPEN_TASK_STATES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class Task(TenantOwned, Versioned):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("case")
    )
    title = EncryptedTextField(_("what"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("responsible person"),
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("responsible organisation"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    shared_categories = models.JSONField(
        _("data categories passed on"),  # de: weitergegebene Datenkategorien
        default=list,
        blank=True,
        # de: Nur bei Aufgaben für eine Organisation außerhalb des Fallteams: welche Daten die
        # Aufgabe weitergibt. Eine gültige Einwilligung muss sie abdecken.
        help_text=_(
            "Only for tasks for an organisation outside the case team: which data the task "
            "passes on. A valid consent must cover them."
        ),
    )
    purpose = models.ForeignKey(
        "consent.Purpose",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("purpose of passing it on"),
        help_text=_("Only for tasks for an organisation outside the case team."),
    )
    transfer = models.ForeignKey(
        "consent.Transfer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["traeger", "case", "status"], name="task_case_idx"),
            models.Index(
                fields=["traeger", "owner_user", "status", "due_on", "id"], name="task_user_idx"
            ),
            models.Index(
                fields=["traeger", "owner_organisation", "status", "due_on", "id"],
                name="task_org_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False, owner_organisation__isnull=True)
                | models.Q(owner_user__isnull=True, owner_organisation__isnull=False),
                name="task_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATES

    @property
    def owner_label(self) -> str:
        if self.owner_user_id:
            return self.owner_user.display_name()  # type: ignore[union-attr]
        return str(self.owner_organisation)


class TaskComment(TenantOwned):
    """A comment or status change on a task, the channel between case team and partner."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    text = EncryptedTextField(_("comment"), blank=True)
    from_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_organisation = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task comment")
        verbose_name_plural = _("task comments")
        ordering = ["task", "created_at", "id"]
        indexes = [models.Index(fields=["traeger", "task", "created_at"], name="taskcomment_idx")]
