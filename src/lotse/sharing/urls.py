from django.urls import URLPattern, path

from lotse.sharing import views

app_name = "sharing"
urlpatterns: list[URLPattern] = [
    path("partner/personen/", views.person_list, name="persons"),
    path("partner/personen/<int:pk>/", views.person_detail, name="person"),
]
