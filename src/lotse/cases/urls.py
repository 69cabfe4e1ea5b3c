from django.urls import path

from lotse.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("neu/person/<int:person_pk>/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.case_edit, name="edit"),
    path("<int:pk>/phase/", views.case_phase, name="phase"),
    path("<int:pk>/handlungsfeld/", views.field_process, name="field_process"),
    path("<int:pk>/evaluation/", views.case_evaluation, name="evaluation"),
    path("<int:pk>/wiedereroeffnen/", views.case_reopen, name="reopen"),
    path("<int:pk>/verlauf/neu/", views.timeline_add, name="timeline_add"),
    path("<int:pk>/verlauf/<int:entry_pk>/datei/", views.attachment_download, name="attachment"),
]
