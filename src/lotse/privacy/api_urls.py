"""API routes of this app, mounted under /api/v1/ (names in the ``api`` namespace)."""

from django.urls import URLPattern, path

from lotse.privacy import api

urlpatterns: list[URLPattern] = [
    path("persons/<int:pk>/export/", api.PersonExportView.as_view(), name="person-export"),
    path(
        "persons/<int:pk>/export.pdf", api.PersonExportPdfView.as_view(), name="person-export-pdf"
    ),
]
