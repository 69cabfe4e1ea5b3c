from django.urls import path

from lotse.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("start/team/", views.start_team, name="start_team"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
]
