"""Optimisation needs to circles, Beschlussvorlagen, consultations, decisions, measures."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
