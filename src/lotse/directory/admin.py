"""German admin for the configuration data (the Werkzeugkoffer), scoped to the user's Träger.

The configuration file (``lotse loadconfig``) stays the source of truth: the admin is for quick
corrections, which ``lotse dumpconfig`` writes back into the file. Every admin class derives
from ``TraegerScopedAdmin`` so data of one Träger is never visible to or linkable from another:
querysets, foreign-key choices and the Träger of saved rows all follow ``request.user``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.core.access import can_configure_region
from lotse.core.models import TenantOwned
from lotse.directory import models as dm
from lotse.directory.guide_forms import InterviewGuideForm
from lotse.tenancy.models import Traeger


def may_configure(request: HttpRequest) -> bool:
    """Superusers, and staff of a Träger with the administration or coordination role."""

    user: Any = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return can_configure_region(user)


def _scope(model: type[models.Model], request: HttpRequest) -> QuerySet[Any] | None:
    """The rows of ``model`` the user may pick, or None when no restriction applies."""
    user: Any = request.user
    if user.is_superuser:
        return None
    if issubclass(model, TenantOwned):
        return model._default_manager.filter(traeger_id=user.traeger_id)
    if model is Traeger:
        return Traeger.objects.filter(pk=user.traeger_id)
    return None


def _check_same_traeger(form: forms.ModelForm, traeger_id: int | None) -> None:
    """Keys are unique per Träger and references never cross Träger boundaries."""
    model = form._meta.model
    key = form.cleaned_data.get("key")
    if traeger_id and key:
        clash = model._default_manager.filter(traeger_id=traeger_id, key=key)
        if form.instance.pk:
            clash = clash.exclude(pk=form.instance.pk)
        if clash.exists():
            # de: Dieser Schlüssel ist bei diesem Träger schon vergeben.
            form.add_error("key", gettext("This key is already used by this Träger."))
    for name, value in list(form.cleaned_data.items()):
        values = value if isinstance(value, QuerySet | list | tuple) else [value]
        for item in values:
            if not isinstance(item, TenantOwned) or not traeger_id:
                continue
            # An unsaved parent (inline on an add page) gets its Träger only when saved.
            if item.traeger_id is not None and item.traeger_id != traeger_id:
                # de: „{item}“ gehört zu einem anderen Träger.
                form.add_error(
                    name, gettext("“{item}” belongs to another Träger.").format(item=item)
                )


class TraegerScopedAdmin(admin.ModelAdmin):
    """Shared base: scope to ``request.user.traeger_id`` unless the user is a superuser."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user: Any = request.user
        if user.is_superuser:
            return queryset
        return queryset.filter(traeger_id=user.traeger_id)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:  # type: ignore[union-attr]
            exclude.append("traeger")
        return exclude

    def get_list_display(self, request: HttpRequest) -> Any:
        columns = list(super().get_list_display(request))
        if request.user.is_superuser:  # type: ignore[union-attr]
            columns.append("traeger")
        return columns

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        if request.user.is_superuser:  # type: ignore[union-attr]
            filters.insert(0, "traeger")
            return filters
        # A related filter would list the entries of every Träger (e.g. the Sozialräume of
        # another Stadt); offer only those used by the rows the user may see.
        return [
            (item, admin.RelatedOnlyFieldListFilter)
            if isinstance(item, str)
            and "__" not in item
            and self.model._meta.get_field(item).is_relation
            else item
            for item in filters
        ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = _scope(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = _scope(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        user: Any = request.user

        class ScopedForm(base):  # type: ignore[valid-type, misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                if user.is_superuser:
                    traeger = cleaned.get("traeger")
                    traeger_id = traeger.pk if traeger else getattr(obj, "traeger_id", None)
                else:
                    traeger_id = user.traeger_id
                _check_same_traeger(self, traeger_id)
                return cleaned

        return ScopedForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user: Any = request.user
        if not user.is_superuser:
            obj.traeger_id = user.traeger_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for instance in formset.save(commit=False):
            if isinstance(instance, TenantOwned):
                instance.traeger_id = form.instance.traeger_id
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_configure(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_configure(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)


class TraegerScopedInline(admin.TabularInline):
    """Inline rows inherit the Träger of their parent; choices are scoped like the parent."""

    extra = 0
    exclude = ("traeger",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = _scope(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        queryset = _scope(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        user: Any = request.user
        traeger_id = getattr(obj, "traeger_id", None) or user.traeger_id

        class ScopedForm(formset.form):  # type: ignore[name-defined, misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                _check_same_traeger(self, traeger_id)
                return cleaned

        formset.form = ScopedForm
        return formset

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_configure(request)


# -- inlines ----------------------------------------------------------------------------------
class ContactPersonInline(TraegerScopedInline):
    model = dm.ContactPerson
    fields = ("key", "name", "function", "email", "phone", "sort_order")


class ProgrammeModuleInline(TraegerScopedInline):
    model = dm.ProgrammeModule
    fields = ("key", "number", "name", "participants_per_coach", "description")


class ProgrammeProviderInline(TraegerScopedInline):
    model = dm.ProgrammeProvider
    fields = ("municipality", "organisation")
    verbose_name = _("provider in a municipality")
    verbose_name_plural = _(
        "providers per municipality (a municipality without a row is not covered)"
    )


class MeasureInline(TraegerScopedInline):
    model = dm.Measure
    fk_name = "goal"
    fields = ("key", "text", "responsible", "financing", "organisational", "sort_order")


class BodyMembershipInline(TraegerScopedInline):
    model = dm.BodyMembership
    fields = ("key", "label", "organisation", "role", "sort_order")


# -- model admins -----------------------------------------------------------------------------
@admin.register(dm.Sozialraum)
class SozialraumAdmin(TraegerScopedAdmin):
    list_display = ("name", "office", "key", "sort_order")
    search_fields = ("name", "office", "key")
    ordering = ("traeger", "sort_order", "name")


@admin.register(dm.Municipality)
class MunicipalityAdmin(TraegerScopedAdmin):
    list_display = ("name", "sozialraum", "own_immigration_office", "own_youth_office", "key")
    list_filter = ("sozialraum", "own_immigration_office", "own_youth_office")
    search_fields = ("name", "key", "official_key")
    list_select_related = ("sozialraum",)


@admin.register(dm.Organisation)
class OrganisationAdmin(TraegerScopedAdmin):
    list_display = ("name", "short_name", "kind", "municipality", "email", "key")
    list_filter = ("kind", "municipality")
    search_fields = ("name", "short_name", "key", "email", "contacts__name")
    list_select_related = ("municipality",)
    inlines = [ContactPersonInline]


@admin.register(dm.ContactPerson)
class ContactPersonAdmin(TraegerScopedAdmin):
    list_display = ("name", "function", "organisation", "email", "phone")
    list_filter = ("organisation__kind",)
    search_fields = ("name", "function", "email", "organisation__name", "key")
    list_select_related = ("organisation",)


@admin.register(dm.FieldOfAction)
class FieldOfActionAdmin(TraegerScopedAdmin):
    list_display = ("name", "short_name", "cross_cutting", "data_category", "key", "sort_order")
    list_filter = ("cross_cutting", "data_category")
    search_fields = ("name", "short_name", "key")


@admin.register(dm.TargetGroup)
class TargetGroupAdmin(TraegerScopedAdmin):
    list_display = ("name", "parent", "key", "sort_order")
    list_filter = ("parent",)
    search_fields = ("name", "key", "description")
    list_select_related = ("parent",)


@admin.register(dm.ResidenceStatusType)
class ResidenceStatusTypeAdmin(TraegerScopedAdmin):
    list_display = (
        "name",
        "legal_basis",
        "is_residence_title",
        "typical_validity_months",
        "target_group",
    )
    list_filter = ("is_residence_title", "target_group")
    search_fields = ("name", "legal_basis", "key")
    list_select_related = ("target_group",)


@admin.register(dm.Programme)
class ProgrammeAdmin(TraegerScopedAdmin):
    list_display = ("name", "kind", "min_age", "max_age", "budget_cents", "key")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "key", "funding")
    filter_horizontal = ("eligible_statuses",)
    inlines = [ProgrammeModuleInline, ProgrammeProviderInline]


@admin.register(dm.CaseManagementPost)
class CaseManagementPostAdmin(TraegerScopedAdmin):
    list_display = ("name", "programme", "organisation", "sozialraum", "target_caseload", "holder")
    list_filter = ("programme", "organisation", "sozialraum")
    search_fields = ("name", "key", "holder__username", "holder__last_name")
    list_select_related = ("programme", "organisation", "sozialraum", "holder")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        user: Any = request.user
        if db_field.name == "holder" and not user.is_superuser:
            from lotse.accounts.models import User

            kwargs["queryset"] = User.objects.filter(traeger_id=user.traeger_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(dm.Goal)
class GoalAdmin(TraegerScopedAdmin):
    list_display = ("code", "title", "tier", "field_of_action", "parent", "adopted_on")
    list_display_links = ("code", "title")
    list_filter = ("tier", "field_of_action", "adopted_on")
    search_fields = ("code", "title", "description", "key")
    list_select_related = ("field_of_action", "parent")
    inlines = [MeasureInline]


@admin.register(dm.Measure)
class MeasureAdmin(TraegerScopedAdmin):
    list_display = ("text", "goal", "responsible", "financing", "organisational")
    list_filter = ("goal__field_of_action", "goal")
    search_fields = ("text", "responsible", "financing", "key")
    list_select_related = ("goal",)
    filter_horizontal = ("further_goals",)


@admin.register(dm.Body)
class BodyAdmin(TraegerScopedAdmin):
    list_display = ("name", "kind", "field_of_action", "mandated_by", "meeting_rhythm")
    list_filter = ("kind", "field_of_action")
    search_fields = ("name", "description", "key")
    list_select_related = ("field_of_action", "mandated_by")
    inlines = [BodyMembershipInline]


@admin.register(dm.InterviewGuide)
class InterviewGuideAdmin(TraegerScopedAdmin):
    """The questions are edited in a form (``guide_forms``), not as raw JSON."""

    form = InterviewGuideForm
    exclude = ("sections",)
    list_display = ("name", "guide_version", "key")
    search_fields = ("name", "description", "key")
