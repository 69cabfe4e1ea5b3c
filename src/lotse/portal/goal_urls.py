"""The goals registry with measures, history and live compliance."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
