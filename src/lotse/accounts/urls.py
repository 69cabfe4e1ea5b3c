from django.contrib.auth import views as auth_views
from django.urls import path

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
]
