"""JSON API of tasks: ``/api/v1/tasks/…`` and ``/api/v1/cases/{id}/tasks/``.

Partners get the partner view of a task (no case id, a pseudonymous case reference), exactly
as in the web interface; the access rule is documented in ``assignments.selectors``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.accounts.models import User
from lotse.api.fields import FreeTextField
from lotse.api.pagination import (
    PageQuerySerializer,
    load_page,
    paginated_response,
    paginated_serializer,
)
from lotse.api.serializers.common import NamedChoiceField, ScopedPrimaryKeyField, of_traeger
from lotse.api.views.base import CaseFileAPIView
from lotse.api.views.people import CONFLICT, INVALID, NOT_FOUND
from lotse.assignments import selectors, services
from lotse.assignments.models import Task, TaskStatus
from lotse.assignments.selectors import TaskAccess, can_use_tasks
from lotse.cases.selectors import get_case_for_user
from lotse.consent.models import Category, Purpose
from lotse.core.access import Action
from lotse.directory.models import Organisation
from lotse.offers.api import PermissionTableAPIView

TASKS = "Aufgaben"


def status_field(**kwargs: Any) -> NamedChoiceField:
    return NamedChoiceField(choices=TaskStatus.choices, component="TaskStatusEnum", **kwargs)


class PartnerTaskSerializer(serializers.ModelSerializer):
    """What a partner organisation sees: the task only, never the case file."""

    status = status_field(read_only=True)
    owner = FreeTextField(source="owner_label", read_only=True)
    case_pseudonym = serializers.SerializerMethodField()
    person_name = serializers.SerializerMethodField(
        help_text=(
            "Nur für Partner: Name der Person, wenn die Aufgabe „Identität“ weitergibt und eine "
            "gültige Einwilligung sie freigibt; sonst leer."
        )
    )

    consent_withdrawn = serializers.SerializerMethodField(
        help_text=(
            "Nur für Partner: die Einwilligung, auf der die Aufgabe beruhte, gilt nicht mehr; "
            "die Aufgabe wird nur noch mit Titel gezeigt."
        )
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "version",
            "title",
            "due_on",
            "status",
            "done_on",
            "owner",
            "case_pseudonym",
            "person_name",
            "consent_withdrawn",
        ]
        read_only_fields = fields

    def get_case_pseudonym(self, task: Task) -> str:
        """Empty when the name is shown: a pseudonym must never stand next to the name it
        hides elsewhere (the partner could link the rows)."""
        if self.context.get("person_names", {}).get(task.pk) or getattr(
            task, "consent_ended", False
        ):
            return ""
        return selectors.pseudonym_for(task, self.context["request"].user)

    def get_consent_withdrawn(self, task: Task) -> bool:
        return bool(getattr(task, "consent_ended", False))

    def get_person_name(self, task: Task) -> str:
        return str(self.context.get("person_names", {}).get(task.pk, ""))


class TaskSerializer(PartnerTaskSerializer):
    """The case team's view: with the case and the owner ids."""

    class Meta(PartnerTaskSerializer.Meta):
        fields = [
            *PartnerTaskSerializer.Meta.fields,
            "case",
            "owner_user",
            "owner_organisation",
            "shared_categories",
            "purpose",
            "transfer",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def serialize(task: Task, access: TaskAccess, request: Request) -> dict[str, Any]:
    if access == TaskAccess.CASE_TEAM:
        return dict(TaskSerializer(task, context={"request": request}).data)
    names = selectors.shared_person_names([task])
    context = {"request": request, "person_names": names}
    return dict(PartnerTaskSerializer(task, context=context).data)


def shared_categories_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices),
        required=False,
        help_text=(
            "Nur bei Zuständigkeit außerhalb des Fallteams: weitergegebene Datenkategorien; "
            "eine gültige Einwilligung muss die Organisation nennen und alle umfassen "
            "(§ 67b SGB X)."
        ),
    )


def _users(user: Any) -> Any:
    return User.objects.filter(traeger_id=user.traeger_id, is_active=True)


class TaskCreateSerializer(serializers.Serializer):
    title = FreeTextField(max_length=300)
    due_on = serializers.DateField()
    owner_user = ScopedPrimaryKeyField(User, _users, required=False, allow_null=True)
    owner_organisation = ScopedPrimaryKeyField(
        Organisation, of_traeger(Organisation), required=False, allow_null=True
    )
    shared_categories = shared_categories_field()
    purpose = ScopedPrimaryKeyField(
        Purpose,
        of_traeger(Purpose),
        required=False,
        allow_null=True,
        help_text="Nur bei Zuständigkeit außerhalb des Fallteams: der Zweck (konfiguriert).",
    )


