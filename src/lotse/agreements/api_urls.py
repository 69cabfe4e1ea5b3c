"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import path

from lotse.agreements import api

urlpatterns = [
    path("cases/<int:pk>/agreements/", api.AgreementListView.as_view(), name="case-agreements"),
    path(
        "cases/<int:pk>/agreements/draft/",
        api.AgreementDraftView.as_view(),
        name="case-agreement-draft",
    ),
    path(
        "cases/<int:pk>/agreements/draft/agree/",
        api.AgreementAgreeView.as_view(),
        name="case-agreement-agree",
    ),
    path(
        "cases/<int:pk>/agreements/<int:number>/",
        api.AgreementVersionView.as_view(),
        name="case-agreement-version",
    ),
    path("cases/<int:pk>/agreement.pdf", api.AgreementPdfView.as_view(), name="case-agreement-pdf"),
]
