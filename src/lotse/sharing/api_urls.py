"""API routes of this app, mounted under /api/v1/ (names in the ``api`` namespace)."""

from django.urls import URLPattern, path

from lotse.sharing import api

urlpatterns: list[URLPattern] = [
    path("partner/persons/", api.SharedPersonListView.as_view(), name="partner-person-list"),
    path(
        "partner/persons/<int:pk>/",
        api.SharedPersonDetailView.as_view(),
        name="partner-person-detail",
    ),
]
