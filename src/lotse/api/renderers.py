"""Renderers that let file downloads pass DRF's content negotiation.

The views build the file response themselves; these renderers only make ``Accept:
application/pdf`` (or the type of an attachment) acceptable, so DRF does not answer 406.
Error answers of such views are rendered as JSON (``views.base.FileAPIView``).
"""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import BaseRenderer


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        return data


class AnyFileRenderer(PdfRenderer):
    """An uploaded file of whatever type it was stored with."""

    media_type = "*/*"
    format = "file"
