"""Forms of the bodies' meetings (German labels through i18n, limits on every text field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.cases.forms import DateTimeInput
from lotse.core.forms import FreeTextField
from lotse.directory.models import Body, ContactPerson, FieldOfAction, Organisation
from lotse.governance.models import ActionItem
from lotse.people.forms import DateInput


class _Form(forms.Form):
    """Several forms share a page: each class gets its own id prefix (unique ids for labels)."""

    id_prefix = "f"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class _ContactField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation})"


class MemberForm(_Form):
    id_prefix = "member"
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none(), required=False
    )
    label = FreeTextField(label=_("member"), max_length=300, required=False)
    contact = _ContactField(
        label=_("person"), queryset=ContactPerson.objects.none(), required=False
    )
    hierarchy_level = FreeTextField(label=_("hierarchy level"), max_length=200, required=False)
    deputy = _ContactField(label=_("deputy"), queryset=ContactPerson.objects.none(), required=False)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.filter(traeger_id=traeger_id)
        contacts = ContactPerson.objects.filter(traeger_id=traeger_id).select_related(
            "organisation"
        )
        fields["contact"].queryset = contacts
        fields["deputy"].queryset = contacts


class MandateForm(_Form):
    id_prefix = "mandate"
    mandated_by = forms.ModelChoiceField(
        label=_("mandated by"), queryset=Body.objects.none(), required=False
    )
    task = FreeTextField(label=_("task"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["mandated_by"].queryset = Body.objects.filter(traeger_id=body.traeger_id).exclude(
            pk=body.pk
        )


class MeetingForm(_Form):
    id_prefix = "meeting"
    title = FreeTextField(
        label=_("title"),
        max_length=300,
        required=False,
        help_text=_("Empty: “<body> – meeting on <date>”."),
    )
    starts_at = forms.DateTimeField(label=_("begins"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("ends"), widget=DateTimeInput(), required=False)
    location = FreeTextField(label=_("location"), max_length=300, required=False)
    video_link = forms.URLField(
        label=_("video link"), max_length=200, required=False, assume_scheme="https"
    )
    public = forms.BooleanField(label=_("public"), required=False)


class ItemForm(_Form):
    id_prefix = "item"
    title = FreeTextField(label=_("title"), max_length=500)
    presenter = FreeTextField(label=_("presented by"), max_length=200, required=False)
    public = forms.BooleanField(label=_("public"), required=False)


class MinutesForm(_Form):
    id_prefix = "minutes"
    minutes = FreeTextField(
        label=_("Minutes of this item"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class ActionItemForm(_Form):
    id_prefix = "action"
    text = FreeTextField(label=_("action item"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_organisation = forms.ModelChoiceField(
        label=_("responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    responsible_name = FreeTextField(label=_("responsible"), max_length=200, required=False)
    due_on = forms.DateField(label=_("due on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["responsible_organisation"].queryset = Organisation.objects.filter(
            traeger_id=traeger_id
        )


class ActionStatusForm(_Form):
    id_prefix = "status"
    status = forms.ChoiceField(label=_("status"), choices=ActionItem.Status.choices)
    note = FreeTextField(label=_("note on the status"), max_length=500, required=False)


class DocumentForm(_Form):
    id_prefix = "document"
    file = forms.FileField(label=_("file"))
    title = FreeTextField(label=_("title"), max_length=300, required=False)
    public = forms.BooleanField(label=_("public"), required=False)


class CancelMeetingForm(_Form):
    id_prefix = "cancel"
    reason = FreeTextField(
        label=_("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 2})
    )


class QualityNeedForm(_Form):
    id_prefix = "need"
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none()
    )
    category = forms.ChoiceField(label=_("barrier category"), choices=[])
    description = FreeTextField(
        label=_("description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Describe the structure, not the person: no personal data."),
    )

    def __init__(
        self, *args: Any, traeger_id: int, categories: list[dict[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["field_of_action"].queryset = FieldOfAction.objects.filter(traeger_id=traeger_id)
        fields["category"].choices = [("", "—")] + [(c["key"], c["name"]) for c in categories]
