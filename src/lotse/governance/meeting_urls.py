"""Bodies, members, meetings, agenda, attendance, minutes, action items."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
