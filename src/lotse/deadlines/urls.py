from django.urls import URLPattern, path

from lotse.deadlines import views

app_name = "deadlines"
urlpatterns: list[URLPattern] = [
    path("fristen/", views.worklist, name="worklist"),
    path("personen/<int:pk>/fristen/", views.person_deadlines, name="person"),
    path(
        "personen/<int:pk>/fristen/<int:deadline_pk>/erfuellt/",
        views.mark_met,
        name="mark_met",
    ),
    path(
        "personen/<int:pk>/fristen/<int:deadline_pk>/entfaellt/",
        views.mark_not_applicable,
        name="mark_not_applicable",
    ),
    path(
        "personen/<int:pk>/fristen/<int:deadline_pk>/wieder-oeffnen/",
        views.reopen,
        name="reopen",
    ),
]
