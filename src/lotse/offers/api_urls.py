"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import path

from lotse.offers import api

urlpatterns = [
    path("offers/", api.OfferListView.as_view(), name="offer-list"),
    path("offers/<int:pk>/", api.OfferDetailView.as_view(), name="offer-detail"),
    path("cases/<int:pk>/referrals/", api.CaseReferralListView.as_view(), name="case-referrals"),
    path("referrals/", api.ReferralWorklistView.as_view(), name="referral-list"),
    path("referrals/<int:pk>/", api.ReferralDetailView.as_view(), name="referral-detail"),
    path(
        "referrals/<int:pk>/transition/",
        api.ReferralTransitionView.as_view(),
        name="referral-transition",
    ),
]
