"""User administration in the Django admin, scoped to the administrator's Träger."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import (
    RecoveryCode,
    RoleAssignment,
    TotpDevice,
    User,
    WebAuthnCredential,
)
from lotse.accounts.security import ThrottledAdminAuthenticationForm
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


def _traeger_scope(request: HttpRequest) -> int | None:
    """The Träger whose rows the editing admin may pick; None only for a superuser without one."""
    from lotse.core.access import traeger_id_of

    user = request.user
    if user.is_superuser and getattr(user, "traeger_id", None) is None:  # type: ignore[union-attr]
        return None
    return traeger_id_of(user)


def _scoped(model: Any, traeger_id: int | None) -> QuerySet[Any] | None:
    """The rows of a Träger-owned model (or the Träger itself) of ``traeger_id``; else None."""
    from lotse.core.models import TenantOwned
    from lotse.tenancy.models import Traeger

    if traeger_id is None:
        return None
    if issubclass(model, TenantOwned):
        return model._default_manager.filter(traeger_id=traeger_id)
    if model is Traeger:
        return Traeger.objects.filter(pk=traeger_id)
    return None


def _other_traeger_message(item: Any) -> str:
    # de: „{item}“ gehört zu einem anderen Träger als die Benutzerin oder der Benutzer.
    return gettext("“{item}” belongs to another Träger than the user.").format(item=item)


class LotseUserChangeForm(UserChangeForm):
    """Django's form plus the posts the user holds (``CaseManagementPost.holder``)."""

    posts: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("posts held"),  # de: besetzte Stellen
        # de: Stellen im Fallmanagement, die diese Person besetzt.
        help_text=_("Case management posts this person holds."),
        widget=forms.CheckboxSelectMultiple,
    )

    #: The Träger the admin works in (None: a superuser without Träger), set by ``get_form``.
    traeger_scope: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lotse.directory.models import CaseManagementPost

        super().__init__(*args, **kwargs)
        if "posts" in self.fields:
            posts = CaseManagementPost.objects.select_related("organisation").order_by(
                "sort_order", "name"
            )
            if self.traeger_scope is not None:
                posts = posts.filter(traeger_id=self.traeger_scope)
            field: Any = self.fields["posts"]
            field.queryset = posts
            if self.instance.pk:
                field.initial = list(
                    posts.filter(holder_id=self.instance.pk).values_list("pk", flat=True)
                )

    def _target_traeger_id(self) -> int | None:
        """The user's Träger after saving: the admin's own unless a superuser picks one."""
        if "traeger" in self.cleaned_data:
            traeger = self.cleaned_data["traeger"]
            return traeger.pk if traeger is not None else None
        if self.traeger_scope is not None:
            return self.traeger_scope
        return self.instance.traeger_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        traeger_id = self._target_traeger_id()
        organisation = cleaned.get("organisation")
        if organisation is not None and organisation.traeger_id != traeger_id:
            self.add_error("organisation", _other_traeger_message(organisation))
        for post in cleaned.get("posts") or []:
            if post.traeger_id != traeger_id:
                self.add_error("posts", _other_traeger_message(post))
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = LotseUserChangeForm
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
        (_("Organisation"), {"fields": ("traeger", "organisation", "posts")}),
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

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        if not issubclass(base, LotseUserChangeForm):
            return base  # the add form: user name and password only
        return type(base.__name__, (base,), {"traeger_scope": _traeger_scope(request)})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = _scoped(db_field.related_model, _traeger_scope(request))
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = _scoped(db_field.related_model, _traeger_scope(request))
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not request.user.is_superuser:  # type: ignore[union-attr]
            obj.traeger_id = request.user.traeger_id  # type: ignore[union-attr]
            obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "posts" in getattr(form, "cleaned_data", {}):
            _set_posts_held(request, form.instance, list(form.cleaned_data["posts"]))

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


def _set_posts_held(request: HttpRequest, user: User, posts: list[Any]) -> None:
    """The user holds exactly ``posts`` afterwards; recorded in the access log.

    Runs inside the admin's transaction for the change form, so the log entry and the change
    are committed together.
    """
    from lotse.directory.models import CaseManagementPost

    chosen = {post.pk for post in posts}  # validated: all of the user's Träger
    held = CaseManagementPost.objects.filter(holder=user)
    before = set(held.values_list("pk", flat=True))
    if before == chosen:
        return
    held.exclude(pk__in=chosen).update(holder=None)
    CaseManagementPost.objects.filter(pk__in=chosen).update(holder=user)
    names = ", ".join(sorted(post.name for post in posts)) or "keine"
    audit_append_prepared(
        [
            audit_entry(
                user=request.user,
                action="update",
                object_type="user",
                object_id=user.pk,
                request=request,
                detail=f"besetzte Stellen: {names}",
            )
        ]
    )


def _is_administrator(request: HttpRequest) -> bool:
    from lotse.core.access import can_administer

    return can_administer(request.user)


# The admin's sign-in counts failures and refuses while locked out, like /anmelden/.
admin.site.login_form = ThrottledAdminAuthenticationForm
admin.site.site_header = _("Lotse administration")
admin.site.site_title = _("Lotse administration")
admin.site.index_title = _("Configuration")
