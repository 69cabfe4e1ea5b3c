"""API routes of this app, mounted under /api/v1/ (names in the api namespace)."""

from django.urls import path

from lotse.assignments import api

urlpatterns = [
    path("tasks/", api.MyTaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/", api.TaskDetailView.as_view(), name="task-detail"),
    path("cases/<int:pk>/tasks/", api.CaseTaskListView.as_view(), name="case-tasks"),
]
