from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.consent.models import Category
from lotse.core.forms import FreeTextField
from lotse.directory.models import (
    FieldOfAction,
    Municipality,
    Organisation,
    ResidenceStatusType,
    TargetGroup,
)
from lotse.offers import transitions
from lotse.offers.models import Offer, OfferKind, ReferralState
from lotse.people.forms import DateInput


class OfferForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=OfferKind.choices)
    title = FreeTextField(label=_("title"), max_length=300)
    provider = forms.ModelChoiceField(
        label=_("provider"), queryset=Organisation.objects.none(), required=False
    )
    provider_name = FreeTextField(
        label=_("provider (if not a listed organisation)"), max_length=300, required=False
    )
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none(), required=False
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("municipalities served"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected means the whole region."),
    )
    capacity = forms.IntegerField(
        label=_("places"),
        min_value=0,
        required=False,
        help_text=_("Empty means no fixed number of places."),
    )
    min_age = forms.IntegerField(label=_("minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("maximum age"), min_value=0, max_value=120, required=False)
    schedule = FreeTextField(label=_("dates and rhythm"), max_length=300, required=False)
    next_start_on = forms.DateField(label=_("next start"), required=False, widget=DateInput())
    location = FreeTextField(label=_("location"), max_length=300, required=False)
    description = FreeTextField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_name = FreeTextField(label=_("contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("e-mail"), required=False)
    contact_phone = FreeTextField(label=_("phone"), max_length=64, required=False)
    website = forms.URLField(
        label=_("website"), max_length=200, required=False, assume_scheme="https"
    )
    active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(traeger_id=traeger_id)  # type: ignore[attr-defined]
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )
        self.fields["municipalities"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        ).order_by("name")

    @staticmethod
    def initial_for(offer: Offer) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": offer.version}
        for name in (
            "kind",
            "title",
            "provider_name",
            "capacity",
            "min_age",
            "max_age",
            "schedule",
            "next_start_on",
            "location",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "active",
        ):
            initial[name] = getattr(offer, name)
        initial["provider"] = offer.provider_id
        initial["field_of_action"] = offer.field_of_action_id
        initial["municipalities"] = [m.pk for m in offer.municipalities.all()]
        return initial

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        for name in ("provider_name", "schedule", "location", "description", "contact_name"):
            data[name] = data.get(name) or ""
        return data


class AccessPathForm(forms.Form):
    label = FreeTextField(
        label=_("label"),
        max_length=300,
        help_text=_("e.g. “Asylum procedure, main country of origin”"),
    )
    statuses = forms.ModelMultipleChoiceField(
        label=_("residence statuses"),
        queryset=ResidenceStatusType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None selected means any status."),
    )
    nationalities = FreeTextField(
        label=_("nationalities"),
        required=False,
        help_text=_("ISO country codes separated by commas, e.g. SY, IQ, IR, ER, SO."),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("maximum age"), min_value=0, max_value=120, required=False)
    note = FreeTextField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statuses"].queryset = ResidenceStatusType.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )

    def clean_nationalities(self) -> list[str]:
        raw = self.cleaned_data.get("nationalities") or ""
        return [part for part in raw.replace(";", ",").replace(" ", ",").split(",") if part]


def person_label(person: Any, age: int | None) -> str:
    name = f"{person.first_name} {person.last_name}".strip()
    # de: {name} ({age} Jahre)
    return _("{name} ({age} years)").format(name=name, age=age) if age is not None else name


class ReferralForm(forms.Form):
    #: The person the referral is for: the case's person or a household member.
    person = forms.TypedChoiceField(label=_("for"), coerce=int, required=False, empty_value=None)
    offer = forms.ModelChoiceField(label=_("offer"), queryset=Offer.objects.none())
    requested_on = forms.DateField(
        label=_("requested on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty means today."),
    )
    follow_up_on = forms.DateField(label=_("follow-up on"), required=False, widget=DateInput())
    note = FreeTextField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override_reason = FreeTextField(
        label=_("reason for referring despite the conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required only if the client does not meet the offer's conditions."),
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("data passed on to the provider"),
        choices=Category.choices,
        initial=[Category.IDENTITY],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only when the provider is an organisation outside the case team: a consent in force "
            "must name it, cover these data and the purpose “referral to offers”."
        ),
    )

    def __init__(
        self, *args: Any, offers: Any, persons: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
        self.fields["person"].choices = persons  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_state = forms.ChoiceField(label=_("new status"))
    on = forms.DateField(
        label=_("date"), required=False, widget=DateInput(), help_text=_("Empty means today.")
    )
    note = FreeTextField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, current_state: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [  # type: ignore[attr-defined]
            (state, ReferralState(state).label)
            for state in transitions.allowed_targets(current_state)
        ]


class FollowUpForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    follow_up_on = forms.DateField(label=_("follow-up on"), required=False, widget=DateInput())
    feedback = FreeTextField(
        label=_("feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The provider's feedback on the course of the offer."),
    )
