"""OpenAPI schema extensions (loaded in ``ApiConfig.ready``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)


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


class ApiTokenAuthenticationExtension(OpenApiAuthenticationExtension):
    """The hashed API tokens in the schema: HTTP Bearer (``Token`` is accepted as well)."""

    target_class = "lotse.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Persönlicher API-Token (`lotse createtoken` oder Seite „API-Tokens“), "
                "gesendet als `Authorization: Bearer <token>`. Tokens laufen ab und können "
                "widerrufen werden; `Authorization: Token <token>` wird weiter angenommen."
            ),
        }
