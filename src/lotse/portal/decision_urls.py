"""Published decisions and measures with their trace (views in lotse.governance)."""

from django.urls import URLPattern, path

from lotse.governance import portal_views as views

urlpatterns: list[URLPattern] = [
    path("beschluesse/", views.decision_list, name="decisions"),
    path("beschluesse/<int:pk>/", views.decision_detail, name="decision"),
    path("massnahmen/<int:pk>/", views.measure_detail, name="measure"),
]
