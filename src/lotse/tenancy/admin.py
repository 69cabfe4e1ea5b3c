"""The Träger (tenants) in the admin: only superusers (the operator) create or change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lotse.tenancy.models import Traeger


@admin.register(Traeger)
class TraegerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "kind",
        "state",
        "config_version",
        "config_date",
        "config_loaded_at",
    )
    list_filter = ("kind", "state")
    search_fields = ("name", "slug")
    readonly_fields = ("config_loaded_at", "created_at")

    def _superuser(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)
