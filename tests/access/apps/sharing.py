"""URL classification and permission matrix of partner access by consent (``lotse.sharing``).

Only users with the partner role open these pages. The world's partner belongs to organisation
A; the detail URLs record (lazily, in the consent app's own table) a consent of the world's
person that names organisation A, so the partner sees the person. Everyone else gets 403 before
any lookup; a partner of another Träger gets 404 (``test_tenant_isolation``). Which *data* a
partner sees per consent state is proved in ``tests/sharing/test_generated_canaries.py``.
"""

from __future__ import annotations

import datetime as dt

from lotse.consent.models import Consent
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _shared_person(w: World) -> dict[str, int]:
    if not getattr(w, "_sharing_consent", False):
        consent = Consent.objects.create(
            traeger=w.traeger_a,
            person=w.person,
            categories=["identity", "education_work"],
            purpose="Abstimmung der Vermittlung in Arbeit mit dem Amt Alpha",
            form=Consent.Form.WRITTEN,
            valid_from=dt.date(2026, 1, 1),
            text_version="EW-2026-1",
            document_id="EW-SHAR-2222",
            recorded_by=w.case_manager,
            attested_on=dt.date(2026, 1, 1),
        )
        consent.recipients.set([w.org_a])
        w._sharing_consent = True  # type: ignore[attr-defined]
    return {"pk": w.person.pk}


ENDPOINTS = {
    "sharing:persons": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "sharing:person": Endpoint(
        Scope.OBJECT, api=False, kwargs=_shared_person, methods={"GET": None}
    ),
    "api:partner-person-list": Endpoint(Scope.TRAEGER, api=True, methods={"GET": None}),
    "api:partner-person-detail": Endpoint(
        Scope.OBJECT, api=True, kwargs=_shared_person, methods={"GET": None}
    ),
}

# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("sharing:persons", "GET"):                 (302, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("sharing:person", "GET"):                  (302, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("api:partner-person-list", "GET"):         (401, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("api:partner-person-detail", "GET"):       (401, 403, 403, 403, 200, 403, 403, 403, 403, 403),
}
# fmt: on
