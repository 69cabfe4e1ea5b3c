from django.contrib.auth import views as auth_views
from django.urls import path

from lotse.accounts import security_key_views, views
from lotse.accounts.security import ThrottledAuthenticationForm

urlpatterns = [
    path(
        "anmelden/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm
        ),
        name="login",
    ),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("anmelden/code/", views.mfa_verify, name="mfa_verify"),
    path("anmelden/zweiter-faktor/", views.mfa_enroll, name="mfa_enroll"),
    path("anmelden/wiederherstellungscodes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("anmelden/sicherheitsschluessel/", views.mfa_security_key, name="mfa_security_key"),
    path(
        "anmelden/sicherheitsschluessel/optionen/",
        views.mfa_security_key_options,
        name="mfa_security_key_options",
    ),
    path("anmelden/bestaetigen/", views.reauth, name="reauth"),
    path(
        "anmelden/bestaetigen/sicherheitsschluessel/optionen/",
        views.reauth_security_key_options,
        name="reauth_security_key_options",
    ),
    path("konto/passwort/", views.password_change, name="password_change"),
    path("konto/wiederherstellungscodes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path(
        "konto/sicherheitsschluessel/", security_key_views.security_key_list, name="security_keys"
    ),
    path(
        "konto/sicherheitsschluessel/optionen/",
        security_key_views.security_key_options,
        name="security_key_options",
    ),
    path(
        "konto/sicherheitsschluessel/<int:pk>/entfernen/",
        security_key_views.security_key_remove,
        name="security_key_remove",
    ),
]
