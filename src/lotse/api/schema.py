"""OpenAPI schema extensions (loaded in ``ApiConfig.ready``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """One enum component per choice set, however many fields use it (no naming collisions)."""

    target_class = "lotse.api.serializers.common.NamedChoiceField"
    match_subclasses = True

    def get_name(self) -> str | None:
        return str(self.target.component)

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        choices = self.target.choices
        values = list(choices)
        if self.target.allow_blank and "" not in values:
            values.append("")
        return {
            "type": "string",
            "enum": values,
            "description": "\n".join(f"* `{value}` – {label}" for value, label in choices.items()),
        }
