"""HTML views of the papers' path (Servicestelle): parse, authorise, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.conferences.models import OptimisationNeed
from lotse.core.access import can_work_in_bodies, not_found, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.core.pagination import keyset_page
from lotse.core.viewutils import form_page, requires_permission
from lotse.directory.models import Measure
from lotse.governance import papers, trace
from lotse.governance.models import (
    Consultation,
    Decision,
    MeasureReport,
    Paper,
    PaperState,
)
from lotse.governance.paper_forms import (
    ConsultationResultForm,
    DecisionForm,
    MeasureForm,
    MeasureReportForm,
    MeetingChoiceForm,
    PaperForm,
)

PAPER = "governance/paper_detail.html"
MEASURE = "governance/measure_detail.html"
bodies_only = requires_permission(can_work_in_bodies)


def _paper(request: AuthenticatedRequest, pk: int) -> Paper:
    paper = (
        Paper.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("body", "goal", "field_of_action")
        .first()
    )
    if paper is None:
        raise not_found()
    return paper


def _measure(request: AuthenticatedRequest, pk: int) -> Measure:
    measure = (
        Measure.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("goal", "responsible_organisation")
        .first()
    )
    if measure is None:
        raise not_found()
    return measure


def reports_of(measure: Measure) -> list[MeasureReport]:
    labels = dict(Measure.Status.choices)
    reports = list(MeasureReport.objects.filter(measure=measure).order_by("-reported_on", "-id"))
    for report in reports:
        report.status_label = labels.get(report.status, report.status)  # type: ignore[attr-defined]
    return reports


@bodies_only
@require_GET
def paper_list(request: AuthenticatedRequest) -> HttpResponseBase:
    state = request.GET.get("status", "")
    rows = Paper.objects.filter(traeger_id=traeger_id_of(request.user)).select_related(
        "body", "goal"
    )
    if state in PaperState.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    try:
        page = keyset_page(rows, order=["-created_at", "-id"], cursor=request.GET.get("nach"))
    except ValueError:
        page = keyset_page(rows, order=["-created_at", "-id"], cursor=None)
    return render(
        request,
        "governance/paper_list.html",
        {"page": page, "state": state, "states": PaperState.choices},
    )


@bodies_only
@require_http_methods(["GET", "POST"])
def paper_create(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    need_param = request.GET.get("bedarf", "")
    need = (
        OptimisationNeed.objects.filter(traeger_id=traeger_id_of(user), pk=int(need_param)).first()
        if need_param.isdigit()
        else None
    )
    form = PaperForm(
        request.POST if request.method == "POST" else None,
        traeger_id=traeger_id_of(user),
        need=need,
    )

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        paper = papers.paper_create(actor=user, **{**data, "needs": list(data["needs"])})
        messages.success(
            request,
            _("The Beschlussvorlage %(reference)s has been drafted.")
            % {"reference": paper.reference},
        )
        return redirect("governance:paper", paper.pk)

    return form_page(request, "governance/paper_form.html", {}, form=form, on_valid=on_valid)


def _paper_context(paper: Paper) -> dict[str, Any]:
    consultations = list(paper.consultations.select_related("item__meeting__body").order_by("id"))
    decisions = list(
        paper.decisions.select_related("item__meeting__body").prefetch_related(
            "changes__measure__goal"
        )
    )
    return {
        "paper": paper,
        "consultations": consultations,
        "decisions": decisions,
        "adopted": next((d for d in decisions if d.outcome == Decision.Outcome.ADOPTED), None),
        "pending": papers.pending_decision(paper),
        "needs": [
            trace.need_trace(n)
            for n in paper.needs.select_related(
                "field_of_action", "conference", "source_body"
            ).order_by("id")
        ],
        "consultable": paper.state in papers.CONSULTABLE,
    }


def _forms(paper: Paper, **given: Any) -> dict[str, Any]:
    forms = {
        "consult_form": MeetingChoiceForm(paper=paper, steering=False, prefix="beratung"),
        "result_form": ConsultationResultForm(prefix="ergebnis"),
        "submit_form": MeetingChoiceForm(paper=paper, steering=True, prefix="vorlage"),
        "decision_form": DecisionForm(
            prefix="beschluss", initial={"decided_on": timezone.localdate()}
        ),
        "measure_form": MeasureForm(paper=paper, prefix="massnahme"),
    }
    forms.update(given)
    return forms


@bodies_only
@require_GET
def paper_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    paper = _paper(request, pk)
    return render(request, PAPER, {**_paper_context(paper), **_forms(paper)})


def _action(
    request: AuthenticatedRequest,
    paper: Paper,
    name: str,
    form: Any,
    service: Any,
    done: str,
) -> HttpResponseBase:
    def context() -> dict[str, Any]:
        return {**_paper_context(paper), **_forms(paper, **{name: form})}

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        service(data)
        messages.success(request, done)
        return redirect("governance:paper", paper.pk)

    return form_page(request, PAPER, context, form=form, on_valid=on_valid, form_name=name)


@bodies_only
@require_POST
def paper_consult(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    paper = _paper(request, pk)
    form = MeetingChoiceForm(request.POST, paper=paper, steering=False, prefix="beratung")
    return _action(
        request,
        paper,
        "consult_form",
        form,
        lambda d: papers.paper_put_on_meeting(
            actor=request.user, paper=paper, meeting=d["meeting"]
        ),
        _("The Beschlussvorlage is on the agenda of the working circle."),
    )


@bodies_only
@require_POST
def consultation_result(
    request: AuthenticatedRequest, pk: int, consultation_pk: int
) -> HttpResponseBase:
    paper = _paper(request, pk)
    consultation = Consultation.objects.filter(paper=paper, pk=consultation_pk).first()
    if consultation is None:
        raise not_found()
    form = ConsultationResultForm(request.POST, prefix="ergebnis")
    return _action(
        request,
        paper,
        "result_form",
        form,
        lambda d: papers.consultation_record_result(
            actor=request.user, consultation=consultation, result=d["result"]
        ),
        _("The result of the consultation has been saved."),
    )


@bodies_only
@require_POST
def paper_submit(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    paper = _paper(request, pk)
    form = MeetingChoiceForm(request.POST, paper=paper, steering=True, prefix="vorlage")
    return _action(
        request,
        paper,
        "submit_form",
        form,
        lambda d: papers.paper_submit(actor=request.user, paper=paper, meeting=d["meeting"]),
        _("The Beschlussvorlage has been submitted to the steering committee."),
    )


@bodies_only
@require_POST
def paper_decide(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    paper = _paper(request, pk)
    form = DecisionForm(request.POST, prefix="beschluss")
    return _action(
        request,
        paper,
        "decision_form",
        form,
        lambda d: papers.paper_decide(actor=request.user, paper=paper, **d),
        _("The decision has been recorded."),
    )


@bodies_only
@require_POST
def decision_measure(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    paper = _paper(request, pk)
    decision = paper.decisions.filter(outcome=Decision.Outcome.ADOPTED).order_by("-id").first()
    if decision is None:
        raise not_found()
    form = MeasureForm(request.POST, paper=paper, prefix="massnahme")
    return _action(
        request,
        paper,
        "measure_form",
        form,
        lambda d: papers.decision_create_measure(actor=request.user, decision=decision, **d),
        _("The measure has been created."),
    )


@bodies_only
@require_GET
def measure_list(request: AuthenticatedRequest) -> HttpResponseBase:
    """Measures with a review date first (the next due review on top), then the others."""
    rows = Measure.objects.filter(traeger_id=traeger_id_of(request.user)).select_related(
        "goal", "responsible_organisation"
    )
    try:
        page = keyset_page(rows, order=["review_on", "id"], cursor=request.GET.get("nach"), size=50)
    except ValueError:
        page = keyset_page(rows, order=["review_on", "id"], cursor=None, size=50)
    return render(
        request,
        "governance/measure_list.html",
        {"page": page, "today": timezone.localdate()},
    )


@bodies_only
@require_http_methods(["GET", "POST"])
def measure_detail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    measure = _measure(request, pk)
    form = MeasureReportForm(
        request.POST if request.method == "POST" else None,
        initial={"status": measure.status, "reported_on": timezone.localdate()},
        measure=measure,
    )

    def context() -> dict[str, Any]:
        return {
            "measure": measure,
            "reports": list(
                MeasureReport.objects.filter(measure=measure).order_by("-reported_on", "-id")
            ),
            "trace": trace.measure_trace(measure),
        }

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        papers.measure_report(actor=request.user, measure=measure, **data)
        messages.success(request, _("The progress report has been saved."))
        return redirect("governance:measure", measure.pk)

    return form_page(request, MEASURE, context, form=form, on_valid=on_valid)


@bodies_only
@require_GET
def need_trace(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    need = (
        OptimisationNeed.objects.filter(traeger_id=traeger_id_of(request.user), pk=pk)
        .select_related("field_of_action", "conference", "source_body", "body")
        .first()
    )
    if need is None:
        raise not_found()
    return render(
        request,
        "governance/paper_need_trace.html",
        {
            "need": need,
            "origin": trace.anonymised_origin(need),
            "papers": trace.need_forward_trace(need),
        },
    )
