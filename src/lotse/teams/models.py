"""The case team: who works a case, and since when.

The case team is not the organisation. It is the responsible post and its holder, the team lead
of that post (oversight), time-bound substitutes of the post (Vertretung), members added to one
case on purpose with a reason, and — for urgent cover without a substitution — a logged
"break the glass" access that the team lead and the data protection officer see. The scope that
follows from these rows is computed in :mod:`lotse.teams.scope` and applied only by
:mod:`lotse.core.access`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.fieldcrypto import EncryptedTextField
from lotse.core.models import TenantOwned


class Substitution(TenantOwned):
    """Vertretung: ``substitute`` works the post's cases from ``starts_on`` to ``ends_on``."""

    post = models.ForeignKey(
        "directory.CaseManagementPost",
        on_delete=models.CASCADE,
        related_name="substitutions",
        verbose_name=_("post"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="substitutions",
        verbose_name=_("substitute"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_early_at = models.DateTimeField(_("ended early at"), null=True, blank=True)

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["traeger", "substitute", "ends_on"], name="substitution_user_idx"),
            models.Index(fields=["traeger", "post", "ends_on"], name="substitution_post_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="substitution_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} → {self.post} ({self.starts_on}–{self.ends_on})"


class CaseMembership(TenantOwned):
    """A user added to one case's team on purpose, with a reason (e.g. the Teilhabemanager)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_memberships",
        verbose_name=_("member"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")
        ordering = ["added_at", "id"]
        indexes = [
            models.Index(fields=["traeger", "user", "removed_at"], name="membership_user_idx"),
            models.Index(fields=["traeger", "case"], name="membership_case_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="membership_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.case}"


class BreakGlassAccess(TenantOwned):
    """Urgent access to a case without a substitution: reason given, time-limited, reviewed."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="break_glass", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="break_glass_accesses",
        verbose_name=_("user"),
    )
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["traeger", "user", "expires_at"], name="breakglass_user_idx"),
            models.Index(fields=["traeger", "opened_at"], name="breakglass_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.case}"


class Handover(TenantOwned):
    """A case (and its person) moved to another post or organisation, with its legal basis.

    The history of who had the case when is the sequence of these rows.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="handovers", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="handovers",
        verbose_name=_("person"),
    )
    from_post = models.ForeignKey(
        "directory.CaseManagementPost",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from post"),
    )
    to_post = models.ForeignKey(
        "directory.CaseManagementPost",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to post"),
    )
    from_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from organisation"),
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to organisation"),
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    reason = EncryptedTextField(_("reason"), blank=True)
    transfer = models.ForeignKey(
        "consent.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer journal entry"),
    )
    handed_at = models.DateTimeField(_("handed over at"), auto_now_add=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["handed_at", "id"]
        indexes = [models.Index(fields=["traeger", "case", "handed_at"], name="handover_case_idx")]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_post} → {self.to_post}"
