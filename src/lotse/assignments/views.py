"""HTML views of tasks. Who sees what is decided in ``assignments.selectors`` (see there)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lotse.assignments import selectors, services
from lotse.assignments.forms import TaskForm, TaskReportForm
from lotse.assignments.models import Task
from lotse.assignments.selectors import TaskAccess, can_use_tasks
from lotse.audit.services import audit_log
from lotse.cases.models import Phase
from lotse.cases.selectors import case_queryset_for_user, get_case_for_user
from lotse.consent.models import Category, category_labels
from lotse.core.access import Action, can
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.viewutils import add_service_errors, render_invalid, requires, requires_permission


@requires_permission(can_use_tasks)
def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    filters = selectors.TaskFilter(
        team=request.GET.get("team") == "1",
        include_closed=request.GET.get("erledigte") == "1",
    )
    page = selectors.my_task_page(user, filters=filters, cursor=request.GET.get("nach"))
    audit_log(
        user=user,
        action="list",
        object_type="task",
        request=request,
        detail=f"tasks:{len(page.items)}",
    )
    # Case numbers only for cases the user may open; everyone else sees the pseudonym.
    references = dict(
        case_queryset_for_user(user)
        .filter(pk__in={task.case_id for task in page.items})
        .values_list("pk", "reference")
    )
    names = selectors.shared_person_names(page.items)
    rows = [
        (
            task,
            references.get(task.case_id),
            selectors.pseudonym_for(task, user),
            names.get(task.pk, ""),
        )
        for task in page.items
    ]
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "case_team": can(user, Action.VIEW),
        "today": timezone.localdate(),
    }
    return render(request, "assignments/my_tasks.html", context)


def _case_tasks_context(case: Any, form: TaskForm) -> dict[str, Any]:
    return {
        "case": case,
        "tasks": selectors.tasks_of_case(case),
        "form": form if not case.is_closed else None,
        "today": timezone.localdate(),
    }


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def case_tasks(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    case = get_case_for_user(user, pk, action)
    form = TaskForm(request.POST or None, case=case)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.task_create(
                    actor=user, case=case, request=request, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Task saved."))  # de: Aufgabe gespeichert.
                return redirect("assignments:case_tasks", pk=case.pk)
        return render_invalid(
            request, "assignments/case_tasks.html", _case_tasks_context(case, form)
        )
    audit_log(
        user=user,
        action="list",
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
        request=request,
        detail="tasks",
    )
    return render(request, "assignments/case_tasks.html", _case_tasks_context(case, form))


def _detail_context(
    request: AuthenticatedRequest, task: Task, access: TaskAccess, **extra: Any
) -> dict[str, Any]:
    closed = (
        task.case.phase == Phase.CLOSED
        if access == TaskAccess.CASE_TEAM
        else getattr(task, "case_phase", "") == Phase.CLOSED
    )
    return {
        "task": task,
        "access": access,
        "case_team": access == TaskAccess.CASE_TEAM,
        "pseudonym": selectors.pseudonym_for(task, request.user),
        "person_name": (
            selectors.shared_person_names([task]).get(task.pk, "")
            if access == TaskAccess.PARTNER
            else ""
        ),
        "shared_labels": category_labels(task.shared_categories or []),
        "comments": selectors.task_comments(task),
        "closed": closed,
        "form": extra.pop("form", None)
        or (
            TaskReportForm(initial={"version": task.version, "status": task.status})
            if not closed
            else None
        ),
        "today": timezone.localdate(),
        **extra,
    }


@requires_permission(can_use_tasks)
@require_http_methods(["GET", "POST"])
def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    task, access = selectors.get_task_for_user(user, pk, action)
    if request.method == "POST":
        form = TaskReportForm(request.POST)
        if form.is_valid():
            try:
                services.task_report(
                    actor=user,
                    task=task,
                    access=access,
                    expected_version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                    comment=form.cleaned_data["comment"],
                    request=request,
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                return render(
                    request,
                    "assignments/task_detail.html",
                    _detail_context(request, task, access, form=form),
                    status=409,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("assignments:detail", pk=task.pk)
        return render_invalid(
            request,
            "assignments/task_detail.html",
            _detail_context(request, task, access, form=form),
        )
    audit_log(
        user=user,
        action="view",
        object_type="task",
        object_id=task.pk,
        person_id=task.case.person_id
        if access == TaskAccess.CASE_TEAM
        else getattr(task, "audit_person_id", None),
        categories=["case"],
        request=request,
    )
    return render(request, "assignments/task_detail.html", _detail_context(request, task, access))


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    task, access = selectors.get_task_for_user(user, pk, Action.CHANGE)
    if access != TaskAccess.CASE_TEAM:  # pragma: no cover - requires() lets only case teams in
        from lotse.core.access import not_found

        raise not_found()
    case = task.case
    if request.method == "POST":
        form = TaskForm(request.POST, case=case)
        if form.is_valid():
            try:
                services.task_update(
                    actor=user,
                    task=task,
                    expected_version=form.cleaned_data.get("version") or 0,
                    request=request,
                    **form.service_fields(),
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                return render(
                    request,
                    "assignments/task_form.html",
                    {"form": form, "task": task, "case": case},
                    status=409,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("assignments:detail", pk=task.pk)
        return render_invalid(
            request, "assignments/task_form.html", {"form": form, "task": task, "case": case}
        )
    form = TaskForm(
        case=case,
        initial={
            "version": task.version,
            "title": task.title,
            "due_on": task.due_on,
            "owner_user": task.owner_user_id,
            "owner_organisation": task.owner_organisation_id,
            "shared_categories": task.shared_categories or [Category.IDENTITY],
            "purpose": task.purpose_id,
        },
    )
    return render(request, "assignments/task_form.html", {"form": form, "task": task, "case": case})
