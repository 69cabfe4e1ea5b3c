"""``{% restriction_banner person %}``: the notice on a restricted person's (or case's) page."""

from __future__ import annotations

from typing import Any

from django import template

from lotse.retention.models import Restriction

register = template.Library()


@register.inclusion_tag("retention/banner.html")
def restriction_banner(person: Any) -> dict[str, Any]:
    restriction = None
    if person is not None and getattr(person, "pk", None):
        restriction = Restriction.objects.filter(
            traeger_id=person.traeger_id, person_id=person.pk, lifted_at__isnull=True
        ).first()
    return {"restriction": restriction, "person": person}
