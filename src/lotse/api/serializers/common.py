"""Serializer helpers shared by the API resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers

from lotse.api.fields import FreeTextField

#: The largest primary key (64-bit); larger ids in query parameters are a 400, not a database
#: error.
MAX_ID = 2**63 - 1


def actor(serializer: serializers.BaseSerializer) -> Any:
    """The user the request acts for; choice lists are narrowed to their Träger."""
    return serializer.context["request"].user


class ErrorSerializer(serializers.Serializer):
    """Every error of the API that is not about single fields (401, 403, 404, 409, 413, 500 …).

    Further properties may follow (e.g. the candidates of a likely duplicate on 409).
    """

    detail = FreeTextField(read_only=True)
    # Not read-only, so that the schema does not list them as always present.
    code = FreeTextField(max_length=200, required=False)
    request_id = FreeTextField(max_length=200, required=False)


class ValidationErrorSerializer(serializers.Serializer):
    """400: field name → list of German messages (``non_field_errors`` for the whole input).

    Documented as an open object by ``schema.ValidationErrorExtension``: the field names depend
    on the operation, and a list field reports per position (``{"0": [...]}``).
    """


class ConflictSerializer(serializers.Serializer):
    detail = FreeTextField(read_only=True)
    code = FreeTextField(read_only=True)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference to configuration data of the actor's own Träger.

    ``scope(user)`` gives the allowed rows; an id of another Träger reads exactly like an id
    that does not exist, so nothing is learned about other Träger.
    """

    def __init__(self, model: type[Model], scope: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self._scope = scope
        # The empty queryset tells the schema generator the model (and so the id type).
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self) -> QuerySet:
        return self._scope(actor(self.root))


def of_traeger(model: type[Model]) -> Callable[[Any], QuerySet]:
    def scope(user: Any) -> QuerySet:
        return model._default_manager.filter(traeger_id=user.traeger_id)

    return scope


class NamedChoiceField(serializers.ChoiceField):
    """A choice field documented as the shared enum component ``component`` in the schema."""

    def __init__(self, *, component: str, **kwargs: Any) -> None:
        self.component = component
        super().__init__(**kwargs)
