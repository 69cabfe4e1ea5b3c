"""Serializer fields shared by every API module."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lotse.core.forms import NOTE_MAX_CHARS, with_max_chars


class FreeTextField(serializers.CharField):
    """The API twin of :class:`lotse.core.forms.FreeTextField`: ``max_length`` if given,
    otherwise :data:`~lotse.core.forms.NOTE_MAX_CHARS`, with the same German message."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_length=max_length or NOTE_MAX_CHARS, **kwargs)
        self.validators = with_max_chars(self.validators, self.max_length or NOTE_MAX_CHARS)
