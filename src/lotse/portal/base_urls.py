"""Portal home, contact directory with vCard, working aids, process chains."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
