"""Form rendering in the KERN UX design system.

``FORM_RENDERER = "lotse.core.forms.KernFormRenderer"`` makes ``{{ form }}`` and
``{{ form.field.as_field_group }}`` produce KERN markup: labels with a required marker, help
text, the error text at the field (``{auto_id}_error``, referenced by ``aria-describedby``),
``aria-invalid="true"`` on invalid widgets and an error summary at the top that links to every
invalid field. WCAG 2.1 SC 3.3.1 (error identification) and 1.3.1 (info and relationships)
require these links between fields and their messages; BITV 2.0 makes them law for us.

The widgets keep their Django classes; only their CSS classes and, for dates, the HTML input
type change. Forms need no mixin: the renderer supplies the bound field class (Django 5.2).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input

_CHOICE_LIST_TEMPLATE = "core/forms/widgets/choice_list.html"


def _kern_input_class(widget: forms.Widget) -> str | None:
    """The KERN class for a widget's ``<input>``/``<select>``/``<textarea>`` (None: leave it)."""
    if widget.is_hidden:
        return None
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "kern-form-check__radio"
    if isinstance(widget, forms.SelectMultiple):
        return "kern-form-input__input"
    if isinstance(widget, forms.Select):
        return "kern-form-input__select"
    if isinstance(widget, Input | forms.Textarea):
        return "kern-form-input__input"
    return None


class KernBoundField(BoundField):
    """A bound field whose widget carries KERN classes and sensible HTML input types."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        widget = field.widget  # each form instance has its own deep copy of its fields
        if isinstance(widget, forms.DateInput) and widget.input_type == "text":
            # Native date picker; the value must then be ISO 8601 (always accepted on input).
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.template_name = _CHOICE_LIST_TEMPLATE

    @property
    def kern_kind(self) -> str:
        """Which KERN field layout the field template uses: check, choices, select or input."""
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return "choices"
        if isinstance(widget, forms.CheckboxInput):
            return "check"
        if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            return "select"
        return "input"

    @property
    def error_target_id(self) -> str:
        """The element id an error-summary link jumps to (first option for grouped widgets)."""
        if self.field.widget.use_fieldset:
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kern_class = _kern_input_class(widget)
        if kern_class:
            classes = [kern_class]
            if self.errors:
                classes.append(f"{kern_class}--error")
            existing = attrs.get("class") or widget.attrs.get("class")
            if existing:
                classes.append(str(existing))
            attrs["class"] = " ".join(classes)
        return attrs


class KernFormRenderer(DjangoTemplates):
    """Renders forms with the templates in ``core/templates/core/forms/``."""

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = KernBoundField
