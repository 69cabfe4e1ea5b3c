"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import URLPattern, path

from lotse.spreadsheets import api

urlpatterns: list[URLPattern] = [
    path("imports/", api.ImportListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", api.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/confirm/", api.ImportConfirmView.as_view(), name="import-confirm"),
]
