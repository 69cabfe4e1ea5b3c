"""User administration in the Django admin, scoped to the administrator's Träger."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import (
    RecoveryCode,
    RoleAssignment,
    TotpDevice,
    User,
    WebAuthnCredential,
)
from lotse.audit.services import audit_append_prepared, audit_entry


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    verbose_name = _("role")
    verbose_name_plural = _("roles")


class WebAuthnCredentialInline(admin.TabularInline):
    """The user's security keys: listed and removable, never added here (only by the user)."""

    model = WebAuthnCredential
    extra = 0
    fields = ("name", "created_at", "last_used_at")
    readonly_fields = ("name", "created_at", "last_used_at")
    verbose_name = _("security key")
    verbose_name_plural = _("security keys")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleAssignmentInline, WebAuthnCredentialInline]
    list_display = (
        "username",
        "first_name",
        "last_name",
        "organisation",
        "is_active",
        "last_login",
    )
    list_filter = ("is_active", "role_assignments__role", "organisation")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Organisation"), {"fields": ("traeger", "organisation")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        # de: Zweiter Faktor
        (_("Second factor"), {"fields": ("second_factor", "mfa_exempt")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined", "second_factor")
    actions = ["reset_second_factor"]

    # de: Authenticator-App
    @admin.display(description=_("authenticator app"))
    def second_factor(self, obj: User) -> str:
        device = TotpDevice.objects.filter(user=obj, confirmed_at__isnull=False).first()
        if device is None:
            # de: nicht eingerichtet
            return str(_("not set up"))
        # de: eingerichtet am %(date)s
        return str(_("set up on %(date)s")) % {"date": f"{device.confirmed_at:%d.%m.%Y}"}

    # Security keys go too: they are an addition to the app, never the only factor. The
    # user's sessions end (``User.session_epoch``), so a lost device opens nothing any more.
    # de: Zweiten Faktor zurücksetzen (neu einrichten bei der nächsten Anmeldung)
    @admin.action(description=_("Reset second factor (set up again at next sign-in)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        with transaction.atomic():
            TotpDevice.objects.filter(user__in=users).delete()
            RecoveryCode.objects.filter(user__in=users).delete()
            WebAuthnCredential.objects.filter(user__in=users).delete()
            # A lost or stolen device: sessions already verified with it end now as well.
            User.objects.filter(pk__in=[user.pk for user in users]).update(
                session_epoch=F("session_epoch") + 1
            )
            audit_append_prepared(
                [
                    audit_entry(
                        user=request.user,
                        action="update",
                        object_type="user",
                        object_id=user.pk,
                        request=request,
                        detail="zweiter Faktor zurückgesetzt, Sitzungen beendet",
                    )
                    for user in users
                ]
            )
        # de: Zweiter Faktor für %(count)s Benutzer:innen zurückgesetzt.
        self.message_user(
            request, str(_("Second factor reset for %(count)s users.")) % {"count": len(users)}
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:  # type: ignore[union-attr]
            return queryset
        return queryset.filter(traeger=request.user.traeger)  # type: ignore[union-attr, misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:  # type: ignore[union-attr]
            fields += ("traeger", "is_superuser")
        return fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation" and not request.user.is_superuser:  # type: ignore[union-attr]
            from lotse.core.access import traeger_id_of
            from lotse.directory.models import Organisation

            kwargs["queryset"] = Organisation.objects.filter(traeger_id=traeger_id_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not request.user.is_superuser:  # type: ignore[union-attr]
            obj.traeger_id = request.user.traeger_id  # type: ignore[union-attr]
            obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)  # type: ignore[union-attr]


def _is_administrator(request: HttpRequest) -> bool:
    from lotse.core.access import can_administer

    return can_administer(request.user)


admin.site.site_header = _("Lotse administration")
admin.site.site_title = _("Lotse administration")
admin.site.index_title = _("Configuration")
