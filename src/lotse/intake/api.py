"""Erstgespräch, assessment, profile and interpreting of a case: ``/api/v1/cases/{id}/…``.

Same permissions as the web pages: the case is loaded through ``get_case_for_user`` (404
outside the user's scope), writes go through ``intake.services`` (400 with field names, 409 on
a stale ``version``), reads write an audit entry without values.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.fields import FreeTextField
from lotse.api.serializers.common import NamedChoiceField, ScopedPrimaryKeyField, of_traeger
from lotse.api.views.base import CaseFileAPIView
from lotse.api.views.people import CONFLICT, INVALID, NOT_FOUND
from lotse.cases.models import Case
from lotse.cases.selectors import get_case_for_user, household_member_of_case
from lotse.core.access import Action
from lotse.core.reference import language_choices
from lotse.directory.models import Organisation
from lotse.intake import selectors, services
from lotse.intake.guide import GuideSection
from lotse.intake.models import (
    ASSESSMENT_FIELDS,
    Assessment,
    GermanLevel,
    InitialInterview,
    InterpreterKind,
    InterpreterUse,
    RecognitionStatus,
    Track,
    WorkStatus,
)
from lotse.people.models import Person

TAG = "Erstgespräch und Assessment"

VERSION_HELP = _(
    # de: Die Version, die Sie gelesen haben (0 für einen neuen Eintrag); sonst 409.
    "The version you read (0 for a new entry); otherwise the answer is 409."
)


# -- Serializers ------------------------------------------------------------------------------


class InterpreterSerializer(serializers.Serializer):
    language = NamedChoiceField(choices=language_choices(), component="LanguageEnum")
    kind = NamedChoiceField(choices=InterpreterKind.choices, component="InterpreterKindEnum")
    organisation = ScopedPrimaryKeyField(
        Organisation, of_traeger(Organisation), required=False, allow_null=True
    )
    note = FreeTextField(max_length=500, required=False, allow_blank=True, default="")
    discouraged = serializers.BooleanField(
        read_only=True,
        # de: Ein Kind, Angehörige oder eine ungeschulte Person hat gedolmetscht.
        help_text=_("A child, a relative or an untrained person interpreted."),
    )


class InterpreterUseSerializer(InterpreterSerializer):
    id = serializers.IntegerField(read_only=True)
    timeline_entry = serializers.IntegerField(
        # de: Kontakt oder Termin im Verlauf des Falls
        help_text=_("A contact or appointment in the case timeline."),
    )
    interview = serializers.IntegerField(read_only=True, allow_null=True)
    recorded_at = serializers.DateTimeField(read_only=True)


class QuestionSerializer(serializers.Serializer):
    key = FreeTextField()
    text = FreeTextField()
    hint = FreeTextField()
    answer_type = FreeTextField()
    options = serializers.ListField(child=FreeTextField())
    required = serializers.BooleanField()  # type: ignore[assignment]


class SectionSerializer(serializers.Serializer):
    key = FreeTextField()
    title = FreeTextField()
    description = FreeTextField()
    questions = QuestionSerializer(many=True)


class InterviewSerializer(serializers.Serializer):
    status = NamedChoiceField(
        component="InitialInterviewStatusEnum",
        choices=[("none", "none"), *InitialInterview.Status.choices],
        # de: „none“: noch kein Erstgespräch; die Fragen sind die des aktuellen Leitfadens.
        help_text=_("“none”: no interview yet; the questions are those of the current guide."),
    )
    version = serializers.IntegerField()
    guide_key = FreeTextField(allow_null=True)
    guide_name = FreeTextField(allow_null=True)
    guide_version = FreeTextField(allow_null=True)
    sections = SectionSerializer(many=True)
    answers = serializers.DictField(child=serializers.DictField())
    held_at = serializers.DateTimeField(allow_null=True)
    location = FreeTextField()
    participants = FreeTextField()
    interpreter = InterpreterSerializer(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    timeline_entry = serializers.IntegerField(allow_null=True)


class InterviewInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, help_text=VERSION_HELP)
    held_at = serializers.DateTimeField()
    location = FreeTextField(max_length=300, required=False, allow_blank=True, default="")
    participants = FreeTextField(required=False, allow_blank=True, default="")
    answers = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        default=dict,
        # de: {Abschnitt: {Frage: Antwort}}; Ja/Nein als true/false, Datum als JJJJ-MM-TT.
        help_text=_("{section: {question: answer}}; yes/no as true/false, dates as YYYY-MM-DD."),
    )
    complete = serializers.BooleanField(
        required=False,
        default=False,
        # de: Abschließen: Pflichtfragen beantwortet; danach unveränderlich.
        help_text=_("Complete: required questions answered; read-only afterwards."),
    )
    interpreter = InterpreterSerializer(required=False, allow_null=True, default=None)


class AssessmentSerializer(serializers.Serializer):
    field_of_action = serializers.IntegerField(read_only=True)
    # de: Die Person des Haushalts, um die es geht (Standard: die Person des Falls).
    person = serializers.IntegerField(
        read_only=True, help_text=_("The household member assessed (default the case's person).")
    )
    field_of_action_key = FreeTextField(read_only=True)
    version = serializers.IntegerField(help_text=VERSION_HELP)
    resources = FreeTextField(required=False, allow_blank=True)
    school_qualifications = FreeTextField(required=False, allow_blank=True)
    vocational_qualifications = FreeTextField(required=False, allow_blank=True)
    recognition_status = NamedChoiceField(
        component="RecognitionStatusEnum",
        choices=RecognitionStatus.choices,
        required=False,
        allow_blank=True,
    )
    recognition_body = FreeTextField(max_length=300, required=False, allow_blank=True)
    work_experience = FreeTextField(required=False, allow_blank=True)
    work_status = NamedChoiceField(
        component="WorkStatusEnum", choices=WorkStatus.choices, required=False, allow_blank=True
    )
    german_level = NamedChoiceField(
        component="GermanLevelEnum", choices=GermanLevel.choices, required=False, allow_blank=True
    )
    german_test_date = serializers.DateField(required=False, allow_null=True)
    german_test_provider = FreeTextField(max_length=300, required=False, allow_blank=True)
    goals = FreeTextField(required=False, allow_blank=True)
    needs = FreeTextField(required=False, allow_blank=True)
    authorities = serializers.ListField(
        child=ScopedPrimaryKeyField(Organisation, of_traeger(Organisation)),
        required=False,
    )
    answers = serializers.DictField(
        required=False,
        # de: Antworten auf die konfigurierten Fragen des Handlungsfelds (Schlüssel → Wert).
        help_text=_("Answers to the field's configured questions (key → value)."),
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class AssessmentRevisionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    changed_at = serializers.DateTimeField()
    changed_by = serializers.IntegerField(allow_null=True)
    data = serializers.DictField()  # type: ignore[assignment]


class ProfileSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=VERSION_HELP)
    track = NamedChoiceField(choices=Track.choices, component="CaseTrackEnum", allow_null=True)
    reason = FreeTextField()
    decided_on = serializers.DateField(read_only=True, allow_null=True)
    arrival_category = NamedChoiceField(
        component="ArrivalCategoryEnum",
        choices=["new", "established"],
        read_only=True,
        allow_null=True,
        # de: new = Neuzuwanderer, established = Altfall (mehr als ein Jahr seit der Anmeldung);
        # abgeleitet, nicht gespeichert.
        help_text=_(
            "new = Neuzuwanderer, established = Altfall (more than a year since registration); "
            "derived, not stored."
        ),
    )
    registered_on = serializers.DateField(read_only=True, allow_null=True)
    team_share = serializers.DictField(child=serializers.IntegerField(), read_only=True)


class ProfileUpdateSerializer(ProfileSerializer):
    """The profile as it is set: a track is required (it is null only while undecided)."""

    track = NamedChoiceField(choices=Track.choices, component="CaseTrackEnum")


# -- Representations ---------------------------------------------------------------------------


def _interpreter(use: InterpreterUse | None) -> dict[str, Any] | None:
    if use is None:
        return None
    return {
        "language": use.language,
        "kind": use.kind,
        "organisation": use.organisation,
        "note": use.note,
        "discouraged": use.is_discouraged,
    }


def _sections(sections: list[GuideSection]) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "title": s.title,
            "description": s.description,
            "questions": [
                {
                    "key": q.key,
                    "text": q.text,
                    "hint": q.hint,
                    "answer_type": q.answer_type,
                    "options": list(q.options),
                    "required": q.required,
                }
                for q in s.questions
            ],
        }
        for s in sections
    ]


def _interview_data(case: Case) -> dict[str, Any]:
    interview = selectors.interview_of(case)
    if interview is None:
        guide = selectors.current_guide(case.traeger_id)
        return {
            "status": "none",
            "version": 0,
            "guide_key": guide.key if guide else None,
            "guide_name": guide.name if guide else None,
            "guide_version": guide.guide_version if guide else None,
            "sections": _sections(selectors.interview_sections(None, guide)),
            "answers": {},
            "held_at": None,
            "location": "",
            "participants": "",
            "interpreter": None,
            "completed_at": None,
            "timeline_entry": None,
        }
    return {
        "status": interview.status,
        "version": interview.version,
        "guide_key": interview.guide_key,
        "guide_name": interview.guide_name,
        "guide_version": interview.guide_version,
        "sections": _sections(selectors.interview_sections(interview, None)),
        "answers": interview.answers,
        "held_at": interview.held_at,
        "location": interview.location,
        "participants": interview.participants,
        "interpreter": _interpreter(
            InterpreterUse.objects.filter(traeger_id=case.traeger_id, interview=interview)
            .select_related("organisation")
            .first()
        ),
        "completed_at": interview.completed_at,
        "timeline_entry": interview.timeline_entry_id,
    }


def _assessment_data(
    field: Any, assessment: Assessment | None, person: Any = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "field_of_action": field.pk,
        "field_of_action_key": field.key,
        "person": assessment.person_id if assessment else getattr(person, "pk", None),
        "answers": dict(assessment.answers or {}) if assessment else {},
        "version": assessment.version if assessment else 0,
        "updated_at": assessment.updated_at if assessment else None,
        "authorities": list(assessment.authorities.all()) if assessment else [],
    }
    for name in ASSESSMENT_FIELDS:
        data[name] = (
            getattr(assessment, name)
            if assessment
            else ("" if name != "german_test_date" else None)
        )
    return data


def _profile_data(user: Any, case: Case) -> dict[str, Any]:
    profile = selectors.profile_of(case)
    share = selectors.team_track_share(user)
    return {
        "version": profile.version if profile else 0,
        "track": profile.track if profile else None,
        "reason": profile.reason if profile else "",
        "decided_on": profile.decided_on if profile else None,
        "arrival_category": selectors.arrival_category(case.person.registered_on),
        "registered_on": case.person.registered_on,
        "team_share": {
            "acceleration": share.acceleration,
            "barriers": share.barriers,
            "undecided": share.undecided,
        },
    }


def _use_data(use: InterpreterUse) -> dict[str, Any]:
    return {
        **(_interpreter(use) or {}),
        "id": use.pk,
        "timeline_entry": use.timeline_entry_id,
        "interview": use.interview_id,
        "recorded_at": use.recorded_at,
    }


def _interpreter_input(data: dict[str, Any] | None) -> services.InterpreterInput | None:
    if not data:
        return None
    return services.InterpreterInput(
        language=data["language"],
        kind=data["kind"],
        organisation=data.get("organisation"),
        note=data.get("note", ""),
    )


# -- Views ------------------------------------------------------------------------------------


#: ``?person=``: the household member an assessment is about (default the case's person).
PERSON_PARAMETER = OpenApiParameter(
    "person",
    int,
    # de: Person des Haushalts (Standard: die Person des Falls)
    description=_("Household member (default: the case's person)"),
)


class _IntakeView(CaseFileAPIView):
    def case(self, request: Request, pk: int) -> Case:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return get_case_for_user(request.user, pk)
        return get_case_for_user(request.user, pk, Action.CHANGE)

    def person(self, request: Request, case: Case) -> Person:
        """The household member of ``?person=`` (default the case's person); else 404."""
        raw = request.query_params.get("person")
        if not raw:
            return case.person
        person = household_member_of_case(case, raw)
        if person is None:
            raise Http404
        return person

    def audit_case_read(
        self, request: Request, case: Case, detail: str, categories: list[str] | None = None
    ) -> None:
        self.audit_read(
            request,
            action="view",
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            categories=categories or ["case"],
            detail=f"intake:{detail}",
        )


class InterviewView(_IntakeView):
    required_actions = {"GET": Action.VIEW, "PUT": Action.CHANGE}

    @extend_schema(
        operation_id="cases_initial_interview_retrieve",
        tags=[TAG],
        summary="Erstgespräch lesen",
        description=(
            "Das Erstgespräch mit den Fragen des Gesprächsleitfadens in der Version, mit der es "
            "geführt wurde. Ohne Erstgespräch: `status` = `none` und die Fragen des aktuellen "
            "Leitfadens."
        ),
        responses={200: InterviewSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        self.audit_case_read(request, case, "interview")
        return Response(InterviewSerializer(_interview_data(case)).data)

    @extend_schema(
        operation_id="cases_initial_interview_update",
        tags=[TAG],
        summary="Erstgespräch speichern oder abschließen",
        description=(
            "Legt das Erstgespräch an (`version` 0) oder ändert den Entwurf. Mit `complete` "
            "wird es abgeschlossen: Pflichtfragen beantwortet, Datum nicht in der Zukunft; es "
            "entsteht ein Termin im Verlauf, danach ist es unveränderlich."
        ),
        request=InterviewInputSerializer,
        responses={200: InterviewSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def put(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        data = self.parse(InterviewInputSerializer, request.data)
        services.interview_save(
            actor=request.user,
            case=case,
            expected_version=data["version"],
            held_at=data["held_at"],
            location=data["location"],
            participants=data["participants"],
            answers=data["answers"],
            complete=data["complete"],
            interpreter=_interpreter_input(data.get("interpreter")),
            request=request,
        )
        return Response(InterviewSerializer(_interview_data(case)).data)


class AssessmentListView(_IntakeView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="cases_assessments_list",
        parameters=[PERSON_PARAMETER],
        tags=[TAG],
        summary="Assessment eines Falls",
        description="Je Handlungsfeld des Trägers das Assessment (`version` 0: noch keines).",
        responses={200: AssessmentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        person = self.person(request, case)
        by_field = {
            a.field_of_action_id: a
            for a in selectors.assessments_of(case)
            if a.person_id == person.pk
        }
        fields = selectors.fields_of_action(case.traeger_id)
        rows = [_assessment_data(field, by_field.get(field.pk), person) for field in fields]
        self.audit_case_read(
            request,
            case,
            "assessment",
            selectors.disclosed_categories([(f, by_field.get(f.pk)) for f in fields]),
        )
        return Response(AssessmentSerializer(rows, many=True).data)


class AssessmentDetailView(_IntakeView):
    required_actions = {"GET": Action.VIEW, "PUT": Action.CHANGE}

    @extend_schema(
        operation_id="cases_assessment_retrieve",
        parameters=[PERSON_PARAMETER],
        tags=[TAG],
        summary="Assessment eines Handlungsfelds lesen",
        responses={200: AssessmentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, field_pk: int) -> Response:
        case = self.case(request, pk)
        field = selectors.get_field_of_action(case, field_pk)
        person = self.person(request, case)
        current = selectors.assessment_for(case, field, person)
        self.audit_case_read(
            request,
            case,
            f"assessment:{field.key}",
            selectors.disclosed_categories([(field, current)]),
        )
        return Response(AssessmentSerializer(_assessment_data(field, current, person)).data)

    @extend_schema(
        operation_id="cases_assessment_update",
        parameters=[PERSON_PARAMETER],
        tags=[TAG],
        summary="Assessment eines Handlungsfelds speichern",
        description=(
            "Nicht übergebene Felder bleiben unverändert. Jede Speicherung legt eine Version im "
            "Änderungsverlauf an. Sprachstand A1–C2 nur mit Testdatum und Anbieter."
        ),
        request=AssessmentSerializer,
        responses={200: AssessmentSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def put(self, request: Request, pk: int, field_pk: int) -> Response:
        case = self.case(request, pk)
        field = selectors.get_field_of_action(case, field_pk)
        data = dict(self.parse(AssessmentSerializer, request.data))
        version = data.pop("version")
        person = self.person(request, case)
        current = selectors.assessment_for(case, field, person)
        authorities = data.pop("authorities", None)
        if authorities is None:
            authorities = list(current.authorities.all()) if current else []
        services.assessment_save(
            actor=request.user,
            case=case,
            field_of_action=field,
            person=person,
            expected_version=version,
            values={name: value for name, value in data.items() if name in ASSESSMENT_FIELDS},
            answers=data.get("answers"),
            authorities=authorities,
            request=request,
        )
        return Response(
            AssessmentSerializer(
                _assessment_data(field, selectors.assessment_for(case, field, person), person)
            ).data
        )


class AssessmentHistoryView(_IntakeView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="cases_assessment_history",
        parameters=[PERSON_PARAMETER],
        tags=[TAG],
        summary="Änderungsverlauf eines Assessments",
        description="Alle gespeicherten Stände, neueste zuerst.",
        responses={200: AssessmentRevisionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, field_pk: int) -> Response:
        case = self.case(request, pk)
        field = selectors.get_field_of_action(case, field_pk)
        current = selectors.assessment_for(case, field, self.person(request, case))
        revisions = selectors.assessment_history(current) if current else []
        self.audit_case_read(
            request,
            case,
            f"assessment_history:{field.key}",
            selectors.disclosed_categories([(field, revisions)]),
        )
        return Response(
            AssessmentRevisionSerializer(
                [
                    {
                        "version": r.version,
                        "changed_at": r.changed_at,
                        "changed_by": r.changed_by_id,
                        "data": r.data,
                    }
                    for r in revisions
                ],
                many=True,
            ).data
        )


class ProfileView(_IntakeView):
    required_actions = {"GET": Action.VIEW, "PUT": Action.CHANGE}

    @extend_schema(
        operation_id="cases_profile_retrieve",
        tags=[TAG],
        summary="Fallprofil lesen",
        description=(
            "Beschleunigung oder Abbau von Hemmnissen mit Begründung; Neuzuwanderer oder "
            "Altfall (abgeleitet aus dem Anmeldedatum); der Anteil im Team (nur Zahlen)."
        ),
        responses={200: ProfileSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        self.audit_case_read(request, case, "profile")
        return Response(ProfileSerializer(_profile_data(request.user, case)).data)

    @extend_schema(
        operation_id="cases_profile_update",
        tags=[TAG],
        summary="Fallprofil festlegen",
        request=ProfileUpdateSerializer,
        responses={200: ProfileSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def put(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        data = self.parse(ProfileUpdateSerializer, request.data)
        services.profile_set(
            actor=request.user,
            case=case,
            track=data["track"],
            reason=data["reason"],
            expected_version=data["version"],
            request=request,
        )
        return Response(ProfileSerializer(_profile_data(request.user, case)).data)


class InterpreterUseListView(_IntakeView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_interpreter_uses_list",
        tags=[TAG],
        summary="Sprachmittlung eines Falls",
        responses={200: InterpreterUseSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        uses = selectors.interpreter_uses_of(case)
        self.audit_case_read(request, case, "interpreters")
        return Response(InterpreterUseSerializer([_use_data(u) for u in uses], many=True).data)

    @extend_schema(
        operation_id="cases_interpreter_uses_create",
        tags=[TAG],
        summary="Sprachmittlung zu einem Kontakt oder Termin erfassen",
        description="Ersetzt eine frühere Angabe zum selben Gespräch.",
        request=InterpreterUseSerializer,
        responses={201: InterpreterUseSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        data = self.parse(InterpreterUseSerializer, request.data)
        try:
            entry = selectors.get_conversation(case, data["timeline_entry"])
        except Http404:
            raise DRFValidationError(
                # de: Bitte einen Kontakt oder Termin dieses Falls wählen.
                {"timeline_entry": [_("Please choose a contact or appointment of this case.")]}
            ) from None
        interpreter = _interpreter_input(data)
        assert interpreter is not None  # noqa: S101 - language and kind are required
        use = services.interpreter_use_set(
            actor=request.user, case=case, timeline_entry=entry, data=interpreter, request=request
        )
        return Response(InterpreterUseSerializer(_use_data(use)).data, status=201)
