"""The Art. 15 page of a person and its downloads (parse → authorise → one service → render)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from lotse.accounts.reauth import requires_recent_auth
from lotse.audit.services import audit_log
from lotse.core.access import Action
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import requires
from lotse.people.selectors import get_person_for_user
from lotse.privacy.api import export_response


@requires(Action.VIEW)
def export_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, Action.VIEW)
    audit_log(
        user=request.user,
        action="view",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        categories=["identity"],
        request=request,
        detail="Art. 15 DSGVO",
    )
    return render(request, "privacy/export.html", {"person": person})


# The single place where the re-authentication for an export applies (web downloads; the API is
# token-based, see lotse.accounts.reauth).
@requires(Action.VIEW)
@requires_recent_auth
def export_download(request: AuthenticatedRequest, pk: int, output: str) -> HttpResponse:
    person = get_person_for_user(request.user, pk, Action.VIEW)
    return export_response(request, person, output)
