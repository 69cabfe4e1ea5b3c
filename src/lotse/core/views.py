from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotse import __version__


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database readiness for load balancers and monitoring (no login)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        database = {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
        status = 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "version": __version__,
            "database": database,
        },
        status=status,
    )


def home(request: HttpRequest) -> HttpResponse:
    """Case workers start at their cases; every other role gets a start page for its work."""
    from django.shortcuts import redirect

    from lotse.accounts.models import Role
    from lotse.core.access import Action, can

    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if can(user, Action.VIEW):
        return redirect("cases:my_cases")
    return render(
        request,
        "core/start.html",
        {
            "is_coordination": user.has_role(Role.COORDINATION),  # type: ignore[union-attr]
            "is_partner": user.has_role(Role.PARTNER),  # type: ignore[union-attr]
            "is_admin": user.has_role(Role.ADMINISTRATION) or user.is_staff,  # type: ignore[union-attr]
            "is_dpo": user.has_role(Role.DATA_PROTECTION),  # type: ignore[union-attr]
        },
    )


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Erklärung zur Barrierefreiheit (§ 7 BITV 2.0): public, with the feedback contact."""
    return render(
        request,
        "core/accessibility.html",
        {"accessibility_contact": settings.LOTSE_ACCESSIBILITY_CONTACT},
    )


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
