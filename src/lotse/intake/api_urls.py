"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import URLPattern, path

from lotse.intake import api

urlpatterns: list[URLPattern] = [
    path(
        "cases/<int:pk>/initial-interview/",
        api.InterviewView.as_view(),
        name="case-initial-interview",
    ),
    path("cases/<int:pk>/assessments/", api.AssessmentListView.as_view(), name="case-assessments"),
    path(
        "cases/<int:pk>/assessments/<int:field_pk>/",
        api.AssessmentDetailView.as_view(),
        name="case-assessment",
    ),
    path(
        "cases/<int:pk>/assessments/<int:field_pk>/history/",
        api.AssessmentHistoryView.as_view(),
        name="case-assessment-history",
    ),
    path("cases/<int:pk>/profile/", api.ProfileView.as_view(), name="case-profile"),
    path(
        "cases/<int:pk>/interpreter-uses/",
        api.InterpreterUseListView.as_view(),
        name="case-interpreter-uses",
    ),
]
