from django.urls import path

from lotse.offers import views

app_name = "offers"
urlpatterns = [
    path("angebote/", views.offer_list, name="list"),
    path("angebote/neu/", views.offer_create, name="create"),
    path("angebote/<int:pk>/", views.offer_detail, name="detail"),
    path("angebote/<int:pk>/bearbeiten/", views.offer_edit, name="edit"),
    path("angebote/<int:pk>/zugangswege/", views.access_path_add, name="access_path_add"),
    path(
        "angebote/<int:pk>/zugangswege/<int:path_pk>/entfernen/",
        views.access_path_delete,
        name="access_path_delete",
    ),
    path("faelle/<int:pk>/angebote/", views.case_referrals, name="case_referrals"),
    path("faelle/<int:pk>/angebote/neu/", views.referral_create, name="referral_create"),
    path("zusteuerungen/", views.worklist, name="worklist"),
    path("zusteuerungen/<int:pk>/", views.referral_detail, name="referral"),
    path("zusteuerungen/<int:pk>/status/", views.referral_transition, name="referral_transition"),
    path(
        "zusteuerungen/<int:pk>/wiedervorlage/",
        views.referral_follow_up,
        name="referral_follow_up",
    ),
]
