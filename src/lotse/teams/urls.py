from django.urls import path

from lotse.teams import views

app_name = "teams"

urlpatterns = [
    path("faelle/<int:pk>/team/", views.case_team, name="case_team"),
    path(
        "faelle/<int:pk>/team/<int:membership_pk>/entfernen/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("faelle/<int:pk>/uebergabe/", views.case_handover, name="handover"),
    path("notfallzugriff/", views.break_glass, name="break_glass"),
    path("notfallzugriffe/", views.emergency_accesses, name="emergency_accesses"),
    path("vertretungen/", views.substitutions, name="substitutions"),
]
