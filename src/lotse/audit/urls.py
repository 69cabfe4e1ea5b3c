from django.urls import path

from lotse.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log_view, name="log"),
    path("abgewiesen/", views.denials_view, name="denials"),
]
