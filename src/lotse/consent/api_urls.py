"""API routes of this app, mounted under /api/v1/ (names in the ``api`` namespace)."""

from django.urls import URLPattern, path

from lotse.consent import api

urlpatterns: list[URLPattern] = [
    path("consents/", api.ConsentListView.as_view(), name="consent-list"),
    path("consents/<int:pk>/", api.ConsentDetailView.as_view(), name="consent-detail"),
    path("consents/<int:pk>/withdraw/", api.ConsentWithdrawView.as_view(), name="consent-withdraw"),
    path(
        "persons/<int:pk>/transfers/", api.PersonTransferListView.as_view(), name="person-transfers"
    ),
    path(
        "persons/<int:pk>/information-notices/",
        api.PersonInformationNoticeListView.as_view(),
        name="person-information-notices",
    ),
]
