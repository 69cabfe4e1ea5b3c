"""Consent and transfer pages of a person (parse → authorise → one service → render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts.reauth import requires_recent_auth, when_posted
from lotse.agreements.texts import default_language_for, document_language
from lotse.audit.services import audit_log
from lotse.consent import documents, flags, selectors, services
from lotse.consent.forms import (
    AttestForm,
    ConsentForm,
    NoticeForm,
    SheetLanguageForm,
    TransferForm,
    WithdrawForm,
)
from lotse.consent.models import Consent, Transfer
from lotse.core.access import Action, not_found
from lotse.core.http import AuthenticatedRequest
from lotse.core.reference import language_name
from lotse.core.viewutils import add_service_errors, render_invalid, requires
from lotse.people.models import Person
from lotse.people.selectors import get_person_for_user


def _audit_read(request: AuthenticatedRequest, action: str, obj: str, pk: Any, person: int) -> None:
    audit_log(
        user=request.user,
        action=action,
        object_type=obj,
        object_id=pk,
        person_id=person,
        categories=["consent"],
        request=request,
    )


def _unsigned_warning(request: AuthenticatedRequest, consent: Consent) -> None:
    if consent.form == Consent.Form.WRITTEN and not consent.is_signed:
        # de: Ohne unterschriebenen Scan oder die Bestätigung, dass das unterschriebene Papier in
        # der Akte liegt, deckt diese schriftliche Einwilligung keine Übermittlung.
        messages.warning(
            request,
            _(
                "Without a signed scan or the confirmation that the signed paper is in the file, "
                "this written consent covers no transfer."
            ),
        )


def _sheet_language(person: Person) -> str:
    return default_language_for(list(person.languages or []), person.interpreter_language)


@requires(Action.VIEW)
def person_consents(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    consents = list(selectors.consents_of(person))
    notices = list(selectors.notices_of(person))
    for notice in notices:
        notice.language_label = language_name(notice.language)  # type: ignore[attr-defined]
    _audit_read(request, "list", "consent", "", person.pk)
    language = document_language(_sheet_language(person))
    context = {
        "person": person,
        "consents": consents,
        "notices": notices,
        "sheet_language": language,
        "flags": list(flags.open_flags_of_person(person)),
    }
    return render(request, "consent/person_consents.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def consent_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person_for_user(user, pk, Action.CHANGE)
    traeger_id = int(person.traeger_id)
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, traeger_id=traeger_id)
        if form.is_valid():
            try:
                consent = services.consent_record(
                    actor=user, person=person, request=request, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Einwilligung %(id)s erfasst.
                messages.success(request, _("Consent %(id)s recorded.") % {"id": consent})
                _unsigned_warning(request, consent)
                return redirect("consent:detail", pk=consent.pk)
        return render_invalid(
            request, "consent/consent_form.html", {"form": form, "person": person}
        )
    form = ConsentForm(
        traeger_id=traeger_id,
        initial={"valid_from": timezone.localdate(), "language": "de", "form": "written"},
    )
    return render(request, "consent/consent_form.html", {"form": form, "person": person})


@requires(Action.VIEW)
def consent_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = selectors.get_consent_for_user(request.user, pk)
    _audit_read(request, "view", "consent", consent.pk, consent.person_id)
    return render(request, "consent/consent_detail.html", _detail_context(consent))


def _detail_context(consent: Consent, **forms: Any) -> dict[str, Any]:
    return {
        "consent": consent,
        "person": consent.person,
        "versions": selectors.consent_versions(consent),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "attest_form": forms.get("attest_form")
        or AttestForm(initial={"attested_on": timezone.localdate()}),
        "language": language_name(consent.language),
        "purposes": list(consent.purposes.all()),
        "needs_signature": consent.form == Consent.Form.WRITTEN and not consent.is_signed,
    }


@requires(Action.CHANGE)
@require_POST
def consent_attest(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The case manager confirms, dated, that the signed paper is in the file."""
    consent = selectors.get_consent_for_user(request.user, pk, Action.CHANGE)
    form = AttestForm(request.POST)
    if form.is_valid():
        try:
            services.consent_attest(
                actor=request.user,
                consent=consent,
                attested_on=form.cleaned_data["attested_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Bestätigt: Das unterschriebene Papier liegt in der Akte.
            messages.success(request, _("Confirmed: the signed paper is in the file."))
            return redirect("consent:detail", pk=consent.pk)
    return render_invalid(
        request, "consent/consent_detail.html", _detail_context(consent, attest_form=form)
    )


@requires(Action.VIEW)
def flag_list(request: AuthenticatedRequest) -> HttpResponse:
    """The case manager's list of things that relied on a consent that ended."""
    rows = list(flags.open_flags_for_user(request.user)[:200])
    audit_log(  # case numbers and recipients of the team's clients
        user=request.user,
        action="list",
        object_type="consent_flag",
        request=request,
        detail=f"rows:{len(rows)}",
    )
    return render(request, "consent/flag_list.html", {"flags": rows})


@requires(Action.CHANGE)
@require_POST
def flag_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    flag = flags.open_flags_for_user(request.user).filter(pk=pk).first()
    if flag is None:
        raise not_found()
    flags.flag_resolve(actor=request.user, flag=flag, request=request)
    # de: Hinweis erledigt.
    messages.success(request, _("Notice resolved."))
    return redirect("consent:flags")


def _initial_from(consent: Consent) -> dict[str, Any]:
    return {
        "recipients": [org.pk for org in consent.recipients.all()],
        "categories": consent.categories,
        "purpose": consent.purpose,
        "form": consent.form,
        "language": consent.language,
        "interpreter": consent.interpreter,
        "valid_from": timezone.localdate(),
        "valid_until": consent.valid_until,
        "text_version": consent.text_version,
    }


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def consent_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    consent = selectors.get_consent_for_user(user, pk, Action.CHANGE)
    traeger_id = int(consent.traeger_id)
    context: dict[str, Any] = {"person": consent.person, "consent": consent}
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, traeger_id=traeger_id)
        if form.is_valid():
            try:
                new = services.consent_change(
                    actor=user, consent=consent, request=request, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Neue Fassung %(id)s erfasst.
                messages.success(request, _("New version %(id)s recorded.") % {"id": new})
                _unsigned_warning(request, new)
                return redirect("consent:detail", pk=new.pk)
        return render_invalid(request, "consent/consent_form.html", {**context, "form": form})
    form = ConsentForm(traeger_id=traeger_id, initial=_initial_from(consent))
    return render(request, "consent/consent_form.html", {**context, "form": form})


@requires(Action.CHANGE)
@require_POST
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = selectors.get_consent_for_user(request.user, pk, Action.CHANGE)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, consent=consent, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # de: Einwilligung widerrufen. Sie gilt ab sofort nicht mehr.
            messages.success(request, _("Consent withdrawn. It no longer applies, from now on."))
            return redirect("consent:detail", pk=consent.pk)
    return render_invalid(
        request, "consent/consent_detail.html", _detail_context(consent, withdraw_form=form)
    )


@requires(Action.VIEW)
def consent_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = selectors.get_consent_for_user(request.user, pk)
    _audit_read(request, "print", "consent", consent.pk, consent.person_id)
    return render(request, "consent/consent_print.html", documents.consent_context(consent))


@requires(Action.VIEW)
def consent_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = selectors.get_consent_for_user(request.user, pk)
    audit_log(
        user=request.user,
        action="print",
        object_type="consent",
        object_id=consent.pk,
        person_id=consent.person_id,
        categories=["consent"],
        request=request,
        detail="pdf",
    )
    language = documents.consent_language(consent)
    response = HttpResponse(documents.consent_pdf(consent), content_type="application/pdf")
    filename = f"einwilligung-{consent.document_id}-{language.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(Action.VIEW)
def consent_scan(request: AuthenticatedRequest, pk: int) -> FileResponse:
    consent = selectors.get_consent_for_user(request.user, pk)
    if not consent.scan:
        raise not_found()
    _audit_read(request, "download", "consent", consent.pk, consent.person_id)
    name = consent.scan.name or ""
    suffix = name[name.rfind(".") :] if "." in name else ""
    return FileResponse(
        consent.scan.open("rb"), as_attachment=True, filename=f"{consent.document_id}{suffix}"
    )


@requires(Action.VIEW)
def person_transfers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    transfers = list(selectors.transfers_of(person))
    _audit_read(request, "list", "transfer", "", person.pk)
    return render(
        request, "consent/person_transfers.html", {"person": person, "transfers": transfers}
    )


@requires(Action.CHANGE)
@requires_recent_auth(when=when_posted("basis", Transfer.Basis.STATUTE))
@require_http_methods(["GET", "POST"])
def transfer_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person_for_user(user, pk, Action.CHANGE)
    traeger_id = int(person.traeger_id)
    if request.method == "POST":
        form = TransferForm(request.POST, traeger_id=traeger_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.transfer_record(
                    actor=user,
                    person=person,
                    recipient=data["recipient"],
                    categories=data["categories"],
                    purpose=data["purpose"],
                    purpose_key=data["purpose_key"],
                    basis=data["basis"],
                    statutory_basis=data["statutory_basis"],
                    reason=data["reason"],
                    transferred_at=data["transferred_at"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Übermittlung eingetragen.
                messages.success(request, _("Transfer recorded."))
                return redirect("consent:transfers", pk=person.pk)
        return render_invalid(
            request, "consent/transfer_form.html", {"form": form, "person": person}
        )
    form = TransferForm(traeger_id=traeger_id)
    return render(request, "consent/transfer_form.html", {"form": form, "person": person})


def _sheet_form(request: AuthenticatedRequest) -> tuple[SheetLanguageForm, str]:
    form = SheetLanguageForm(request.GET or None)
    code = "de"
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["sprache"] or "de"
    return form, code


@requires(Action.VIEW)
def notice_sheet(request: AuthenticatedRequest) -> HttpResponse:
    """The Art. 13 information sheet of the user's Träger, German and ``?sprache=``."""
    traeger = request.user.traeger
    form, code = _sheet_form(request)
    parties = selectors.notice_parties(traeger)
    context = {
        **documents.notice_context(traeger, parties, code),
        "form": form,
        "code": code,
    }
    if form.errors:
        return render_invalid(request, "consent/notice_sheet.html", context)
    return render(request, "consent/notice_sheet.html", context)


@requires(Action.VIEW)
def notice_sheet_pdf(request: AuthenticatedRequest) -> HttpResponse:
    traeger = request.user.traeger
    form, code = _sheet_form(request)
    if form.errors:
        message = services.unknown_language_message(request.GET.get("sprache", ""))
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    pdf = documents.notice_pdf(traeger, selectors.notice_parties(traeger), code)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"datenschutzinformation-{getattr(traeger, 'slug', '')}-{code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def notice_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record that the person received the information sheet (Art. 13 GDPR)."""
    person = get_person_for_user(request.user, pk, Action.CHANGE)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                services.notice_record(
                    actor=request.user, person=person, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Aushändigung der Datenschutzinformation erfasst.
                messages.success(request, _("Handing out of the privacy information recorded."))
                return redirect("consent:person", pk=person.pk)
        return render_invalid(request, "consent/notice_form.html", {"form": form, "person": person})
    form = NoticeForm(
        initial={"language": _sheet_language(person), "handed_out_on": timezone.localdate()}
    )
    return render(request, "consent/notice_form.html", {"form": form, "person": person})
