from django.urls import URLPattern, path

from lotse.privacy import views

app_name = "privacy"
urlpatterns: list[URLPattern] = [
    path("personen/<int:pk>/auskunft/", views.export_page, name="export"),
    path(
        "personen/<int:pk>/auskunft/json/",
        views.export_download,
        {"output": "json"},
        name="export_json",
    ),
    path(
        "personen/<int:pk>/auskunft/pdf/",
        views.export_download,
        {"output": "pdf"},
        name="export_pdf",
    ),
]
