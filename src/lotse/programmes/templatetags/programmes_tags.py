from __future__ import annotations

from django import template

from lotse.programmes.services import euros

register = template.Library()


@register.filter
def cents(value: int | None) -> str:
    """Integer cents as German money: 1.234,56 €."""
    return "—" if value is None else euros(int(value))
