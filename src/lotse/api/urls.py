"""Version 1 of the JSON API (``/api/v1/``). Breaking changes go into a new version."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from lotse.api.views import cases, people

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("persons/", people.PersonListView.as_view(), name="person-list"),
    path("persons/<int:pk>/", people.PersonDetailView.as_view(), name="person-detail"),
    path(
        "persons/<int:pk>/residence-statuses/",
        people.ResidenceStatusListView.as_view(),
        name="person-residence-statuses",
    ),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/phase/", cases.CasePhaseView.as_view(), name="case-phase"),
    path("cases/<int:pk>/timeline/", cases.TimelineListView.as_view(), name="case-timeline"),
    path(
        "cases/<int:pk>/timeline/<int:entry_pk>/",
        cases.TimelineEntryDetailView.as_view(),
        name="timeline-entry-detail",
    ),
    path(
        "cases/<int:pk>/timeline/<int:entry_pk>/attachment/",
        cases.TimelineAttachmentView.as_view(),
        name="timeline-entry-attachment",
    ),
    path("", include("lotse.deadlines.api_urls")),
    path("", include("lotse.intake.api_urls")),
    path("", include("lotse.agreements.api_urls")),
    path("", include("lotse.offers.api_urls")),
    path("", include("lotse.assignments.api_urls")),
    path("", include("lotse.programmes.api_urls")),
    path("", include("lotse.spreadsheets.api_urls")),
    path("", include("lotse.consent.api_urls")),
    path("", include("lotse.sharing.api_urls")),
    path("", include("lotse.privacy.api_urls")),
]
