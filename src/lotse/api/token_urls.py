from django.urls import path

from lotse.api import token_views

app_name = "tokens"
urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("<int:pk>/widerrufen/", token_views.token_revoke, name="revoke"),
]
