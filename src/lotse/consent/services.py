"""Recording, changing and withdrawing consents; journaling transfers. One transaction each."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from lotse.audit.services import audit_log
from lotse.cases.services import validate_upload
from lotse.consent.flags import flag_dependents
from lotse.consent.gate import MAX_PURPOSES, pass_transfer
from lotse.consent.models import (
    Category,
    Consent,
    DependentFlag,
    Flow,
    InformationNotice,
    Purpose,
    StatutoryBasis,
    Transfer,
)
from lotse.consent.notice_texts import NOTICE_TEXTS
from lotse.consent.selectors import form_language_codes
from lotse.consent.texts import CONSENT_TEXTS
from lotse.core import dates
from lotse.core.access import Action, require
from lotse.directory.models import Organisation
from lotse.people.models import Person

MIN_PURPOSE = 20
DOCUMENT_ALPHABET = "23456789ACDEFGHJKMNPQRTUVWXYZ"  # no 0/O, 1/I/L, B/8, S/5


def new_document_id() -> str:
    """A printable ID like ``EW-7K3Q-9XPA`` that links the signed form to the record."""
    while True:
        chars = "".join(secrets.choice(DOCUMENT_ALPHABET) for _ in range(8))
        candidate = f"EW-{chars[:4]}-{chars[4:]}"
        if not Consent.objects.filter(document_id=candidate).exists():
            return candidate


def unknown_language_message(code: str) -> str:
    # de: Für die Sprache „%(code)s“ gibt es kein Formular. Möglich sind: %(codes)s.
    return _("There is no form in the language “%(code)s”. Available: %(codes)s.") % {
        "code": code,
        "codes": ", ".join(form_language_codes()),
    }


def _categories(values: Iterable[str], errors: dict[str, StrOrPromise]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if not chosen:
        # de: Wählen Sie mindestens eine Datenkategorie.
        errors["categories"] = _("Choose at least one data category.")
    elif not set(chosen) <= set(Category.values):
        # de: Unbekannte Datenkategorie.
        errors["categories"] = _("Unknown data category.")
    return [value for value in Category.values if value in chosen]


def _validate_consent(
    *,
    actor: Any,
    person: Person,
    recipients: list[Organisation],
    categories: list[str],
    purpose: str,
    form: str,
    language: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    text_version: str,
    scan: UploadedFile | None,
    purposes: list[Purpose],
) -> list[str]:
    errors: dict[str, StrOrPromise] = {}
    if any(p.traeger_id != actor.traeger_id for p in purposes):
        errors["purposes"] = _("This entry does not belong to your Träger.")
    elif len(purposes) > MAX_PURPOSES:
        # de: Eine Einwilligung für mehr als %(n)s Zwecke ist nicht bestimmt genug (Art. 4 Nr. 11
        # DSGVO). Erfassen Sie für weitere Zwecke eine eigene Einwilligung.
        errors["purposes"] = _(
            "A consent for more than %(n)s purposes is not specific enough (Art. 4 No. 11 GDPR). "
            "Record a separate consent for further purposes."
        ) % {"n": MAX_PURPOSES}
    if person.traeger_id != actor.traeger_id:
        # de: Dieser Eintrag gehört nicht zu Ihrem Träger.
        errors["person"] = _("This entry does not belong to your Träger.")
    if not recipients:
        # de: Nennen Sie mindestens einen Empfänger.
        errors["recipients"] = _("Name at least one recipient.")
    elif any(org.traeger_id != actor.traeger_id for org in recipients):
        errors["recipients"] = _("This entry does not belong to your Träger.")
    cleaned = _categories(categories, errors)
    if len(purpose.strip()) < MIN_PURPOSE:
        # de: Beschreiben Sie den Zweck konkret (mindestens %(n)s Zeichen): ein unbestimmter
        # Zweck macht die Einwilligung unwirksam.
        errors["purpose"] = _(
            "Describe the purpose specifically (at least %(n)s characters): a vague purpose "
            "makes the consent invalid."
        ) % {"n": MIN_PURPOSE}
    if form not in Consent.Form.values:
        # de: Ungültige Form.
        errors["form"] = _("Invalid form.")
    elif Category.HEALTH in cleaned and form != Consent.Form.WRITTEN:
        # de: Gesundheitsdaten erfordern die schriftliche Form (§ 67b SGB X).
        errors["form"] = _("Health data requires the written form (§ 67b SGB X).")
    if CONSENT_TEXTS.language(language) is None:
        errors["language"] = unknown_language_message(language)
    if period := dates.period_problem(valid_from, valid_until):
        errors["valid_until"] = dates.MESSAGES[period]
    if not text_version.strip():
        # de: Geben Sie die Version des Einwilligungstextes an.
        errors["text_version"] = _("State the version of the consent text.")
    if scan is not None:
        try:
            validate_upload(scan)
        except ValidationError as error:
            errors["scan"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_consent(
    *,
    actor: Any,
    person: Person,
    recipients: list[Organisation],
    categories: list[str],
    purpose: str,
    form: str,
    language: str,
    interpreter: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    text_version: str,
    scan: UploadedFile | None,
    supersedes: Consent | None,
    request: Any,
    purposes: list[Purpose],
    attest_signed_paper: bool,
) -> Consent:
    cleaned = _validate_consent(
        actor=actor,
        person=person,
        recipients=recipients,
        categories=categories,
        purpose=purpose,
        form=form,
        language=language,
        valid_from=valid_from,
        valid_until=valid_until,
        text_version=text_version,
        scan=scan,
        purposes=purposes,
    )
    consent = Consent(
        traeger_id=person.traeger_id,
        person=person,
        categories=cleaned,
        purpose=purpose.strip(),
        form=form,
        language=language,
        interpreter=interpreter.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        text_version=text_version.strip(),
        document_id=new_document_id(),
        number=(supersedes.number + 1) if supersedes else 1,
        supersedes=supersedes,
        recorded_by=actor,
        recorded_at=timezone.now(),
        attested_by=actor if attest_signed_paper else None,
        attested_on=timezone.localdate() if attest_signed_paper else None,
    )
    if scan is not None:
        consent.scan.save(scan.name or "scan", scan, save=False)
    consent.save()
    consent.recipients.set(recipients)
    consent.purposes.set(purposes)
    audit_log(
        user=actor,
        action="create",
        object_type="consent",
        object_id=consent.pk,
        person_id=person.pk,
        categories=["consent"],
        request=request,
        detail=f"supersedes:{supersedes.pk}" if supersedes else "",
    )
    return consent


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    person: Person,
    recipients: list[Organisation],
    categories: list[str],
    purpose: str,
    form: str,
    valid_from: dt.date,
    text_version: str,
    language: str = "de",
    interpreter: str = "",
    valid_until: dt.date | None = None,
    scan: UploadedFile | None = None,
    purposes: list[Purpose] | None = None,
    attest_signed_paper: bool = False,
    request: Any = None,
) -> Consent:
    """Record a consent. ``attest_signed_paper``: the recording user confirms that the signed
    paper is in the file (the alternative to a signed scan where written form is required)."""
    require(actor, Action.CHANGE)
    return _save_consent(
        purposes=list(purposes or []),
        attest_signed_paper=attest_signed_paper,
        actor=actor,
        person=person,
        recipients=recipients,
        categories=categories,
        purpose=purpose,
        form=form,
        language=language,
        interpreter=interpreter,
        valid_from=valid_from,
        valid_until=valid_until,
        text_version=text_version,
        scan=scan,
        supersedes=None,
        request=request,
    )


@transaction.atomic
def consent_change(
    *,
    actor: Any,
    consent: Consent,
    recipients: list[Organisation],
    categories: list[str],
    purpose: str,
    form: str,
    valid_from: dt.date,
    text_version: str,
    language: str = "de",
    interpreter: str = "",
    valid_until: dt.date | None = None,
    scan: UploadedFile | None = None,
    purposes: list[Purpose] | None = None,
    attest_signed_paper: bool = False,
    request: Any = None,
) -> Consent:
    """A change is a new version; the old row stays as it was and counts as superseded.

    ``purposes`` None keeps the old version's purposes.

    What relied on the old version and is not covered by the new one (a recipient, category or
    purpose dropped) is flagged to the case team (``consent.flags``).
    """
    require(actor, Action.CHANGE)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None or locked.is_superseded:
        # de: Nur die aktuelle, nicht widerrufene Fassung kann geändert werden.
        raise ValidationError(
            {"consent": _("Only the current version that is not withdrawn can be changed.")}
        )
    new = _save_consent(
        # Not given: the new version keeps the purposes of the old one (a form always names them).
        purposes=list(purposes) if purposes is not None else list(locked.purposes.all()),
        attest_signed_paper=attest_signed_paper,
        actor=actor,
        person=locked.person,
        recipients=recipients,
        categories=categories,
        purpose=purpose,
        form=form,
        language=language,
        interpreter=interpreter,
        valid_from=valid_from,
        valid_until=valid_until,
        text_version=text_version,
        scan=scan,
        supersedes=locked,
        request=request,
    )
    flag_dependents(
        consent=locked,
        reason=DependentFlag.Reason.NARROWED,
        actor=actor,
        successor=new,
        request=request,
    )
    return new


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: Consent, note: str = "", request: Any = None
) -> Consent:
    """Withdrawal takes effect at once: from now on the consent is no legal basis."""
    require(actor, Action.CHANGE)
    now = timezone.now()
    updated = Consent.objects.filter(
        pk=consent.pk,
        traeger_id=actor.traeger_id,
        withdrawn_at__isnull=True,
        superseded_by__isnull=True,
    ).update(withdrawn_at=now, withdrawn_by=actor, withdrawal_note=note.strip())
    if not updated:
        # de: Diese Einwilligung ist bereits widerrufen oder ersetzt.
        raise ValidationError(
            {"consent": _("This consent has already been withdrawn or superseded.")}
        )
    audit_log(
        user=actor,
        action="update",
        object_type="consent",
        object_id=consent.pk,
        person_id=consent.person_id,
        categories=["consent"],
        request=request,
        detail="withdrawn",
    )
    consent.refresh_from_db()
    flag_dependents(
        consent=consent, reason=DependentFlag.Reason.WITHDRAWN, actor=actor, request=request
    )
    return consent


@transaction.atomic
def consent_attest(
    *, actor: Any, consent: Consent, attested_on: dt.date | None = None, request: Any = None
) -> Consent:
    """The case manager confirms, dated, that the signed paper of ``consent`` is in the file.

    The only later write on a consent besides the withdrawal: it records evidence, it changes
    nothing the person declared (§ 67b Abs. 2 SGB X written form).
    """
    require(actor, Action.CHANGE)
    day = attested_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"attested_on": _("The date lies in the future.")})
    if day < consent.valid_from:
        # de: Die Bestätigung kann nicht vor dem Beginn der Einwilligung liegen.
        raise ValidationError(
            {"attested_on": _("The attestation cannot lie before the start of the consent.")}
        )
    updated = Consent.objects.filter(
        pk=consent.pk, traeger_id=actor.traeger_id, attested_on__isnull=True
    ).update(attested_by=actor, attested_on=day)
    if not updated:
        # de: Für diese Einwilligung ist die Unterschrift bereits bestätigt.
        raise ValidationError(
            {"attested_on": _("The signature of this consent has already been attested.")}
        )
    audit_log(
        user=actor,
        action="update",
        object_type="consent",
        object_id=consent.pk,
        person_id=consent.person_id,
        categories=["consent"],
        request=request,
        detail="attested",
    )
    consent.refresh_from_db()
    return consent


@transaction.atomic
def transfer_record(
    *,
    actor: Any,
    person: Person,
    recipient: Organisation,
    categories: list[str],
    purpose: str,
    purpose_key: str,
    basis: str,
    transferred_at: dt.datetime | None = None,
    consent: Consent | None = None,
    statutory_basis: StatutoryBasis | None = None,
    reason: str = "",
    request: Any = None,
) -> Transfer:
    """Journal a transfer made by hand (phone, letter) — through the gate, flow ``manual``.

    ``purpose`` is the free description, ``purpose_key`` the configured purpose it serves.
    """
    require(actor, Action.CHANGE)
    errors: dict[str, StrOrPromise] = {}
    _categories(categories, errors)
    if not purpose.strip():
        # de: Nennen Sie den Zweck.
        errors["purpose"] = _("State the purpose.")
    if not purpose_key:
        # de: Wählen Sie den Zweck aus der Liste.
        errors["purpose_key"] = _("Choose the purpose from the list.")
    if basis == Transfer.Basis.STATUTE and statutory_basis is None:
        # de: Wählen Sie die Rechtsvorschrift.
        errors["statutory_basis"] = _("Choose the statute.")
    elif basis not in Transfer.Basis.values:
        # de: Wählen Sie die Rechtsgrundlage.
        errors["basis"] = _("Choose the legal basis.")
    if errors:
        raise ValidationError(errors)
    chosen: Consent | StatutoryBasis | None = (
        statutory_basis if basis == Transfer.Basis.STATUTE else consent
    )
    return pass_transfer(
        actor=actor,
        person=person,
        recipient=recipient,
        categories=categories,
        purpose=purpose_key,
        flow=Flow.MANUAL,
        basis=chosen,
        reason=reason,
        description=purpose,
        transferred_at=transferred_at,
        field_name="statutory_basis" if basis == Transfer.Basis.STATUTE else "consent",
        request=request,
    )


@transaction.atomic
def notice_record(
    *,
    actor: Any,
    person: Person,
    language: str,
    handed_out_on: dt.date,
    request: Any = None,
) -> InformationNotice:
    """Record that the Art. 13 information sheet (current text version) was handed out."""
    require(actor, Action.CHANGE)
    errors: dict[str, str] = {}
    if person.traeger_id != actor.traeger_id:
        errors["person"] = _("This entry does not belong to your Träger.")
    if NOTICE_TEXTS.language(language) is None:
        errors["language"] = unknown_language_message(language)
    if handed_out_on > timezone.localdate():
        errors["handed_out_on"] = _("The date lies in the future.")
    if errors:
        raise ValidationError(errors)
    notice = InformationNotice.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        language=language,
        text_version=NOTICE_TEXTS.version,
        handed_out_on=handed_out_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_log(
        user=actor,
        action="create",
        object_type="information_notice",
        object_id=notice.pk,
        person_id=person.pk,
        categories=["consent"],
        request=request,
        detail=f"{notice.text_version}:{language}",
    )
    return notice
