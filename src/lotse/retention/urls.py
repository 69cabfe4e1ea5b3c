from django.urls import URLPattern, path

from lotse.retention import views

app_name = "retention"
urlpatterns: list[URLPattern] = [
    path("personen/<int:pk>/loeschung/", views.person_section, name="person"),
    path("personen/<int:pk>/loeschung/antrag/", views.erasure_request_create, name="request"),
    path("personen/<int:pk>/einschraenkung/", views.restriction_set, name="restrict"),
    path("personen/<int:pk>/loeschsperre/", views.legal_hold_set, name="hold"),
    path("loeschantraege/<int:pk>/entscheidung/", views.erasure_request_decide, name="decide"),
    path("loeschantraege/<int:pk>/ausfuehren/", views.erasure_request_execute, name="execute"),
    path("einschraenkungen/<int:pk>/aufheben/", views.restriction_lift, name="lift_restriction"),
    path("loeschsperren/<int:pk>/aufheben/", views.legal_hold_lift, name="lift_hold"),
    path("loeschung/", views.overview, name="overview"),
    path("loeschung/fristen/", views.rules, name="rules"),
]