class TaskUpdateSerializer(serializers.Serializer):
    """Partners may send only ``status`` and ``comment``; the rest is for the case team."""

    version = serializers.IntegerField(min_value=1)
    status = status_field(required=False)
    comment = FreeTextField(required=False, allow_blank=True, default="")
    title = FreeTextField(max_length=300, required=False)
    due_on = serializers.DateField(required=False)
    owner_user = ScopedPrimaryKeyField(User, _users, required=False, allow_null=True)
    owner_organisation = ScopedPrimaryKeyField(
        Organisation, of_traeger(Organisation), required=False, allow_null=True
    )
    shared_categories = shared_categories_field()
    purpose = ScopedPrimaryKeyField(Purpose, of_traeger(Purpose), required=False, allow_null=True)


class TaskQuerySerializer(PageQuerySerializer):
    team = serializers.BooleanField(required=False, default=False)
    include_closed = serializers.BooleanField(required=False, default=False)


PaginatedTaskSerializer = paginated_serializer(PartnerTaskSerializer, "PaginatedTaskList")


class MyTaskListView(PermissionTableAPIView):
    required_permissions = {"GET": can_use_tasks}

    @extend_schema(
        operation_id="tasks_list",
        tags=[TASKS],
        summary="Meine Aufgaben",
        description=(
            "Fallteam: eigene Aufgaben (mit `team` alle der Fälle des Teams). Partner: die "
            "Aufgaben der eigenen Organisation, nur mit pseudonymem Fallbezug."
        ),
        parameters=[TaskQuerySerializer],
        responses={200: PaginatedTaskSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(TaskQuerySerializer, request.query_params)
        filters = selectors.TaskFilter(team=query["team"], include_closed=query["include_closed"])
        page = load_page(
            lambda: selectors.my_task_page(
                request.user, filters=filters, cursor=query.get("cursor"), size=query["page_size"]
            )
        )
        self.audit_read(
            request, action="list", object_type="task", detail=f"tasks:{len(page.items)}"
        )
        context = {"request": request, "person_names": selectors.shared_person_names(page.items)}
        data = PartnerTaskSerializer(page.items, many=True, context=context).data
        return paginated_response(request, page, data)


class CaseTaskListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_tasks_list",
        tags=[TASKS],
        summary="Aufgaben eines Falls",
        responses={200: TaskSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk)
        tasks = selectors.tasks_of_case(case)
        self.audit_read(
            request,
            action="list",
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
            detail=f"tasks:{len(tasks)}",
        )
        return Response(TaskSerializer(tasks, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        tags=[TASKS],
        summary="Aufgabe anlegen",
        description="Genau eines von `owner_user` und `owner_organisation`.",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(TaskCreateSerializer, request.data)
        task = services.task_create(actor=request.user, case=case, request=request, **fields)
        return Response(
            serialize(task, TaskAccess.CASE_TEAM, request), status=status.HTTP_201_CREATED
        )


class TaskDetailView(PermissionTableAPIView):
    required_permissions = {"GET": can_use_tasks, "PATCH": can_use_tasks}

    @extend_schema(
        operation_id="tasks_retrieve",
        tags=[TASKS],
        summary="Aufgabe lesen",
        responses={200: TaskSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        task, access = selectors.get_task_for_user(request.user, pk)
        self.audit_read(
            request,
            action="view",
            object_type="task",
            object_id=task.pk,
            person_id=task.case.person_id
            if access == TaskAccess.CASE_TEAM
            else getattr(task, "audit_person_id", None),
            categories=["case"],
        )
        return Response(serialize(task, access, request))

    @extend_schema(
        operation_id="tasks_partial_update",
        tags=[TASKS],
        summary="Aufgabe ändern oder Rückmeldung geben",
        description=(
            "`status` und `comment`: Fallteam und zuständige Partnerorganisation. `title`, "
            "`due_on`, Zuständigkeit: nur das Fallteam (sonst 403). `version` ist Pflicht "
            "(409 bei Konflikt)."
        ),
        request=TaskUpdateSerializer,
        responses={200: TaskSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        task, access = selectors.get_task_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(TaskUpdateSerializer, request.data)
        version = fields.pop("version")
        new_status = fields.pop("status", None)
        comment = fields.pop("comment", "")
        if fields:
            if access != TaskAccess.CASE_TEAM:
                raise PermissionDenied
            services.task_update(
                actor=request.user, task=task, expected_version=version, request=request, **fields
            )
            version = task.version
        if new_status is not None or comment:
            services.task_report(
                actor=request.user,
                task=task,
                access=access,
                expected_version=version,
                status=new_status or task.status,
                comment=comment,
                request=request,
            )
        return Response(serialize(task, access, request))
