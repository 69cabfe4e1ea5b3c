"""URL classification and permission matrix of the consent app (consents, transfers, the
consent form as PDF, the Art. 13 information sheet and the record of handing it out).

The shared world has no consents; the objects these URLs need are created lazily (in the
``kwargs``/payload callables) in this app's own tables, on the world's person, so the snapshot
of persons and cases stays untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from lotse.consent.models import Consent, DependentFlag, Purpose
from lotse.directory.models import Organisation
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World

PURPOSE = "Abstimmung der Vermittlung in einen Sprachkurs (Jobcenter Alpha)"


@dataclass
class Setup:
    recipient: Organisation
    consent: Consent
    purpose: Purpose


def _setup(w: World) -> Setup:
    cached: Setup | None = getattr(w, "_consent", None)
    if cached is None:
        recipient = Organisation.objects.create(
            traeger=w.traeger_a, key="jobcenter-alpha", name="Jobcenter Alpha"
        )
        consent = Consent.objects.create(
            traeger=w.traeger_a,
            person=w.person,
            categories=["identity", "education_work"],
            purpose=PURPOSE,
            form=Consent.Form.WRITTEN,
            valid_from=dt.date(2026, 1, 1),
            text_version="EW-2026-1",
            document_id="EW-AAAA-2222",
            recorded_by=w.case_manager,
            scan=ContentFile(b"%PDF-1.4 Alpha", name="scan.pdf"),
        )
        consent.recipients.set([recipient])
        purpose = Purpose.objects.create(
            traeger=w.traeger_a, key="arbeitsmarktintegration", name="Arbeitsmarktintegration"
        )
        consent.purposes.set([purpose])
        cached = Setup(recipient=recipient, consent=consent, purpose=purpose)
        w._consent = cached  # type: ignore[attr-defined]
    return cached


def _person(w: World) -> dict[str, int]:
    return {"pk": w.person.pk}


def _consent(w: World) -> dict[str, int]:
    return {"pk": _setup(w).consent.pk}


def _consent_form(w: World) -> dict[str, Any]:
    return {
        "recipients": [_setup(w).recipient.pk],
        "categories": ["identity"],
        "purpose": PURPOSE,
        "form": "written",
        "language": "de",
        "valid_from": "2026-02-01",
        "text_version": "EW-2026-1",
        "purposes": [_setup(w).purpose.pk],
        "attest_signed_paper": "on",
    }


def _transfer_form(w: World) -> dict[str, Any]:
    return {
        "recipient": _setup(w).recipient.pk,
        "categories": ["identity"],
        "purpose": "Anmeldung zum Sprachkurs",
        "purpose_key": "arbeitsmarktintegration",
        "basis": "consent",
    }


def _flag(w: World) -> dict[str, int]:
    setup = _setup(w)
    flag, _created = DependentFlag.objects.get_or_create(
        consent=setup.consent,
        object_type="partner_access",
        object_id=setup.recipient.pk,
        defaults={
            "traeger": w.traeger_a,
            "person": w.person,
            "case": w.case,
            "recipient": setup.recipient,
            "reason": DependentFlag.Reason.WITHDRAWN,
        },
    )
    return {"pk": flag.pk}


def _notice_form(w: World) -> dict[str, Any]:
    return {"language": "ar", "handed_out_on": "2026-01-15"}


class _PersonFiltered(Endpoint):
    """The consent list requires ``?person=``; the world's person is the filter."""

    def url(self, name: str, world: World, *, missing: bool = False) -> str:
        return f"{reverse(name)}?person={world.person.pk}"


ENDPOINTS = {
    "consent:person": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "consent:create": Endpoint(
        Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None, "POST": _consent_form}
    ),
    "consent:detail": Endpoint(Scope.OBJECT, api=False, kwargs=_consent, methods={"GET": None}),
    "consent:change": Endpoint(
        Scope.OBJECT, api=False, kwargs=_consent, methods={"GET": None, "POST": _consent_form}
    ),
    "consent:withdraw": Endpoint(
        Scope.OBJECT, api=False, kwargs=_consent, methods={"POST": lambda w: {"note": "x"}}
    ),
    "consent:attest": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_consent,
        methods={"POST": lambda w: {"attested_on": "2026-02-01"}},
    ),
    "consent:flags": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "consent:flag_resolve": Endpoint(
        Scope.OBJECT, api=False, kwargs=_flag, methods={"POST": lambda w: {}}
    ),
    "consent:print": Endpoint(Scope.OBJECT, api=False, kwargs=_consent, methods={"GET": None}),
    "consent:pdf": Endpoint(Scope.OBJECT, api=False, kwargs=_consent, methods={"GET": None}),
    "consent:scan": Endpoint(Scope.OBJECT, api=False, kwargs=_consent, methods={"GET": None}),
    "consent:transfers": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "consent:transfer_create": Endpoint(
        Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None, "POST": _transfer_form}
    ),
    "consent:notice_sheet": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "consent:notice_sheet_pdf": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "consent:notice_create": Endpoint(
        Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None, "POST": _notice_form}
    ),
    "api:person-information-notices": Endpoint(
        Scope.OBJECT, api=True, kwargs=_person, methods={"GET": None, "POST": _notice_form}
    ),
    "api:consent-list": _PersonFiltered(
        Scope.TRAEGER,
        api=True,
        methods={"GET": None, "POST": lambda w: {**_consent_form(w), "person": w.person.pk}},
    ),
    "api:consent-detail": Endpoint(Scope.OBJECT, api=True, kwargs=_consent, methods={"GET": None}),
    "api:consent-withdraw": Endpoint(
        Scope.OBJECT, api=True, kwargs=_consent, methods={"POST": lambda w: {"note": "x"}}
    ),
    "api:person-transfers": Endpoint(Scope.OBJECT, api=True, kwargs=_person, methods={"GET": None}),
}

# The consent list filters by a person of Träger A: outside the case team that person does not
# exist (404 on GET; 400 when named in a POST body, like every reference to foreign data).
# fmt: off
#                                             anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("consent:person", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:create", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:create", "POST"):               (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("consent:detail", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:change", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:change", "POST"):               (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("consent:withdraw", "POST"):             (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("consent:attest", "POST"):               (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("consent:flags", "GET"):                 (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("consent:flag_resolve", "POST"):         (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("consent:print", "GET"):                 (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:pdf", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:scan", "GET"):                  (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:transfers", "GET"):             (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:transfer_create", "GET"):       (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:transfer_create", "POST"):      (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("consent:notice_sheet", "GET"):          (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("consent:notice_sheet_pdf", "GET"):      (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("consent:notice_create", "GET"):         (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("consent:notice_create", "POST"):        (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-information-notices", "GET"):  (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-information-notices", "POST"): (401, 201, 201, 403, 403, 403, 403, 403, 404, 404),
    ("api:consent-list", "GET"):              (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:consent-list", "POST"):             (401, 201, 201, 403, 403, 403, 403, 403, 400, 400),
    ("api:consent-detail", "GET"):            (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:consent-withdraw", "POST"):         (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-transfers", "GET"):          (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
