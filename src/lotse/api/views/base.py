"""The base of every API view: token or session login, the role check, the audit channel."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from lotse.api.authentication import ApiTokenAuthentication
from lotse.api.permissions import CaseFilePermission, RecentAuthForSessions
from lotse.api.renderers import PdfRenderer
from lotse.audit.services import audit_log
from lotse.core.access import Action

API_CHANNEL = "api"
#: ``recent_auth_methods`` of list endpoints that can be paged to the end and of the Art. 15
#: export: every read by a browser session counts as bulk (the web pages are the interactive
#: path; the API's pages are built to be followed to the last one).
BULK_READ = frozenset({"GET", "HEAD"})


class CaseFileAPIView(APIView):
    """Parse → authorise → call one service (or selector) → serialise.

    Token authentication comes first so that an anonymous client gets 401 with a
    ``WWW-Authenticate`` header rather than a bare 403.
    """

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [CaseFilePermission, RecentAuthForSessions]
    required_actions: ClassVar[dict[str, Action]] = {}
    #: Methods that are bulk reads or exports: a browser session must have confirmed recently.
    recent_auth_methods: ClassVar[frozenset[str]] = frozenset()

    def parse(self, serializer_class: type[Serializer], data: Any, **context: Any) -> Any:
        serializer = serializer_class(data=data, context={"request": self.request, **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def audit_read(self, request: Request, **entry: Any) -> None:
        """Reads are logged like in the web interface (§ 67b SGB X accountability), never values."""
        audit_log(user=request.user, request=request, channel=API_CHANNEL, **entry)


class FileAPIView(CaseFileAPIView):
    """An endpoint that answers with a file (a PDF unless ``renderer_classes`` says otherwise).

    ``Accept: application/pdf`` and ``*/*`` both pass content negotiation; the view returns the
    file response itself. Its errors (400, 404, …) are answered in JSON whatever was accepted.
    """

    renderer_classes = [JSONRenderer, PdfRenderer]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        # ``response`` is the view's own file response (an ``HttpResponse``) or an error.
        if isinstance(response, Response) and not isinstance(
            getattr(request, "accepted_renderer", None), JSONRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
