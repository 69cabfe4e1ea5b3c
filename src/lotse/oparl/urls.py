"""/oparl/v1/: the read-only OParl 1.1 endpoint for what a Träger marks public."""

from django.urls import URLPattern

app_name = "oparl"
urlpatterns: list[URLPattern] = []
