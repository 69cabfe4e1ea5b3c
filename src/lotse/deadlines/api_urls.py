"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import URLPattern, path

from lotse.deadlines import api

urlpatterns: list[URLPattern] = [
    path(
        "persons/<int:pk>/deadlines/",
        api.PersonDeadlineListView.as_view(),
        name="person-deadlines",
    ),
]
