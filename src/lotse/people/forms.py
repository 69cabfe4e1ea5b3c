from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import FreeTextField
from lotse.core.reference import country_choices, language_choices
from lotse.directory.models import Municipality, ResidenceStatusType, TargetGroup
from lotse.people.models import Person, PersonNameVariant


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    last_name = FreeTextField(label=_("last name"), max_length=200)
    first_name = FreeTextField(label=_("first name"), max_length=200)
    date_of_birth = forms.DateField(label=_("date of birth"), required=False, widget=DateInput())
    sex = forms.ChoiceField(
        label=_("sex"), choices=Person.Sex.choices, initial=Person.Sex.UNSPECIFIED
    )
    nationalities = forms.MultipleChoiceField(
        label=_("nationalities"),
        choices=country_choices,
        required=False,
        help_text=_("Several can be selected (Ctrl or Shift key)."),
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=language_choices, required=False
    )
    interpreter_needed = forms.BooleanField(label=_("interpreter needed"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("interpreter language"), choices=[("", "—"), *language_choices()], required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("municipality of residence"), queryset=Municipality.objects.none(), required=False
    )
    postcode = forms.RegexField(
        label=_("postcode"),
        regex=r"^\d{5}$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("Please enter a postcode of five digits.")},
        help_text=_("Decides the Sozialraum where a city is split by postcodes."),
    )
    registered_on = forms.DateField(
        label=_("date of registration (Anmeldung)"),
        required=False,
        widget=DateInput(),
        help_text=_("Deadlines of the Handlungsstruktur count from this date."),
    )
    target_group = forms.ModelChoiceField(
        label=_("target group"), queryset=TargetGroup.objects.none(), required=False
    )
    residence_obligation = forms.BooleanField(
        label=_("residence obligation (Wohnsitzauflage)"), required=False
    )
    residence_obligation_place = FreeTextField(
        label=_("residence obligation: place"), max_length=200, required=False
    )
    residence_obligation_until = forms.DateField(
        label=_("residence obligation until"), required=False, widget=DateInput()
    )
    # Art. 9 GDPR: encrypted at rest, shown only on the person page of the case team.
    health_notes = FreeTextField(
        # de: Gesundheit und besonderer Schutzbedarf (Art. 9 DSGVO)
        label=_("Health and special protection needs (Art. 9 GDPR)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        # de: Besondere Kategorie personenbezogener Daten: nur das Fallteam sieht sie, nie in Listen, Exporten oder Dokumenten. Nur erfassen, was die Fallarbeit braucht.
        help_text=_(
            "Special category data: only the case team sees it, never in lists, exports or "
            "documents. Record only what the case work needs."
        ),
    )

    #: Only on a new person for which likely duplicates were offered (``offer_distinct``).
    distinct_reason = forms.CharField(
        label=_("Different person: reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only if the person is none of the persons shown: why is it a different person "
            "(e.g. another date of birth in the passport)?"
        ),
    )

    def __init__(
        self, *args: Any, traeger_id: int, offer_distinct: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not offer_distinct:
            del self.fields["distinct_reason"]
        municipalities = Municipality.objects.filter(traeger_id=traeger_id).order_by("name")
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["target_group"].queryset = TargetGroup.objects.filter(traeger_id=traeger_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error(
                "interpreter_language", _("Please choose the language for the interpreter.")
            )
        return data

    @staticmethod
    def initial_from(person: Person) -> dict[str, Any]:
        return {
            "version": person.version,
            **{
                name: getattr(person, name)
                for name in (
                    "last_name",
                    "first_name",
                    "date_of_birth",
                    "sex",
                    "nationalities",
                    "languages",
                    "interpreter_needed",
                    "interpreter_language",
                    "postcode",
                    "registered_on",
                    "residence_obligation",
                    "residence_obligation_place",
                    "residence_obligation_until",
                    "health_notes",
                )
            },
            "municipality": person.municipality_id,
            "target_group": person.target_group_id,
        }

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("distinct_reason"):
            data.pop("distinct_reason", None)
        data["interpreter_language"] = data.get("interpreter_language") or ""
        data["postcode"] = data.get("postcode") or ""
        data["residence_obligation_place"] = data.get("residence_obligation_place") or ""
        data["health_notes"] = (data.get("health_notes") or "").strip()
        return data


class ResidenceStatusForm(forms.Form):
    status = forms.ModelChoiceField(
        label=_("residence status"), queryset=ResidenceStatusType.objects.none()
    )
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DateInput())
    note = FreeTextField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = ResidenceStatusType.objects.filter(traeger_id=traeger_id)  # type: ignore[attr-defined]


class NameVariantForm(forms.Form):
    last_name = FreeTextField(label=_("last name"), max_length=200)
    first_name = FreeTextField(label=_("first name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=PersonNameVariant.Kind.choices)


class FamilyMemberForm(PersonForm):
    """A new household member (e.g. a child with its birth date), created into the household."""

    member_role = forms.ChoiceField(
        label=_("role in household"), choices=Person.HouseholdRole.choices
    )

    field_order = ["member_role", "first_name", "last_name", "date_of_birth", "sex"]


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Person no. of the duplicate"),
        min_value=1,
        help_text=_("The duplicate's record is merged into this person and then closed."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
