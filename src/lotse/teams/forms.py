from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Role, User
from lotse.consent.models import Purpose
from lotse.core.forms import FreeTextField
from lotse.directory.models import CaseManagementPost
from lotse.people.forms import DateInput


def case_workers(traeger_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(
            traeger_id=traeger_id,
            is_active=True,
            role_assignments__role__in=[Role.CASE_MANAGEMENT, Role.TEAM_LEAD],
        )
        .distinct()
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name()} ({obj.organisation or '—'})"


class MembershipForm(forms.Form):
    user = UserChoiceField(label=_("member"), queryset=User.objects.none())
    reason = FreeTextField(
        label=_("reason"),
        max_length=300,
        help_text=_("Why this person needs the case, e.g. Teilhabemanager for Durchstarten."),
    )

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = case_workers(traeger_id)  # type: ignore[attr-defined]


class SubstitutionForm(forms.Form):
    post = forms.ModelChoiceField(label=_("post"), queryset=CaseManagementPost.objects.none())
    substitute = UserChoiceField(label=_("substitute"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("from"), widget=DateInput())
    ends_on = forms.DateField(label=_("until"), widget=DateInput())
    reason = FreeTextField(
        label=_("reason"), max_length=300, help_text=_("e.g. holiday, illness, parental leave")
    )

    def __init__(
        self, *args: Any, traeger_id: int, posts: QuerySet[CaseManagementPost], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["substitute"].queryset = case_workers(traeger_id)  # type: ignore[attr-defined]


class BreakGlassForm(forms.Form):
    reference = FreeTextField(label=_("case number"), max_length=40)
    reason = FreeTextField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Why the case cannot wait for a substitution. The team lead and the data protection "
            "officer see this access and its reason."
        ),
    )


class HandoverForm(forms.Form):
    to_post = forms.ModelChoiceField(
        label=_("new post"), queryset=CaseManagementPost.objects.none()
    )
    purpose = forms.ModelChoiceField(
        label=_("purpose"),
        queryset=Purpose.objects.none(),
        required=False,
        to_field_name="key",
        help_text=_(
            "Needed when the case goes to another organisation: the consent must name this "
            "purpose and the receiving organisation."
        ),
    )
    reason = FreeTextField(
        label=_("reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. move to another municipality, Teilhabemanagement Durchstarten"),
    )

    def __init__(
        self, *args: Any, posts: QuerySet[CaseManagementPost], traeger_id: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["purpose"].queryset = Purpose.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        ).order_by("sort_order", "name")
