"""OpenAPI schema extensions (loaded in ``ApiConfig.ready``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

from lotse.api.serializers.common import ErrorSerializer, ValidationErrorSerializer

JSON = "application/json"
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


#: The errors every operation can answer (all need a signed-in user with a role).
COMMON_ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        ValidationErrorSerializer, description="Ungültige Eingabe: Feldname → Liste von Meldungen."
    ),
    401: _error("Nicht angemeldet: Token fehlt, ist abgelaufen oder widerrufen."),
    403: _error("Keine Berechtigung für diese Aktion (Rolle, Einschränkung nach Art. 18 DSGVO)."),
    404: _error("Nicht vorhanden oder außerhalb Ihres Zugriffs."),
}
#: … and those with a request body.
WRITE_ERRORS: dict[int, OpenApiResponse] = {
    413: _error("Die Anfrage ist zu groß; nichts gespeichert."),
}
#: Any other error an operation declares without a body (e.g. 409).
GENERIC_ERROR = _error("Fehler; `detail` nennt den Grund.")


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents its error answers, always as JSON.

    Views declare the errors they answer on purpose (400 with their fields, 404, 409); the
    ones every operation can give (401, 403, 404, 413 for bodies) are added here. Errors are
    JSON even where the success is a file (``views.base.FileAPIView``).
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        # Not ``get_response_serializers``: ``@extend_schema(responses=…)`` replaces that one.
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        defaults: dict[int, OpenApiResponse] = dict(COMMON_ERRORS)
        if self.method in _WRITE_METHODS:
            defaults.update(WRITE_ERRORS)
        codes = set(defaults) | {int(code) for code in responses if int(code) >= 400}
        for code in sorted(codes):
            declared = responses.get(str(code))
            if declared is None or not declared.get("content"):
                response = defaults.get(code, GENERIC_ERROR)
                if declared and declared.get("description"):  # keep the view's own words
                    response = OpenApiResponse(
                        response.response, description=declared["description"]
                    )
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), [JSON], direction
                )
        for status, declared in responses.items():
            content = declared.get("content")
            if int(status) >= 400 and content and JSON in content:
                declared["content"] = {JSON: content[JSON]}  # never "application/pdf" for errors
        return dict(sorted(responses.items()))


class ValidationErrorExtension(OpenApiSerializerExtension):
    """400 as an open object: the field names depend on the operation."""

    target_class = "lotse.api.serializers.common.ValidationErrorSerializer"

    def get_name(self, auto_schema: Any, direction: Any) -> str | None:
        return "ValidationError"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": (
                "Feldname (oder `non_field_errors`, bei unlesbarem Inhalt `detail`) → deutsche "
                "Meldungen; bei Listenfeldern je Position."
            ),
            "additionalProperties": {},
        }


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
