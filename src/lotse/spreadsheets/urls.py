from django.urls import path

from lotse.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("import/", views.import_list, name="imports"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/bestaetigen/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/verwerfen/", views.import_discard, name="import_discard"),
    path("export/faelle.xlsx", views.export_cases, name="export_cases"),
    path("export/personen.xlsx", views.export_persons, name="export_persons"),
]
