from django.urls import path

from lotse.intake import views

app_name = "intake"
urlpatterns = [
    path("faelle/<int:pk>/erstgespraech/", views.interview, name="interview"),
    path("faelle/<int:pk>/assessment/", views.assessment, name="assessment"),
    path(
        "faelle/<int:pk>/assessment/<int:field_pk>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "faelle/<int:pk>/assessment/<int:field_pk>/verlauf/",
        views.assessment_history,
        name="assessment_history",
    ),
    path("faelle/<int:pk>/profil/", views.profile, name="profile"),
    path("faelle/<int:pk>/sprachmittlung/", views.interpreters, name="interpreters"),
]
