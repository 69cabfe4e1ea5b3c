"""Forms of the papers' path: draft, consultation, submission, decision, measure, report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.conferences.models import OptimisationNeed
from lotse.core.forms import FreeTextField
from lotse.directory.models import Body, FieldOfAction, Goal, Measure, Organisation
from lotse.governance.models import AgendaItem, Decision, Meeting, Paper
from lotse.governance.papers import open_meetings
from lotse.people.forms import DateInput


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.starts_at).strftime("%d.%m.%Y %H:%M")
        return f"{obj.body.name}: {obj.title} ({when})"


class _ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.meeting.starts_at).strftime("%d.%m.%Y")
        return f"{obj.meeting.body.name}, {when}: {obj}"


class _NeedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.field_of_action}: {obj.description[:120]}"


class PaperForm(forms.Form):
    body = forms.ModelChoiceField(label=_("drafted by"), queryset=Body.objects.none())
    needs = _NeedChoiceField(
        label=_("optimisation needs"),
        queryset=OptimisationNeed.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Needs assigned to a body; they stay assigned until the decision."),
    )
    title = FreeTextField(label=_("title"), max_length=500)
    problem = FreeTextField(label=_("problem"), widget=_textarea())
    proposal = FreeTextField(label=_("proposed measure"), widget=_textarea())
    responsible = FreeTextField(label=_("responsible"), widget=_textarea(2), required=False)
    financing = FreeTextField(label=_("financing"), widget=_textarea(2), required=False)
    organisational = FreeTextField(
        label=_("organisational form"), widget=_textarea(2), required=False
    )
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none(), required=False
    )
    goal = forms.ModelChoiceField(
        label=_("goal"),
        queryset=Goal.objects.none(),
        required=False,
        help_text=_("The goal the measure serves, e.g. “Arbeit I”."),
    )

    def __init__(
        self, *args: Any, traeger_id: int, need: OptimisationNeed | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["body"].queryset = Body.objects.filter(traeger_id=traeger_id).exclude(
            kind=Body.Kind.STEERING
        )
        fields["needs"].queryset = (
            OptimisationNeed.objects.filter(
                traeger_id=traeger_id, status=OptimisationNeed.Status.ASSIGNED
            )
            .select_related("field_of_action")
            .order_by("-created_at", "-id")
        )
        fields["field_of_action"].queryset = FieldOfAction.objects.filter(traeger_id=traeger_id)
        fields["goal"].queryset = Goal.objects.filter(traeger_id=traeger_id)
        if need is not None:
            fields["needs"].initial = [need.pk]
            fields["body"].initial = need.body_id
            fields["field_of_action"].initial = need.field_of_action_id


class MeetingChoiceForm(forms.Form):
    meeting = _MeetingChoiceField(label=_("meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, paper: Paper, steering: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["meeting"].queryset = open_meetings(paper, steering=steering)


class ConsultationResultForm(forms.Form):
    result = FreeTextField(label=_("result of the consultation"), widget=_textarea(3))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Decision.Outcome.choices)
    unanimous = forms.BooleanField(label=_("unanimous"), required=False)
    votes_yes = forms.IntegerField(
        label=_("votes in favour"), min_value=0, max_value=999, required=False
    )
    votes_no = forms.IntegerField(
        label=_("votes against"), min_value=0, max_value=999, required=False
    )
    votes_abstain = forms.IntegerField(
        label=_("abstentions"), min_value=0, max_value=999, required=False
    )
    resolution = FreeTextField(
        label=_("resolution text"),
        widget=_textarea(3),
        required=False,
        help_text=_("Only where the wording decided deviates from the proposal."),
    )
    decided_on = forms.DateField(label=_("decided on"), widget=DateInput())


class MeasureForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("goal"), queryset=Goal.objects.none())
    text = FreeTextField(label=_("measure"), widget=_textarea(3))
    responsible = FreeTextField(label=_("responsible"), widget=_textarea(2), required=False)
    financing = FreeTextField(label=_("financing"), widget=_textarea(2), required=False)
    organisational = FreeTextField(
        label=_("organisational status"), widget=_textarea(2), required=False
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("due on"), widget=DateInput(), required=False)
    review_on = forms.DateField(label=_("review date"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, paper: Paper, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["goal"].queryset = Goal.objects.filter(traeger_id=paper.traeger_id)
        fields["goal"].initial = paper.goal_id
        fields["responsible_organisation"].queryset = Organisation.objects.filter(
            traeger_id=paper.traeger_id
        )
        fields["text"].initial = paper.proposal
        fields["responsible"].initial = paper.responsible
        fields["financing"].initial = paper.financing
        fields["organisational"].initial = paper.organisational


class MeasureReportForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Measure.Status.choices)
    progress = FreeTextField(label=_("progress"), widget=_textarea(3))
    reported_on = forms.DateField(label=_("reported on"), widget=DateInput())
    next_review_on = forms.DateField(label=_("next review"), widget=DateInput(), required=False)
    item = _ItemChoiceField(
        label=_("presented on"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("Optional: the agenda item “report on measures” of a meeting."),
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        since = timezone.now() - dt.timedelta(days=180)
        fields["item"].queryset = (
            AgendaItem.objects.filter(
                traeger_id=measure.traeger_id,
                kind=AgendaItem.Kind.REVIEW,
                meeting__starts_at__gte=since,
            )
            .select_related("meeting__body")
            .order_by("meeting__starts_at", "position", "id")
        )
