"""The goals registry with measures, history and live compliance."""

from django.urls import URLPattern, path

from lotse.portal import goals

urlpatterns: list[URLPattern] = [
    path("ziele/", goals.goals, name="goals"),
    path("ziele/<int:pk>/", goals.goal, name="goal"),
]
