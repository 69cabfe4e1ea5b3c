from django.urls import path

from lotse.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.structure, name="structure"),
    path("akteure/", views.organisations, name="organisations"),
    path("ziele/", views.goals, name="goals"),
    path("gremien/", views.bodies, name="bodies"),
]
