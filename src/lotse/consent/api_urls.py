"""API routes of this app, mounted under /api/v1/ (names in the ``api`` namespace)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
