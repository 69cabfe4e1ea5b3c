"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import URLPattern, path

from lotse.programmes import api

urlpatterns: list[URLPattern] = [
    path(
        "persons/<int:pk>/eligibility/",
        api.EligibilityView.as_view(),
        name="person-programme-eligibility",
    ),
    path(
        "cases/<int:pk>/participation/",
        api.ParticipationView.as_view(),
        name="case-participation",
    ),
    path(
        "cases/<int:pk>/participation/modules/",
        api.AssignmentListView.as_view(),
        name="case-participation-modules",
    ),
    path(
        "cases/<int:pk>/participation/costs/",
        api.BudgetEntryListView.as_view(),
        name="case-participation-costs",
    ),
    path("cases/<int:pk>/abh-referrals/", api.ReferralListView.as_view(), name="abh-referral-list"),
    path(
        "cases/<int:pk>/abh-referrals/<int:referral_pk>/",
        api.ReferralDetailView.as_view(),
        name="abh-referral-detail",
    ),
    path(
        "cases/<int:pk>/abh-referrals/<int:referral_pk>/forward/",
        api.ReferralForwardView.as_view(),
        name="abh-referral-forward",
    ),
    path(
        "cases/<int:pk>/abh-referrals/<int:referral_pk>/answer/",
        api.ReferralAnswerView.as_view(),
        name="abh-referral-answer",
    ),
    path(
        "cases/<int:pk>/abh-referrals/<int:referral_pk>/close/",
        api.ReferralCloseView.as_view(),
        name="abh-referral-close",
    ),
]
