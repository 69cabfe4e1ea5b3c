"""The portal's read-only pages of published decisions and measures (every actor of the region).

Only decisions whose minutes are approved (``published_at`` set) appear; an unpublished one is a
404. Needs show as anonymised structural text (``trace``), never a case or a name.
"""

from __future__ import annotations

from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lotse.core.access import can_use_portal, not_found, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.pagination import keyset_page
from lotse.core.viewutils import requires_permission
from lotse.directory.models import Measure
from lotse.governance import trace
from lotse.governance.models import Decision
from lotse.governance.paper_views import reports_of

portal_only = requires_permission(can_use_portal)


def _published(request: AuthenticatedRequest):  # type: ignore[no-untyped-def]
    return Decision.objects.filter(
        traeger_id=traeger_id_of(request.user), published_at__isnull=False
    ).select_related("paper__body", "paper__goal", "item__meeting__body")


@portal_only
@require_GET
def decision_list(request: AuthenticatedRequest) -> HttpResponseBase:
    order = ["-published_at", "-id"]
    try:
        page = keyset_page(_published(request), order=order, cursor=request.GET.get("nach"))
    except ValueError:
        page = keyset_page(_published(request), order=order, cursor=None)
    return render(request, "governance/portal_decisions.html", {"page": page})


@portal_only
@require_GET
def decision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    decision = _published(request).filter(pk=pk).first()
    if decision is None:
        raise not_found()
    return render(
        request,
        "governance/portal_decision.html",
        {"decision": decision, "trace": trace.decision_trace(decision)},
    )


@portal_only
@require_GET
def measure_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    measure = (
        Measure.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("goal", "responsible_organisation")
        .first()
    )
    if measure is None:
        raise not_found()
    return render(
        request,
        "governance/portal_measure.html",
        {
            "measure": measure,
            "reports": reports_of(measure),
            "trace": trace.measure_trace(measure, published_only=True),
        },
    )
