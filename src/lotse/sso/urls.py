from django.urls import path

from lotse.sso import views

app_name = "sso"
urlpatterns = [
    path("anmelden/", views.start, name="oidc_login"),
    path("bestaetigen/", views.reauth_start, name="oidc_reauth"),
    path("callback/", views.callback, name="oidc_callback"),
]
