"""When a consent ends, everything that relied on it is flagged to the case team at once.

A consent ends by withdrawal, by a new version that covers less, or by expiry (the daily run,
:func:`flag_expired_consents`). What relied on it is found through the transfer journal: every
:class:`~lotse.consent.models.Transfer` on a version of the consent names its flow and object,
and the app owning the flow says which of those objects are still open (a finder registered in
its ``AppConfig.ready()`` with :func:`register_dependents`). Partner access (the partner view)
relied on the consent for every recipient organisation that has partner users.

Each dependant gets one :class:`~lotse.consent.models.DependentFlag` (shown on the person's
consent page and on ``/einwilligungen/hinweise/``) and the case team gets one e-mail per case,
sent after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Role, User
from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.consent.models import Consent, DependentFlag, Flow, Transfer


@dataclass(frozen=True)
class Dependent:
    """An open object that a transfer on the consent carried (task, referral …)."""

    object_type: str
    object_id: int
    case_id: int | None
    recipient_id: int
    categories: tuple[str, ...] = ()
    purpose_key: str = ""


#: flow → finder(transfers) that returns the still open objects of those transfers.
_FINDERS: dict[str, Callable[[list[Transfer]], list[Dependent]]] = {}


def register_dependents(flow: Flow, finder: Callable[[list[Transfer]], list[Dependent]]) -> None:
    _FINDERS[str(flow)] = finder


def dependents_from(
    transfers: list[Transfer], open_cases: dict[int, int | None], object_type: str
) -> list[Dependent]:
    """The dependants of ``transfers`` whose object is still open (``open_cases``: id → case)."""
    return [
        Dependent(
            object_type=object_type,
            object_id=int(t.subject_id),
            case_id=open_cases[int(t.subject_id)],
            recipient_id=t.recipient_id,
            categories=tuple(t.categories),
            purpose_key=t.purpose_key,
        )
        for t in transfers
        if t.subject_id is not None and int(t.subject_id) in open_cases
    ]


def _chain(consent: Consent) -> list[int]:
    ids = [consent.pk]
    previous = consent.supersedes
    while previous is not None:
        ids.append(previous.pk)
        previous = previous.supersedes
    return ids


def _partner_access(consent: Consent) -> list[Dependent]:
    partner_orgs = set(
        User.objects.filter(
            traeger_id=consent.traeger_id,
            is_active=True,
            role_assignments__role=Role.PARTNER,
            organisation__in=consent.recipients.all(),
        ).values_list("organisation_id", flat=True)
    )
    return [
        Dependent(
            object_type="partner_access",
            object_id=org_id,
            case_id=None,
            recipient_id=org_id,
            categories=tuple(consent.categories),
        )
        for org_id in sorted(partner_orgs)
    ]


def dependents_of(consent: Consent) -> list[Dependent]:
    """Open objects whose transfer rested on a version of ``consent``, and partner access."""
    transfers = list(
        Transfer.objects.filter(traeger_id=consent.traeger_id, consent_id__in=_chain(consent))
        .exclude(subject_id__isnull=True)
        .order_by("id")
    )
    by_flow: dict[str, list[Transfer]] = defaultdict(list)
    for transfer in transfers:
        by_flow[transfer.flow].append(transfer)
    found: dict[tuple[str, int], Dependent] = {}
    for flow, rows in by_flow.items():
        finder = _FINDERS.get(flow)
        if finder is None:
            continue
        for dependent in finder(rows):
            found[(dependent.object_type, dependent.object_id)] = dependent
    for dependent in _partner_access(consent):
        found[(dependent.object_type, dependent.object_id)] = dependent
    return list(found.values())


def still_covered(dependent: Dependent, successor: Consent) -> bool:
    """Does the new version cover what the dependant passes on (recipient, categories, purpose)?"""
    if dependent.recipient_id not in {org.pk for org in successor.recipients.all()}:
        return False
    if not set(dependent.categories) <= set(successor.categories):
        return False
    if dependent.object_type == "partner_access":
        return True
    if dependent.purpose_key:
        return dependent.purpose_key in {p.key for p in successor.purposes.all()}
    return True


def flag_dependents(
    *,
    consent: Consent,
    reason: str,
    actor: Any = None,
    successor: Consent | None = None,
    request: Any = None,
) -> list[DependentFlag]:
    """Flag what relied on ``consent``; with ``successor`` only what the new version drops.

    Runs inside the caller's transaction; the e-mails go out after the commit.
    """
    dependents = dependents_of(consent)
    if successor is not None:
        dependents = [d for d in dependents if not still_covered(d, successor)]
    if not dependents:
        return []
    open_case = (
        Case.objects.filter(traeger_id=consent.traeger_id, person_id=consent.person_id)
        .exclude(phase=Phase.CLOSED)
        .order_by("-opened_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    already = set(
        DependentFlag.objects.filter(consent=consent).values_list("object_type", "object_id")
    )
    flags = [
        DependentFlag(
            traeger_id=consent.traeger_id,
            person_id=consent.person_id,
            case_id=d.case_id or open_case,
            consent=consent,
            object_type=d.object_type,
            object_id=d.object_id,
            recipient_id=d.recipient_id,
            reason=reason,
        )
        for d in dependents
        if (d.object_type, d.object_id) not in already
    ]
    DependentFlag.objects.bulk_create(flags)
    if not flags:
        return []
    audit_log(
        user=actor,
        action="create",
        object_type="consent_flag",
        object_id=consent.pk,
        person_id=consent.person_id,
        categories=["consent"],
        request=request,
        detail=f"{reason}:{len(flags)}",
    )
    flagged_cases = {flag.case_id for flag in flags if flag.case_id}
    transaction.on_commit(lambda: _notify(consent.pk, sorted(flagged_cases), reason))
    return flags


def _case_team_recipients(case: Any) -> list[User]:
    """Who is told about a flag of ``case``: the case team today (``lotse.teams``)."""
    from lotse.teams.selectors import case_team_users

    return case_team_users(case)


def _notify(consent_id: int, case_ids: list[int], reason: str) -> None:
    consent = Consent.objects.get(pk=consent_id)
    base = (getattr(settings, "LOTSE_BASE_URL", "") or "").rstrip("/")
    link = base + reverse("consent:flags")
    labels = dict(DependentFlag.Reason.choices)
    for case in Case.objects.filter(pk__in=case_ids).select_related("case_manager", "post"):
        count = DependentFlag.objects.filter(
            consent_id=consent_id, case=case, resolved_at__isnull=True
        ).count()
        for user in _case_team_recipients(case):
            if not user.email:
                continue
            # de: Lotse: Einwilligung %(id)s – %(reason)s
            subject = _("Lotse: consent %(id)s – %(reason)s") % {
                "id": consent.document_id,
                "reason": labels.get(reason, reason),
            }
            # de: Im Fall %(case)s stützen sich %(count)s offene Vorgänge (Aufgaben,
            # Zusteuerungen, Partnerzugriff) auf die Einwilligung %(id)s. Sie gilt nicht mehr
            # (%(reason)s). Bitte prüfen Sie die Hinweise: %(link)s
            body = _(
                "In case %(case)s, %(count)s open items (tasks, referrals, partner access) rely "
                "on consent %(id)s. It no longer applies (%(reason)s). Please review the "
                "notices: %(link)s"
            ) % {
                "case": case.reference,
                "count": count,
                "id": consent.document_id,
                "reason": labels.get(reason, reason),
                "link": link,
            }
            send_mail(subject, body, None, [user.email], fail_silently=True)


def open_flags_for_user(user: Any) -> QuerySet[DependentFlag]:
    """Unresolved flags of the cases on which ``user`` is in the case team (start page, list)."""
    if not getattr(user, "is_authenticated", False) or user.traeger_id is None:
        return DependentFlag.objects.none()
    from lotse.cases.selectors import case_queryset_for_user

    return (
        DependentFlag.objects.filter(traeger_id=user.traeger_id, resolved_at__isnull=True)
        .filter(case__in=case_queryset_for_user(user).values("pk"))
        .select_related("consent", "recipient", "case", "person")
        .order_by("-created_at", "-id")
    )


def open_flags_of_person(person: Any) -> QuerySet[DependentFlag]:
    return (
        DependentFlag.objects.filter(
            traeger_id=person.traeger_id, person=person, resolved_at__isnull=True
        )
        .select_related("consent", "recipient")
        .order_by("-created_at", "-id")
    )


@transaction.atomic
def flag_resolve(*, actor: Any, flag: DependentFlag, request: Any = None) -> DependentFlag:
    """The case team has dealt with the flag (new consent, task withdrawn …)."""
    updated = DependentFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    if updated:
        audit_log(
            user=actor,
            action="update",
            object_type="consent_flag",
            object_id=flag.pk,
            person_id=flag.person_id,
            categories=["consent"],
            request=request,
            detail="resolved",
        )
    flag.refresh_from_db()
    return flag


def flag_expired_consents(*, today: dt.date | None = None) -> int:
    """The daily run: consents whose ``valid_until`` has passed flag their dependants once."""
    today = today or timezone.localdate()
    expired = Consent.objects.filter(
        valid_until__lt=today, withdrawn_at__isnull=True, superseded_by__isnull=True
    ).exclude(flags__reason=DependentFlag.Reason.EXPIRED)
    count = 0
    for consent in expired.order_by("id"):
        with transaction.atomic():
            count += len(flag_dependents(consent=consent, reason=DependentFlag.Reason.EXPIRED))
    return count


def ended_task_ids(task_ids: Iterable[int]) -> set[int]:
    """Tasks whose consent ended (a flag exists): the partner sees them as withdrawn."""
    return set(
        DependentFlag.objects.filter(object_type="task", object_id__in=list(task_ids)).values_list(
            "object_id", flat=True
        )
    )
