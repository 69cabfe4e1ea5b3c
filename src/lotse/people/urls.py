from django.urls import path

from lotse.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("neu/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.person_edit, name="edit"),
    path("<int:pk>/aufenthaltsstatus/", views.residence_status_add, name="residence_status_add"),
    path("<int:pk>/namensvariante/", views.name_variant_add, name="name_variant_add"),
    path("<int:pk>/familienmitglied/", views.family_member_add, name="family_member_add"),
    path("<int:pk>/zusammenfuehren/", views.person_merge, name="merge"),
]
