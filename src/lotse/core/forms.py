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

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

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


# -- Free texts: a size limit on every one -----------------------------------------------------

#: Notes, summaries, minutes, reasons: about ten typed pages. A limit at all keeps a pasted
#: document (9 MB were accepted) out of the database, the PDFs and the Art. 15 export.
NOTE_MAX_CHARS = 20_000
#: Titles and other one-line texts.
TITLE_MAX_CHARS = 500


def german_number(value: int) -> str:
    """20000 → "20.000" (grouping as the active language has it; German in Lotse)."""
    return formats.number_format(value, force_grouping=True)


@deconstructible
class MaxCharsValidator(MaxLengthValidator):
    """Django's length check with the limit and the count in the message, grouped in German:
    "Höchstens 20.000 Zeichen (eingegeben: 25.312)." Used by forms and serializers alike."""

    code = "max_length"

    def __call__(self, value: Any) -> None:
        count = self.clean(value)
        if count > self.limit_value:
            raise ValidationError(
                _("At most %(limit)s characters (entered: %(count)s).")
                % {"limit": german_number(self.limit_value), "count": german_number(count)},
                code=self.code,
            )


def with_max_chars(validators: list[Any], limit: int) -> list[Any]:
    """The validators with Django's/DRF's length check replaced by :class:`MaxCharsValidator`."""
    return [v for v in validators if not isinstance(v, MaxLengthValidator)] + [
        MaxCharsValidator(limit)
    ]


class FreeTextField(forms.CharField):
    """A text field with a limit: ``max_length`` if given, otherwise :data:`NOTE_MAX_CHARS`.

    One-line inputs get the HTML ``maxlength`` (typing stops at the limit); text areas do not,
    because browsers cut pasted text there silently — the message says what is too much.
    """

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_length=max_length or NOTE_MAX_CHARS, **kwargs)
        self.validators = with_max_chars(self.validators, self.max_length or NOTE_MAX_CHARS)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea):
            attrs.pop("maxlength", None)
        return attrs


# -- Amounts in German formats ------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+(,\d+)?$")


def parse_german_decimal(text: str) -> Decimal:
    """ "1.200,50", "1200,50", "1 200,50 €", "1200" → Decimal; "1,200.50" or "12.50" → ValueError.

    A point is only a thousands separator (in groups of three), the comma the decimal
    separator, as on every German form; an English notation is refused rather than guessed,
    because "1.200" would otherwise mean 1.2 or 1200 depending on who typed it.
    """
    cleaned = text.strip().removesuffix("€").removesuffix("EUR").strip()
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", cleaned)  # spaces, also non-breaking ones
    negative = cleaned.startswith("-")
    cleaned = cleaned.removeprefix("-")
    if not (_GROUPED.match(cleaned) or _PLAIN.match(cleaned)):
        raise ValueError(text)
    number = Decimal(cleaned.replace(".", "").replace(",", "."))
    return -number if negative else number


class GermanDecimalField(forms.DecimalField):
    """A decimal number in German notation (1.200,50); shown the same way."""

    default_error_messages = {
        "invalid": _("Please enter a number in German notation, e.g. 1.200,50."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.input_type = "text"  # type=number would refuse the comma in some browsers
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            number = parse_german_decimal(str(value))
        except (ValueError, ArithmeticError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float):
            places = self.decimal_places if self.decimal_places is not None else None
            return formats.number_format(value, decimal_pos=places, force_grouping=True)
        return value


class EuroField(GermanDecimalField):
    """An amount of money in euros with cents (1.200,50 €); :meth:`cents` gives integer cents."""

    default_error_messages = {
        "invalid": _(
            "Please enter the amount in German notation, e.g. 1.200,50 (comma before the cents)."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    @staticmethod
    def cents(amount: Decimal) -> int:
        return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
