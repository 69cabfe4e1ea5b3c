"""Published decisions and measures with their trace (views in lotse.governance)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
