from django.urls import path

from lotse.assignments import views

app_name = "assignments"
urlpatterns = [
    path("aufgaben/", views.my_tasks, name="mine"),
    path("aufgaben/<int:pk>/", views.task_detail, name="detail"),
    path("aufgaben/<int:pk>/bearbeiten/", views.task_edit, name="edit"),
    path("faelle/<int:pk>/aufgaben/", views.case_tasks, name="case_tasks"),
]
