"""The page where a signed-in user manages their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts.reauth import requires_recent_auth
from lotse.api import selectors, services
from lotse.api.forms import TokenForm
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import add_service_errors, render_invalid

TEMPLATE = "api/tokens.html"


def _context(request: AuthenticatedRequest, form: TokenForm, **extra: object) -> dict[str, object]:
    return {"form": form, "tokens": list(selectors.tokens_of(request.user)), **extra}


def _posted(request: HttpRequest) -> bool:
    return request.method == "POST"


@login_required
@require_http_methods(["GET", "POST"])
@requires_recent_auth(when=_posted)  # a new credential: password (and code) again if stale
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    """GET lists the tokens; POST creates one and shows its secret in this response only."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                issued = services.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return render(request, TEMPLATE, _context(request, TokenForm(), issued=issued))
        return render_invalid(request, TEMPLATE, _context(request, form))
    return render(request, TEMPLATE, _context(request, TokenForm()))


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = selectors.get_own_token(request.user, pk)
    services.token_revoke(token=token, actor=request.user, request=request)
    # de: Der Token %(prefix)s… ist widerrufen.
    messages.success(
        request, _("The token %(prefix)s… has been revoked.") % {"prefix": token.prefix}
    )
    return redirect("tokens:list")
