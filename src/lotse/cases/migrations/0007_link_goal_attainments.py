"""Link the goal attainments recorded before the evaluation knew the agreement's SMART goals.

A legacy row whose free-text goal equals (ignoring case and spacing) the "what" of a goal of its
case's agreement (the version in force first, then the newest) is linked to that goal; its
plaintext copy of the goal is cleared (the text stays, encrypted, on the goal) and its field of
action is taken from the goal where it had none. Rows without a match stay as they are.
"""

from django.db import migrations


def _normalised(text):
    return " ".join((text or "").split()).casefold()


def link_goals(apps, schema_editor):
    GoalAttainment = apps.get_model("cases", "GoalAttainment")
    AgreementGoal = apps.get_model("agreements", "AgreementGoal")
    CaseEvaluation = apps.get_model("cases", "CaseEvaluation")
    goals_by_case = {}
    legacy = (
        GoalAttainment.objects.filter(agreement_goal__isnull=True)
        .exclude(goal="")
        .select_related("evaluation")
        .order_by("pk")
    )
    for attainment in legacy.iterator(chunk_size=500):
        case_id = attainment.evaluation.case_id
        if case_id not in goals_by_case:
            goals = AgreementGoal.objects.filter(
                traeger_id=attainment.traeger_id, agreement__case_id=case_id
            ).select_related("agreement")
            ranked = sorted(
                goals,
                key=lambda g: (g.agreement.status != "agreed", -g.agreement.number, g.position),
            )
            index = {}
            for goal in ranked:
                index.setdefault(_normalised(goal.what), goal)
            goals_by_case[case_id] = index
        match = goals_by_case[case_id].get(_normalised(attainment.goal))
        if match is None:
            continue
        attainment.agreement_goal_id = match.pk
        attainment.goal = ""
        if attainment.field_of_action_id is None:
            attainment.field_of_action_id = match.field_of_action_id
        attainment.save(update_fields=["agreement_goal", "goal", "field_of_action"])
        CaseEvaluation.objects.filter(pk=attainment.evaluation_id, agreement__isnull=True).update(
            agreement_id=match.agreement_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_encrypt_case_texts"),
        ("cases", "0006_evaluation_goals"),
    ]

    operations = [migrations.RunPython(link_goals, migrations.RunPython.noop)]
