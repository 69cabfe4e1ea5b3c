"""Optimisation needs to circles, Beschlussvorlagen, consultations, decisions, measures."""

from django.urls import URLPattern, path

from lotse.governance import paper_views as views

urlpatterns: list[URLPattern] = [
    path("vorlagen/", views.paper_list, name="papers"),
    path("vorlagen/neu/", views.paper_create, name="paper_create"),
    path("vorlagen/<int:pk>/", views.paper_detail, name="paper"),
    path("vorlagen/<int:pk>/beratung/", views.paper_consult, name="paper_consult"),
    path(
        "vorlagen/<int:pk>/beratung/<int:consultation_pk>/ergebnis/",
        views.consultation_result,
        name="consultation_result",
    ),
    path("vorlagen/<int:pk>/vorlegen/", views.paper_submit, name="paper_submit"),
    path("vorlagen/<int:pk>/beschluss/", views.paper_decide, name="paper_decide"),
    path("vorlagen/<int:pk>/massnahme/", views.decision_measure, name="decision_measure"),
    path("massnahmen/", views.measure_list, name="measures"),
    path("massnahmen/<int:pk>/", views.measure_detail, name="measure"),
    path("bedarfe/<int:pk>/", views.need_trace, name="need_trace"),
]
