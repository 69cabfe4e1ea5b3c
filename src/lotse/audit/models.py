"""The access log: who read or wrote which personal data, when — never the values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        LIST = "list", _("listed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        PRINT = "print", _("printed")
        DOWNLOAD = "download", _("downloaded")
        LOGIN = "login", _("signed in")  # de: angemeldet
        LOGOUT = "logout", _("signed out")  # de: abgemeldet
        LOGIN_FAILED = "login_failed", _("sign-in failed")  # de: Anmeldung fehlgeschlagen
        BREAK_GLASS = "break_glass", _("emergency access opened")
        HANDOVER = "handover", _("handed over")

    traeger = models.ForeignKey(
        "tenancy.Traeger", on_delete=models.PROTECT, null=True, related_name="+"
    )
    chain = models.CharField(_("chain"), max_length=32, editable=False)
    #: NULL until the entry is linked into its chain (``audit.chain.link_pending``).
    sequence = models.PositiveBigIntegerField(_("sequence number"), null=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("user"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    roles = models.CharField(_("roles"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True)
    categories = models.CharField(_("data categories"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=16, default="web")
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence"),
        ]
        indexes = [
            models.Index(fields=["traeger", "-occurred_at", "-id"], name="audit_time_idx"),
            models.Index(fields=["traeger", "person_id", "-occurred_at"], name="audit_person_idx"),
            models.Index(fields=["traeger", "user", "-occurred_at"], name="audit_user_idx"),
            # The officer's search by user name (``username``, kept after the user is deleted),
            # in the list's order.
            models.Index(
                fields=["traeger", "username", "-occurred_at", "-id"], name="audit_username_idx"
            ),
            # The entries still to be linked into their chains (a handful at any time).
            models.Index(
                fields=["chain", "id"],
                condition=models.Q(sequence__isnull=True),
                name="audit_unlinked_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"


class AuditChainHead(models.Model):
    """The newest link of one hash chain (one chain per Träger, one for entries without).

    Linking (``audit.chain.link_pending``) locks this row, so concurrent link steps append one
    after the other and the chain never forks; writing an entry does not touch it.
    """

    chain = models.CharField(max_length=32, unique=True)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence}"


class DenialTally(models.Model):
    """Refused attempts in aggregate: one row per user, kind of request and hour, with a count.

    Every 404 of the access policy (``core.access.not_found``) and every 403 a signed-in user
    receives is counted here (``audit.denials``), so that the data protection officer sees
    probing — a case manager trying thirty foreign case numbers is one row with the count 30 —
    without one access-log entry per attempt. Not part of the hash chain: a counter, updated.
    """

    traeger = models.ForeignKey(
        "tenancy.Traeger", on_delete=models.PROTECT, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("user"), max_length=150)
    kind = models.CharField(_("kind"), max_length=120)
    status = models.PositiveSmallIntegerField(_("answer"))
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("count"), default=0)
    first_at = models.DateTimeField(_("first attempt"))
    last_at = models.DateTimeField(_("last attempt"))

    class Meta:
        verbose_name = _("denied attempts")
        verbose_name_plural = _("denied attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["username", "kind", "status", "hour"], name="audit_denial_bucket"
            ),
        ]
        indexes = [models.Index(fields=["traeger", "-hour"], name="audit_denial_time_idx")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H} {self.username} {self.kind} {self.status} ×{self.count}"
