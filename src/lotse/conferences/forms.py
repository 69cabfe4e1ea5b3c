from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import User
from lotse.cases.forms import DateTimeInput
from lotse.conferences.models import Conference, OptimisationNeed, Participant
from lotse.conferences.selectors import entitled_organisations, moderator_choices
from lotse.consent.models import Category
from lotse.core.forms import FreeTextField
from lotse.directory.models import Body, FieldOfAction, Municipality, Organisation
from lotse.people.forms import DateInput


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.display_name()} ({obj.organisation})"
            if obj.organisation_id
            else obj.display_name()
        )


class IndicationForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities involved"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Prefilled from the household's place of residence and the organisations involved. "
            "Only with more than one municipality is it a case conference; otherwise an internal "
            "cooperation."
        ),
    )
    authorities = forms.ModelMultipleChoiceField(
        label=_("Authorities involved"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=FieldOfAction.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicated = forms.TypedChoiceField(
        label=_("Is a case conference indicated?"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = FreeTextField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["municipalities"].queryset = Municipality.objects.filter(traeger_id=traeger_id)
        fields["authorities"].queryset = Organisation.objects.filter(
            traeger_id=traeger_id,
            kind__in=["authority", "immigration_office", "naturalisation_office", "municipality"],
        )
        fields["topics"].queryset = FieldOfAction.objects.filter(traeger_id=traeger_id)


class RequestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    initiator = forms.ModelChoiceField(
        label=_("Calling or requesting organisation"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "The responsible municipality, the employment agency, the Jobcenter and the Kreis "
            "call it themselves; other organisations need the agreement of one of them."
        ),
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("Data categories discussed in the conference"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Category.IDENTITY],
    )
    summary = FreeTextField(
        label=_("anonymised case summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Goes to participants without consent: no names, no address."),
    )
    note = FreeTextField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["initiator"].queryset = Organisation.objects.filter(traeger_id=traeger_id)


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(
        label=_("Organisation deciding on the request"),
        queryset=Organisation.objects.none(),
    )
    agreed = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("1", _("agrees")),
            ("0", _("does not agree (mediation by the Servicestelle)")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = FreeTextField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = entitled_organisations(traeger_id)


class MediationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    held = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[
            ("1", _("The conference takes place")),
            ("0", _("The conference does not take place")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    outcome = FreeTextField(
        label=_("Outcome of the mediation"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RunForm(forms.Form):
    """The moderator's form: per agenda item the planned time and the minutes; attendance."""

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        from lotse.conferences.models import AgendaItem, Participant

        super().__init__(*args, **kwargs)
        self.items = list(AgendaItem.objects.filter(conference=conference).order_by("position"))
        self.people = list(Participant.objects.filter(conference=conference).order_by("id"))
        for item in self.items:
            self.fields[f"planned_{item.pk}"] = forms.IntegerField(
                label=_("%(item)s: planned minutes (%(low)s–%(high)s)")
                % {"item": item.title, "low": item.min_minutes, "high": item.max_minutes},
                min_value=1,
                max_value=240,
                initial=item.planned_minutes,
            )
            self.fields[f"minutes_{item.pk}"] = FreeTextField(
                label=_("%(item)s: minutes") % {"item": item.title},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=item.minutes,
            )
        for person in self.people:
            self.fields[f"attended_{person.pk}"] = forms.BooleanField(
                label=_("%(name)s (%(organisation)s) attends")
                % {"name": person.name, "organisation": person.organisation},
                required=False,
                initial=person.attended,
            )
            self.fields[f"confidentiality_{person.pk}"] = forms.BooleanField(
                label=_("%(name)s confirms the duty of confidentiality") % {"name": person.name},
                required=False,
                initial=person.confidentiality_confirmed,
            )


class AgreementTaskForm(forms.Form):
    title = FreeTextField(label=_("what"), max_length=300)
    due_on = forms.DateField(label=_("by when"), widget=DateInput())
    owner_organisation = forms.ModelChoiceField(
        label=_("responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    owner_user = _UserChoiceField(
        label=_("or responsible person"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        from lotse.assignments.forms import possible_owners

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner_organisation"].queryset = Organisation.objects.filter(
            traeger_id=conference.traeger_id
        )
        fields["owner_user"].queryset = possible_owners(conference.case)


class FollowUpForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    channel = forms.ChoiceField(label=_("channel"), choices=[])
    text = FreeTextField(
        label=_("What was explained to the client"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lotse.cases.models import TimelineEntry

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["channel"].choices = TimelineEntry.Channel.choices


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = FreeTextField(
        label=_("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=15, max_value=480, initial=90
    )
    location = FreeTextField(label=_("room"), max_length=300, required=False)
    video_link = forms.URLField(
        label=_("video link"), max_length=500, required=False, assume_scheme="https"
    )
    moderator = _UserChoiceField(
        label=_("moderator"),
        queryset=User.objects.none(),
        help_text=_("Neutral: from no organisation involved in the case."),
    )
    override_reason = FreeTextField(
        label=_("Reason if the date is not 2 to 4 weeks ahead"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["moderator"].queryset = moderator_choices(conference)


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    name = FreeTextField(label=_("name"), max_length=200)
    email = forms.EmailField(label=_("e-mail"), max_length=254)
    role_in_case = FreeTextField(label=_("role in the case"), max_length=200)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.filter(traeger_id=traeger_id)


class OptimisationNeedForm(forms.Form):
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none()
    )
    category = forms.ChoiceField(label=_("barrier category"), choices=[])
    description = FreeTextField(
        label=_("description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Describe the structure, not the person: no personal data."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("organisations concerned"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self, *args: Any, traeger_id: int, categories: list[dict[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["field_of_action"].queryset = FieldOfAction.objects.filter(traeger_id=traeger_id)
        fields["organisations"].queryset = Organisation.objects.filter(traeger_id=traeger_id)
        fields["category"].choices = [("", "—")] + [(c["key"], c["name"]) for c in categories]


class EvaluationForm(forms.Form):
    """One Evaluationsbogen: whose sheet it is (only to count it once), the answers, free text."""

    participant: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Sheet of"),
        queryset=Participant.objects.none(),
        help_text=_(
            "Only used to count each sheet once: the answers are stored without the person."
        ),
    )
    comment = FreeTextField(
        label=_("What should be different next time?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        from lotse.conferences.evaluation import QUESTIONS, SCALE
        from lotse.conferences.selectors import evaluation_pending

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["participant"].queryset = evaluation_pending(conference)
        comment = fields.pop("comment")
        for key, statement in QUESTIONS:
            fields[f"q_{key}"] = forms.TypedChoiceField(
                label=statement,
                choices=SCALE,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        fields["comment"] = comment

    def answers(self) -> dict[str, int | None]:
        from lotse.conferences.evaluation import QUESTION_KEYS

        return {key: self.cleaned_data.get(f"q_{key}") for key in QUESTION_KEYS}


class NeedStatusForm(forms.Form):
    """The next step of an optimisation need in the triage."""

    status = forms.ChoiceField(label=_("new status"), choices=[])
    assigned_to = forms.ModelChoiceField(
        label=_("assigned to"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only when assigning."),
    )
    body = forms.ModelChoiceField(
        label=_("assigned to body"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_(
            "Only when assigning: the body that works the need into a Beschlussvorlage "
            "(proposed: the working circle of its field of action)."
        ),
    )
    merged_into = forms.ModelChoiceField(
        label=_("merged into"),
        queryset=OptimisationNeed.objects.none(),
        required=False,
        help_text=_("Only when merging: the need that names the same barrier."),
    )
    note = FreeTextField(
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when merging or rejecting."),
    )

    def __init__(self, *args: Any, need: OptimisationNeed, **kwargs: Any) -> None:
        from lotse.conferences.services import NEED_TRANSITIONS

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        labels = dict(OptimisationNeed.Status.choices)
        fields["status"].choices = [(s, labels[s]) for s in NEED_TRANSITIONS[need.status]]
        fields["assigned_to"].queryset = Organisation.objects.filter(traeger_id=need.traeger_id)
        bodies = Body.objects.filter(traeger_id=need.traeger_id).exclude(kind=Body.Kind.STEERING)
        fields["body"].queryset = bodies
        circle = (
            bodies.filter(kind=Body.Kind.WORKING_CIRCLE, field_of_action_id=need.field_of_action_id)
            .order_by("sort_order", "id")
            .first()
        )
        fields["body"].initial = need.body_id or (circle.pk if circle else None)
        fields["merged_into"].queryset = (
            OptimisationNeed.objects.filter(traeger_id=need.traeger_id)
            .exclude(pk=need.pk)
            .exclude(status=OptimisationNeed.Status.MERGED)
            .order_by("-created_at", "-id")
        )
