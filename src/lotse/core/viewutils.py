"""Small helpers shared by the HTML views (parse → authorise → call one service → render)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from lotse.core.access import Action, can


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form field it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def render_invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Forms with errors come back with status 422 so htmx and tests can tell them apart."""
    return render(request, template, context, status=422)


def requires_permission(
    check: Callable[[Any], bool],
) -> Callable[[Callable[..., Any]], Callable[..., HttpResponseBase]]:
    """Login, then ``check(user)`` (a predicate of ``core.access``) before the view runs.

    The one decorator for role-level permissions: anonymous users go to the sign-in, users
    without the permission get a 403; object-level checks happen in the selectors (404).
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            from django.contrib.auth.views import redirect_to_login
            from django.core.exceptions import PermissionDenied

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def requires(action: Action) -> Callable[[Callable[..., Any]], Callable[..., HttpResponseBase]]:
    """Login plus the role-level permission for case files; object-level checks in selectors."""
    return requires_permission(lambda user: can(user, action))


def form_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    form: forms.Form,
    on_valid: Callable[[dict[str, Any]], HttpResponseBase],
    form_name: str = "form",
) -> HttpResponseBase:
    """The one GET/validate/service-call/redirect pattern of the HTML form views.

    GET (or any method but POST) renders ``template`` with ``context`` and ``form``. On POST the
    form is validated; when valid, ``on_valid(cleaned_data)`` calls the one service and returns
    the response (normally a redirect). A ``ValidationError`` from the service goes to the
    field it names and the page comes back with 422 (as do the form's own errors); an edit
    conflict (someone saved in between) comes back with 409 and the message on the form.
    Nothing is stored in these cases: services are atomic. ``form_name`` is the form's name in
    the template's context (e.g. one of several forms on a detail page); ``context`` may be a
    function, so a page's reads happen only when the page is rendered, not on a valid POST.
    """
    from lotse.core.locking import EditConflict

    def page_context() -> dict[str, Any]:
        return {**(context() if callable(context) else context), form_name: form}

    if request.method != "POST":
        return render(request, template, page_context())
    if form.is_valid():
        try:
            return on_valid(dict(form.cleaned_data))
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return render(request, template, page_context(), status=409)
        except ValidationError as error:
            add_service_errors(form, error)
    return render_invalid(request, template, page_context())
