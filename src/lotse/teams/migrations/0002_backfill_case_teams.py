"""Move existing installations from "the organisation is the case team" to posts.

- A person without a post gets the post of their newest case, else the post of their
  organisation serving their municipality's Sozialraum, else the organisation's first post.
- A case without a post gets its person's post when the organisations agree, else its
  organisation's first post.
- A post without a holder gets the user who is case manager of most of its open cases.
- Team leads become the team lead of their organisation's posts that have none, so nobody who
  had oversight before loses it silently.
"""

from collections import Counter

from django.db import migrations


def backfill(apps, schema_editor):
    Post = apps.get_model("directory", "CaseManagementPost")
    Person = apps.get_model("people", "Person")
    Case = apps.get_model("cases", "Case")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")

    posts_by_org = {}
    for post in Post.objects.order_by("sort_order", "name", "id"):
        posts_by_org.setdefault(post.organisation_id, []).append(post)

    def post_for(organisation_id, sozialraum_id):
        candidates = posts_by_org.get(organisation_id, [])
        for post in candidates:
            if sozialraum_id and post.sozialraum_id == sozialraum_id:
                return post
        return candidates[0] if candidates else None

    for case in Case.objects.filter(post__isnull=True).select_related("person").iterator():
        post = None
        if case.person.post_id and case.person.organisation_id == case.organisation_id:
            post = Post.objects.get(pk=case.person.post_id)
        post = post or post_for(case.organisation_id, None)
        if post is not None:
            Case.objects.filter(pk=case.pk).update(post=post)

    newest_case_post = {}
    for person_id, post_id in (
        Case.objects.filter(post__isnull=False)
        .order_by("opened_on", "id")
        .values_list("person_id", "post_id")
    ):
        newest_case_post[person_id] = post_id
    for person in Person.objects.filter(post__isnull=True).select_related("municipality").iterator():
        post_id = newest_case_post.get(person.pk)
        if post_id is None:
            sozialraum_id = person.municipality.sozialraum_id if person.municipality_id else None
            post = post_for(person.organisation_id, sozialraum_id)
            post_id = post.pk if post else None
        if post_id is not None:
            Person.objects.filter(pk=person.pk).update(post_id=post_id)

    for post in Post.objects.filter(holder__isnull=True):
        managers = Counter(
            Case.objects.filter(post=post, case_manager__isnull=False)
            .exclude(phase="abgeschlossen")
            .values_list("case_manager_id", flat=True)
        )
        if managers:
            Post.objects.filter(pk=post.pk).update(holder_id=managers.most_common(1)[0][0])

    for assignment in RoleAssignment.objects.filter(role="team_lead").select_related("user"):
        user = assignment.user
        if user.organisation_id is None:
            continue
        Post.objects.filter(organisation_id=user.organisation_id, team_lead__isnull=True).update(
            team_lead_id=user.pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_case_team"),
        ("people", "0004_case_team"),
        ("directory", "0004_case_team"),
        ("cases", "0005_encrypt_case_texts"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
