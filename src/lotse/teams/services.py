"""Changing case teams: members, substitutions, emergency access and handovers.

Every change is written with its audit entry in the same transaction. Who may change a team is
decided in :mod:`lotse.core.access` (``Action.CHANGE`` on the case through its post).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.audit.services import audit_log
from lotse.cases.models import Case
from lotse.core.access import Action, is_case_worker, require
from lotse.directory.models import CaseManagementPost
from lotse.people.models import Person
from lotse.teams.models import BreakGlassAccess, CaseMembership, Handover, Substitution
from lotse.teams.scope import forget_team_scope, team_scope

#: How long an emergency access lasts: one working day.
BREAK_GLASS_HOURS = 10
MIN_REASON_LENGTH = 10
MAX_SUBSTITUTION_DAYS = 366
#: What a handover to another organisation passes on: the case file's core.
HANDOVER_CATEGORIES = ["identity", "residence_status", "education_work"]


def _works_post(actor: Any, post_id: int | None) -> bool:
    return post_id is not None and post_id in team_scope(actor).post_ids


def _require_case_team(actor: Any, case: Case) -> None:
    """Only the post's team (holder, team lead, substitute) shapes a case's team."""
    require(actor, Action.CHANGE)
    if case.traeger_id != actor.traeger_id or not _works_post(actor, case.post_id):
        raise PermissionDenied


def _reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                field: _("Please give a reason of at least %(n)s characters.")
                % {"n": MIN_REASON_LENGTH}
            }
        )
    return text


def _case_worker(user: User | None, traeger_id: int, field: str) -> User:
    if (
        user is None
        or user.traeger_id != traeger_id
        or not user.is_active
        or not is_case_worker(user)
    ):
        raise ValidationError({field: _("Choose an active user with the case management role.")})
    return user


@transaction.atomic
def membership_add(
    *, actor: Any, case: Case, user: User | None, reason: str, request: Any = None
) -> CaseMembership:
    _require_case_team(actor, case)
    member = _case_worker(user, case.traeger_id, "user")
    text = _reason(reason)
    if CaseMembership.objects.filter(case=case, user=member, removed_at__isnull=True).exists():
        raise ValidationError({"user": _("This user is already a member of the case team.")})
    membership = CaseMembership.objects.create(
        traeger_id=case.traeger_id, case=case, user=member, reason=text, added_by=actor
    )
    audit_log(
        user=actor,
        action="create",
        object_type="case_membership",
        object_id=membership.pk,
        person_id=case.person_id,
        request=request,
        detail=f"case:{case.pk} member:{member.pk}",
    )
    forget_team_scope(member)
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: CaseMembership, request: Any = None) -> None:
    _require_case_team(actor, membership.case)
    if membership.removed_at is not None:
        return
    membership.removed_at = timezone.now()
    membership.removed_by = actor
    membership.save(update_fields=["removed_at", "removed_by"])
    audit_log(
        user=actor,
        action="delete",
        object_type="case_membership",
        object_id=membership.pk,
        person_id=membership.case.person_id,
        request=request,
        detail=f"case:{membership.case_id} member:{membership.user_id}",
    )


def _require_post_lead(actor: Any, post: CaseManagementPost) -> None:
    """Substitutions are arranged by the post's team lead or its holder."""
    require(actor, Action.CHANGE)
    if post.traeger_id != actor.traeger_id or actor.pk not in (post.team_lead_id, post.holder_id):
        raise PermissionDenied


@transaction.atomic
def substitution_create(
    *,
    actor: Any,
    post: CaseManagementPost | None,
    substitute: User | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    reason: str,
    request: Any = None,
) -> Substitution:
    if post is None:
        raise ValidationError({"post": _("Choose the post.")})
    _require_post_lead(actor, post)
    user = _case_worker(substitute, post.traeger_id, "substitute")
    errors: dict[str, str] = {}
    if user.pk == post.holder_id:
        errors["substitute"] = _("The holder of the post cannot substitute for it.")
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day of the substitution.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day of the substitution.")
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = _("The last day lies before the first day.")
        elif (ends_on - starts_on).days > MAX_SUBSTITUTION_DAYS:
            errors["ends_on"] = _("A substitution lasts at most one year; assign the post instead.")
        elif ends_on < timezone.localdate():
            errors["ends_on"] = _("The substitution would already be over.")
    if not (reason or "").strip():
        errors["reason"] = _("Please give a reason (e.g. holiday, illness).")
    if errors or starts_on is None or ends_on is None:
        raise ValidationError(errors)
    substitution = Substitution.objects.create(
        traeger_id=post.traeger_id,
        post=post,
        substitute=user,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip()[:300],
        created_by=actor,
    )
    audit_log(
        user=actor,
        action="create",
        object_type="substitution",
        object_id=substitution.pk,
        request=request,
        detail=f"post:{post.pk} substitute:{user.pk} {starts_on.isoformat()}..{ends_on.isoformat()}",
    )
    return substitution


