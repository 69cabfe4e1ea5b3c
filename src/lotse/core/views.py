from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotse import __version__
from lotse.audit.services import audit_log
from lotse.core import access
from lotse.core import start as start_selectors
from lotse.core.health import background_state
from lotse.core.http import AuthenticatedRequest
from lotse.core.week import KINDS, my_week_for_user


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness for monitoring and load balancers (no login; no personal data).

    ``ok`` (200): database reachable, worker and scheduler alive. ``degraded`` (503): the web
    application works, but the background worker stopped (its heartbeat is older than
    ``LOTSE_HEARTBEAT_STALE_SECONDS``, or tasks wait and no worker was ever seen) or the
    scheduler stopped. ``error`` (503): the database is unreachable. ``?scope=web`` checks the
    database only (for load balancers that should keep sending requests to a working web
    process whatever the worker does). See docs/operations.md.
    """
    body: dict[str, Any] = {"status": "ok", "version": __version__}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        body["status"] = "error"
        body["database"] = {
            "status": "error",
            "vendor": connection.vendor,
            "error": exc.__class__.__name__,
        }
        return JsonResponse(body, status=503)
    if request.GET.get("scope") == "web":
        return JsonResponse(body, status=200)
    try:
        body.update(background_state())
    except Exception as exc:  # noqa: BLE001 - e.g. locked: say so instead of failing
        body["status"] = "degraded"
        body["reasons"] = ["background_state_unavailable"]
        body["error"] = exc.__class__.__name__
        return JsonResponse(body, status=503)
    if body["reasons"]:
        body["status"] = "degraded"
        return JsonResponse(body, status=503)
    return JsonResponse(body, status=200)


def home(request: HttpRequest) -> HttpResponse:
    """The site's root: the start page when signed in, else the sign-in."""
    return redirect("start" if request.user.is_authenticated else "login")


# Roles whose start page is a page of its own app: /start/ sends them there.
_START_REDIRECTS = {
    access.StartPage.REGION: "directory:structure",
    access.StartPage.SHARED: "sharing:persons",
    access.StartPage.AUDIT_LOG: "audit:log",
    access.StartPage.ADMINISTRATION: "admin:index",
}


@login_required
def start(request: AuthenticatedRequest) -> HttpResponse:
    """Where everyone lands after signing in: the page made for their role
    (``core.access.start_page_for``)."""
    page = access.start_page_for(request.user)
    if page in _START_REDIRECTS:
        return redirect(_START_REDIRECTS[page])
    if page == access.StartPage.OWN_WORK:
        return _own_work_page(request)
    if page == access.StartPage.TEAM:
        return _team_page(request)
    return render(request, "core/start.html")


def _own_work_page(request: AuthenticatedRequest) -> HttpResponse:
    """Meine Woche: what is due for the case manager, by urgency (``core.week``)."""
    user = request.user
    today = timezone.localdate()
    week = my_week_for_user(user, today=today)
    listed = [item for group in week.groups for item in group.rows]
    audit_log(
        user=user,
        action="list",
        object_type="start",
        request=request,
        detail=",".join(
            f"{kind}:{sum(1 for item in listed if item.kind == kind)}" for kind in KINDS
        ),
    )
    return render(
        request,
        "core/start_own_work.html",
        {"week": week, "today": today, "team_link": access.can_lead_team(user)},
    )


def _team_page(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    team = start_selectors.team_for_user(request.user, today=today)
    return render(request, "core/start_team.html", {"team": team, "today": today})


@login_required
def start_team(request: AuthenticatedRequest) -> HttpResponse:
    """The team page for team leads who land on their own work first (several roles)."""
    if not access.can_lead_team(request.user):
        raise PermissionDenied
    return _team_page(request)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Erklärung zur Barrierefreiheit (§ 7 BITV 2.0): public, with the feedback contact."""
    return render(
        request,
        "core/accessibility.html",
        {"accessibility_contact": settings.LOTSE_ACCESSIBILITY_CONTACT},
    )


@require_GET
def brand_stylesheet(request: HttpRequest, colour: str) -> HttpResponse:
    """The Träger's colour (``traeger.colour`` of its configuration) as a stylesheet.

    The strict CSP allows no inline styles, so the page frame links this sheet; the colour is
    in the URL (validated by the pattern), which makes the sheet the same for everyone and
    cacheable, and it carries no data of a Träger.
    """
    css = (
        f":root {{ --lotse-brand-colour: #{colour}; }}\n"
        ".lotse-brand__name { border-left-color: var(--lotse-brand-colour); }\n"
        ".lotse-header { border-top: 6px solid var(--lotse-brand-colour); }\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render without the request context: the database (sessions, user) may be what failed."""
    html = loader.get_template("core/error.html").render(
        {
            "status": 500,
            "request_id": getattr(request, "request_id", ""),
            "LOTSE_OPERATOR_NAME": settings.LOTSE_OPERATOR_NAME,
        }
    )
    return HttpResponseServerError(html)
