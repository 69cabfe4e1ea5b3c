"""The one gate for every flow of personal data out of the case team (§ 67b SGB X, Art. 6/7/9 GDPR).

Every outbound flow (:class:`~lotse.consent.models.Flow`: tasks for partners, referrals to offer
providers, referrals to the Ausländer-/Einbürgerungsbehörde, the partner view, documents handed
out, case conferences, transfers recorded by hand) asks :func:`check_transfer` and journals
through :func:`pass_transfer`. Nothing else writes a :class:`~lotse.consent.models.Transfer`
(``tests/consent/test_gate_coverage.py`` fails otherwise), so a person's transfer list is complete
by construction. The partner view is the one flow journaled in the access log instead (one entry
per page with exactly the categories shown); its categories come from
:func:`shareable_categories`.

A consent covers a flow only if it

- is in force at the moment (not withdrawn, not superseded, ``valid_from`` reached, not expired),
- names the recipient organisation,
- covers every data category passed on,
- names the flow's purpose (configured vocabulary per Träger, ``consent.Purpose``), and
- where written form is required (a consent given in writing; health data always is, § 67b
  Abs. 2 SGB X) is signed: a signed scan, or the case manager's dated attestation that the signed
  paper is in the file.

A statute is a basis only if the Träger configured it (``consent.StatutoryBasis``) and its scope
fits: the actor's role, the recipient's kind of organisation and the purpose. Flows that rest on
consent only (:data:`CONSENT_ONLY_FLOWS`) never take a statute: tasks and the partner view open a
standing channel, and referrals to the immigration authority under § 25a/§ 25b AufenthG or for
naturalisation are made "mit Einverständnis der Betroffenen" (seed 002, 5.3.2). Data entrusted to
the Jugendamt is passed on only with consent (§ 65 SGB VIII).

Refusals are German sentences that name what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.consent.models import (
    Category,
    Consent,
    ConsentStatus,
    Flow,
    Purpose,
    StatutoryBasis,
    Transfer,
    category_labels,
)
from lotse.core.access import has_role
from lotse.directory.models import Organisation
from lotse.people.models import Person

#: Flows that never rest on a statute (see the module docstring).
CONSENT_ONLY_FLOWS = frozenset({Flow.TASK, Flow.ABH_REFERRAL, Flow.PARTNER_VIEW})

#: A consent naming more purposes than this is not "for the specific case" (Art. 4 Nr. 11 GDPR):
#: the vague multi-purpose form (Paderborn's counter-example) is refused when it is recorded.
MAX_PURPOSES = 3


def _moment(on: dt.date | dt.datetime | None) -> dt.datetime:
    """``None`` is now; a date stands for its end (a consent withdrawn that day is out)."""
    if on is None:
        return timezone.now()
    if isinstance(on, dt.datetime):
        return on if timezone.is_aware(on) else timezone.make_aware(on)
    return timezone.make_aware(dt.datetime.combine(on, dt.time.max))


def _signed() -> Q:
    """Consents whose form needs no signature, or whose signature is on file."""
    return (
        Q(form=Consent.Form.ELECTRONIC)
        | (Q(scan__isnull=False) & ~Q(scan=""))
        | Q(attested_on__isnull=False)
    )


def in_force(*, traeger_id: int, on: dt.date | dt.datetime | None = None) -> QuerySet[Consent]:
    """Consents of the Träger in force at ``on``: one query over all persons, for lists."""
    moment = _moment(on)
    day = timezone.localtime(moment).date()
    return (
        Consent.objects.filter(traeger_id=traeger_id, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))
        .filter(Q(superseded_by__isnull=True) | Q(superseded_by__recorded_at__gt=moment))
    )


def covering_consents(
    *, traeger_id: int, organisation_id: int, on: dt.date | dt.datetime | None = None
) -> QuerySet[Consent]:
    """Consents in force that name the organisation and are signed where the form requires it."""
    return (
        in_force(traeger_id=traeger_id, on=on).filter(recipients=organisation_id).filter(_signed())
    )


def shareable_categories(
    *,
    traeger_id: int,
    organisation_id: int,
    person_ids: Iterable[int],
    on: dt.date | dt.datetime | None = None,
) -> dict[int, frozenset[str]]:
    """Per person: the categories the organisation may see now (the partner-view flow).

    The union of the categories of the covering consents (:func:`covering_consents`); no purpose
    check, because the partner view serves whatever purpose the consent names for this recipient.
    """
    granted: dict[int, set[str]] = defaultdict(set)
    rows = covering_consents(traeger_id=traeger_id, organisation_id=organisation_id, on=on).filter(
        person_id__in=list(person_ids)
    )
    for person_id, categories in rows.values_list("person_id", "categories"):
        granted[person_id].update(categories or [])
    return {
        person_id: frozenset(value for value in Category.values if value in values)
        for person_id, values in granted.items()
    }


@dataclass(frozen=True)
class GateDecision:
    """The basis found (a consent version or a configured statute) or what is missing."""

    consent: Consent | None = None
    statute: StatutoryBasis | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return not self.reasons and (self.consent is not None or self.statute is not None)

    @property
    def basis(self) -> str:
        return Transfer.Basis.CONSENT if self.consent is not None else Transfer.Basis.STATUTE


class TransferRefused(ValidationError):
    """The gate refused a transfer; keyed by the form field the reasons belong to."""

    def __init__(self, decision: GateDecision, field_name: str = "consent") -> None:
        self.decision = decision
        super().__init__({field_name: list(decision.reasons)})


def _date(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "d.m.Y")


def _status_reason(consent: Consent, on: dt.date) -> str | None:
    status = consent.status(on)
    if status == ConsentStatus.WITHDRAWN and consent.withdrawn_at is not None:
        # de: Die Einwilligung %(id)s wurde am %(date)s widerrufen.
        return _("Consent %(id)s was withdrawn on %(date)s.") % {
            "id": consent.document_id,
            "date": _date(consent.withdrawn_at),
        }
    if status == ConsentStatus.SUPERSEDED:
        # de: Die Einwilligung %(id)s ist durch eine neuere Fassung ersetzt.
        return _("Consent %(id)s has been replaced by a newer version.") % {
            "id": consent.document_id
        }
    if status == ConsentStatus.EXPIRED and consent.valid_until is not None:
        # de: Die Einwilligung %(id)s ist am %(date)s abgelaufen.
        return _("Consent %(id)s expired on %(date)s.") % {
            "id": consent.document_id,
            "date": _date(consent.valid_until),
        }
    if status == ConsentStatus.NOT_YET_VALID:
        # de: Die Einwilligung %(id)s gilt erst ab dem %(date)s.
        return _("Consent %(id)s applies only from %(date)s.") % {
            "id": consent.document_id,
            "date": _date(consent.valid_from),
        }
    return None


def _consent_reasons(
    consent: Consent,
    *,
    person: Person,
    recipient: Organisation,
    categories: list[str],
    purpose: Purpose | None,
    moment: dt.datetime,
) -> list[str]:
    """Everything ``consent`` lacks to cover this transfer (empty: it covers it)."""
    reasons: list[str] = []
    if consent.person_id != person.pk or consent.traeger_id != person.traeger_id:
        # de: Diese Einwilligung gehört nicht zu der Person.
        return [_("This consent does not belong to the person.")]
    if not _in_force_at(consent, moment):
        # de: Die Einwilligung %(id)s war zu diesem Zeitpunkt nicht in Kraft.
        reasons.append(
            _status_reason(consent, timezone.localtime(moment).date())
            or _("Consent %(id)s was not in force at that time.") % {"id": consent.document_id}
        )
    if recipient.pk not in {org.pk for org in consent.recipients.all()}:
        # de: Die Einwilligung %(id)s nennt %(recipient)s nicht als Empfänger.
        reasons.append(
            _("Consent %(id)s does not name %(recipient)s as a recipient.")
            % {"id": consent.document_id, "recipient": recipient}
        )
    missing = [value for value in categories if value not in set(consent.categories)]
    if missing:
        # de: Die Einwilligung %(id)s umfasst nicht: %(categories)s.
        reasons.append(
            _("Consent %(id)s does not cover: %(categories)s.")
            % {"id": consent.document_id, "categories": ", ".join(category_labels(missing))}
        )
    if purpose is not None and purpose.pk not in {p.pk for p in consent.purposes.all()}:
        # de: Die Einwilligung %(id)s nennt den Zweck „%(purpose)s“ nicht.
        reasons.append(
            _("Consent %(id)s does not name the purpose “%(purpose)s”.")
            % {"id": consent.document_id, "purpose": purpose.name}
        )
    if not consent.is_signed and consent.form == Consent.Form.WRITTEN:
        # de: Die Einwilligung %(id)s ist schriftlich erteilt, aber es liegt weder ein
        # unterschriebener Scan vor noch die Bestätigung, dass das unterschriebene Papier in der
        # Akte liegt (§ 67b SGB X).
        reasons.append(
            _(
                "Consent %(id)s was given in writing, but there is neither a signed scan nor the "
                "attestation that the signed paper is in the file (§ 67b SGB X)."
            )
            % {"id": consent.document_id}
        )
    if Category.HEALTH in categories and consent.form != Consent.Form.WRITTEN:
        # de: Gesundheitsdaten erfordern eine schriftliche Einwilligung (§ 67b SGB X).
        reasons.append(_("Health data requires a written consent (§ 67b SGB X)."))
    return reasons


def _in_force_at(consent: Consent, moment: dt.datetime) -> bool:
    return in_force(traeger_id=consent.traeger_id, on=moment).filter(pk=consent.pk).exists()


def _statute_reasons(
    statute: StatutoryBasis,
    *,
    actor: Any,
    recipient: Organisation,
    categories: list[str],
    purpose: Purpose | None,
) -> list[str]:
    reasons: list[str] = []
    if statute.traeger_id != recipient.traeger_id:
        # de: Diese Rechtsvorschrift ist für Ihren Träger nicht eingetragen.
        return [_("This statute is not configured for your Träger.")]
    if not has_role(actor, *statute.allowed_roles):
        # de: Ihre Rolle darf %(statute)s nicht als Rechtsgrundlage nennen.
        reasons.append(
            _("Your role may not name %(statute)s as the legal basis.")
            % {"statute": statute.citation}
        )
    if recipient.kind not in statute.allowed_recipient_kinds:
        # de: %(statute)s erlaubt keine Übermittlung an %(recipient)s (%(kind)s).
        reasons.append(
            _("%(statute)s allows no transfer to %(recipient)s (%(kind)s).")
            % {
                "statute": statute.citation,
                "recipient": recipient,
                "kind": recipient.get_kind_display(),
            }
        )
    if purpose is None or purpose.pk not in {p.pk for p in statute.purposes.all()}:
        # de: %(statute)s deckt den Zweck „%(purpose)s“ nicht.
        reasons.append(
            _("%(statute)s does not cover the purpose “%(purpose)s”.")
            % {"statute": statute.citation, "purpose": purpose.name if purpose else "–"}
        )
    if Category.YOUTH_WELFARE in categories:
        # de: Dem Jugendamt anvertraute Daten werden nur mit Einwilligung weitergegeben
        # (§ 65 SGB VIII).
        reasons.append(
            _("Data entrusted to the Jugendamt is passed on only with consent (§ 65 SGB VIII).")
        )
    return reasons


def purpose_for(traeger_id: int, key: str | None) -> Purpose | None:
    if not key:
        return None
    return Purpose.objects.filter(traeger_id=traeger_id, key=key).first()


def check_transfer(
    *,
    actor: Any,
    person: Person,
    recipient: Organisation,
    categories: Iterable[str],
    purpose: str | None,
    basis: Consent | StatutoryBasis | None = None,
    on: dt.date | dt.datetime | None = None,
    consent_only: bool = False,
) -> GateDecision:
    """May ``categories`` of ``person`` go to ``recipient`` for ``purpose`` (a purpose key)?

    ``basis`` None looks for a consent that covers the transfer; a :class:`Consent` checks that
    consent; a :class:`StatutoryBasis` checks the statute's scope (refused when
    ``consent_only``). ``purpose`` None skips the purpose check (the partner view only). Reads
    only; the result names the basis found or the reasons in German.
    """
    wanted = [value for value in Category.values if value in set(categories)]
    moment = _moment(on)
    reasons: list[str] = []
    if recipient.traeger_id != person.traeger_id or person.traeger_id != actor.traeger_id:
        # de: Dieser Eintrag gehört nicht zu Ihrem Träger.
        return GateDecision(reasons=(_("This entry does not belong to your Träger."),))
    if recipient.pk in (person.organisation_id, actor.organisation_id):
        # de: Das ist keine Übermittlung nach außerhalb des Fallteams.
        return GateDecision(reasons=(_("This is no transfer outside the case team."),))
    if not wanted or not set(categories) <= set(Category.values):
        # de: Wählen Sie, welche Datenkategorien weitergegeben werden.
        return GateDecision(reasons=(_("Choose which data categories are passed on."),))
    purpose_row = purpose_for(person.traeger_id, purpose)
    if purpose and purpose_row is None:
        # de: Der Zweck „%(key)s“ ist für Ihren Träger nicht eingetragen.
        return GateDecision(
            reasons=(
                _("The purpose “%(key)s” is not configured for your Träger.") % {"key": purpose},
            )
        )

    if isinstance(basis, StatutoryBasis):
        if consent_only:
            # de: Diese Weitergabe braucht die Einwilligung der Person; eine Rechtsvorschrift
            # ersetzt sie nicht.
            return GateDecision(
                reasons=(
                    _("This transfer needs the person's consent; a statute does not replace it."),
                )
            )
        reasons = _statute_reasons(
            basis, actor=actor, recipient=recipient, categories=wanted, purpose=purpose_row
        )
        return GateDecision(statute=None if reasons else basis, reasons=tuple(reasons))

    if isinstance(basis, Consent):
        reasons = _consent_reasons(
            basis,
            person=person,
            recipient=recipient,
            categories=wanted,
            purpose=purpose_row,
            moment=moment,
        )
        return GateDecision(consent=None if reasons else basis, reasons=tuple(reasons))

    current = list(
        in_force(traeger_id=person.traeger_id, on=moment)
        .filter(person=person)
        .prefetch_related("recipients", "purposes")
        .order_by("-valid_from", "-id")
    )
    naming = [c for c in current if recipient.pk in {org.pk for org in c.recipients.all()}]
    best: list[str] | None = None
    for consent in naming:
        found = _consent_reasons(
            consent,
            person=person,
            recipient=recipient,
            categories=wanted,
            purpose=purpose_row,
            moment=moment,
        )
        if not found:
            return GateDecision(consent=consent)
        if best is None or len(found) < len(best):
            best = found
    if best is not None:
        return GateDecision(reasons=tuple(best))
    ended = (
        Consent.objects.filter(traeger_id=person.traeger_id, person=person, recipients=recipient)
        .order_by("-recorded_at", "-id")
        .first()
    )
    if ended is not None:
        status = _status_reason(ended, timezone.localtime(moment).date())
        if status:
            reasons.append(status)
    if current:
        # de: Die Einwilligung nennt %(recipient)s nicht als Empfänger.
        reasons.append(
            _("The consent does not name %(recipient)s as a recipient.") % {"recipient": recipient}
        )
    else:
        # de: Es liegt keine gültige Einwilligung der Person vor, die %(recipient)s als Empfänger
        # nennt.
        reasons.append(
            _("There is no valid consent of the person that names %(recipient)s as a recipient.")
            % {"recipient": recipient}
        )
    return GateDecision(reasons=tuple(reasons))


@transaction.atomic
def pass_transfer(
    *,
    actor: Any,
    person: Person,
    recipient: Organisation,
    categories: Iterable[str],
    purpose: str,
    flow: Flow,
    subject: Any = None,
    basis: Consent | StatutoryBasis | None = None,
    reason: str = "",
    description: str = "",
    transferred_at: dt.datetime | None = None,
    field_name: str = "consent",
    request: Any = None,
) -> Transfer:
    """Check with :func:`check_transfer`; journal the transfer or raise :class:`TransferRefused`.

    The journal entry (with the consent's version or the statute, the flow and the object that
    carries the transfer) and the "export" entry of the access log are written in the caller's
    transaction, so a refused or failed change leaves neither.
    """
    moment = transferred_at or timezone.now()
    if moment > timezone.now():
        # de: Der Zeitpunkt liegt in der Zukunft.
        raise ValidationError({"transferred_at": _("The date lies in the future.")})
    if isinstance(basis, StatutoryBasis) and not reason.strip():
        # de: Begründen Sie die Übermittlung.
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    cleaned = [value for value in Category.values if value in set(categories)]
    decision = check_transfer(
        actor=actor,
        person=person,
        recipient=recipient,
        categories=categories,
        purpose=purpose,
        basis=basis,
        on=moment,
        consent_only=flow in CONSENT_ONLY_FLOWS,
    )
    if not decision.allowed:
        raise TransferRefused(decision, field_name)
    return _journal(
        actor=actor,
        person=person,
        recipient=recipient,
        categories=cleaned,
        purpose=purpose,
        flow=flow,
        subject=subject,
        decision=decision,
        reason=reason,
        description=description,
        moment=moment,
        request=request,
    )


def _journal(
    *,
    actor: Any,
    person: Person,
    recipient: Organisation,
    categories: list[str],
    purpose: str,
    flow: Flow,
    subject: Any,
    decision: GateDecision,
    reason: str,
    description: str,
    moment: dt.datetime,
    request: Any,
) -> Transfer:
    """The only writer of :class:`Transfer` rows (the coverage test enforces it)."""
    purpose_row = purpose_for(person.traeger_id, purpose)
    consent = decision.consent
    statute = decision.statute
    transfer = Transfer.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        recipient=recipient,
        categories=categories,
        purpose=(description or (purpose_row.name if purpose_row else purpose)).strip(),
        purpose_key=purpose,
        basis=decision.basis,
        consent=consent,
        consent_version=consent.number if consent else None,
        statute=statute.citation if statute else "",
        statutory_basis=statute,
        reason=reason.strip() if statute else "",
        flow=flow,
        subject_type=subject._meta.model_name if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        transferred_by=actor,
        transferred_at=moment,
    )
    audit_log(
        user=actor,
        action="export",
        object_type="transfer",
        object_id=transfer.pk,
        person_id=person.pk,
        categories=categories,
        request=request,
        detail=f"recipient:{recipient.pk} basis:{decision.basis} flow:{flow}"
        + (f" consent:{consent.pk}v{consent.number}" if consent else "")
        + (f" statute:{statute.key}" if statute else ""),
    )
    return transfer


def attach_subject(transfer: Transfer, subject: Any) -> None:
    """Link a journal entry to the object created after it (same transaction)."""
    Transfer.objects.filter(pk=transfer.pk).update(
        subject_type=subject._meta.model_name, subject_id=subject.pk
    )
    transfer.subject_type = subject._meta.model_name
    transfer.subject_id = subject.pk