@transaction.atomic
def substitution_end(*, actor: Any, substitution: Substitution, request: Any = None) -> None:
    """End a substitution now (the substitute loses access at once)."""
    _require_post_lead(actor, substitution.post)
    if substitution.ended_early_at is not None:
        return
    substitution.ended_early_at = timezone.now()
    substitution.save(update_fields=["ended_early_at"])
    audit_log(
        user=actor,
        action="update",
        object_type="substitution",
        object_id=substitution.pk,
        request=request,
        detail="ended",
    )


@transaction.atomic
def break_glass_open(
    *, actor: Any, reference: str, reason: str, request: Any = None
) -> BreakGlassAccess:
    """Urgent cover without a substitution: open one case for a working day, with a reason.

    Shown to the post's team lead and to the data protection officer, who review it.
    """
    require(actor, Action.CHANGE)
    errors: dict[str, str] = {}
    case = (
        Case.objects.filter(traeger_id=actor.traeger_id, reference=(reference or "").strip())
        .select_related("post")
        .first()
    )
    if case is None:
        errors["reference"] = _("There is no case with this case number.")
    try:
        text = _reason(reason)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        text = ""
    if errors or case is None:
        raise ValidationError(errors)
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        traeger_id=actor.traeger_id,
        case=case,
        user=actor,
        reason=text,
        expires_at=now + dt.timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_log(
        user=actor,
        action="break_glass",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail=f"emergency access {access.pk}",
    )
    forget_team_scope(actor)
    return access


@transaction.atomic
def break_glass_review(*, actor: Any, access: BreakGlassAccess, request: Any = None) -> None:
    access.reviewed_at = timezone.now()
    access.reviewed_by = actor
    access.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_log(
        user=actor,
        action="update",
        object_type="emergency_access",
        object_id=access.pk,
        person_id=access.case.person_id,
        request=request,
        detail="reviewed",
    )


@transaction.atomic
def case_handover(
    *,
    actor: Any,
    case: Case,
    to_post: CaseManagementPost | None,
    purpose: str | None = None,
    reason: str = "",
    request: Any = None,
) -> Handover:
    """Move a case and its person to another post (and organisation) as one recorded step.

    Nothing is typed in again: the case keeps its history and moves whole. Inside the same
    organisation the move needs no further basis; to another organisation it is a transfer that
    passes the one gate (:mod:`lotse.consent.gate`, flow "handover") with the purpose chosen —
    usually the person's consent naming the receiver — and is journaled. The receiver sees the
    case at once; the handing side keeps the handover record, not the case file.
    """
    from lotse.consent.gate import attach_subject, pass_transfer
    from lotse.consent.models import Flow

    _require_case_team(actor, case)
    if to_post is None or to_post.traeger_id != case.traeger_id:
        raise ValidationError({"to_post": _("Choose the post that takes over the case.")})
    if to_post.pk == case.post_id:
        raise ValidationError({"to_post": _("The case is already kept at this post.")})
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be handed over."))
    person: Person = case.person
    from_organisation = case.organisation
    to_organisation = to_post.organisation
    transfer = None
    if to_organisation.pk != from_organisation.pk:
        if not purpose:
            raise ValidationError(
                {"purpose": _("Choose the purpose: the case goes to another organisation.")}
            )
        transfer = pass_transfer(
            actor=actor,
            person=person,
            recipient=to_organisation,
            categories=HANDOVER_CATEGORIES,
            purpose=purpose,
            flow=Flow.HANDOVER,
            description=_("Handover of the case to %(post)s") % {"post": to_post},
            field_name="to_post",
            request=request,
        )
        if transfer.consent_id:
            legal_basis = _("Consent %(id)s (version %(version)s)") % {
                "id": transfer.consent.document_id if transfer.consent else "",
                "version": transfer.consent_version,
            }
        else:
            legal_basis = transfer.statute or _("Statute")
    else:
        legal_basis = _("Within the responsible organisation")
    handover = Handover.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        person=person,
        from_post=case.post,
        to_post=to_post,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        from_user=case.case_manager,
        to_user=to_post.holder,
        legal_basis=legal_basis[:300],
        reason=(reason or "").strip(),
        transfer=transfer,
        handed_by=actor,
    )
    if transfer is not None:
        attach_subject(transfer, handover)
    Case.objects.filter(pk=case.pk).update(
        post=to_post,
        organisation=to_organisation,
        programme=to_post.programme,
        case_manager=to_post.holder,
        version=case.version + 1,
    )
    if person.post_id in (None, handover.from_post_id):
        Person.objects.filter(pk=person.pk).update(
            post=to_post, organisation=to_organisation, version=person.version + 1
        )
    audit_log(
        user=actor,
        action="handover",
        object_type="case",
        object_id=case.pk,
        person_id=person.pk,
        categories=["case"],
        request=request,
        detail=f"post:{handover.from_post_id}->{to_post.pk}",
    )
    return handover
