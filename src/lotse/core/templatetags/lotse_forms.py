"""Template helpers for forms rendered with :class:`lotse.core.forms.KernFormRenderer`."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def has_required_fields(form: forms.BaseForm) -> bool:
    """Whether any visible field is required (then the form explains the "*" marker)."""
    return any(field.field.required for field in form.visible_fields())
