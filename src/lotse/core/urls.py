from django.urls import path

from lotse.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
]
