"""Background tasks of case conferences (django-tasks; the worker is ``lotse worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_invitations(conference_id: int, participant_ids: list[int], method: str) -> None:
    """Send the invitation (REQUEST) or cancellation (CANCEL) mail to each participant."""
    from lotse.conferences.invitations import invitation_mail
    from lotse.conferences.models import Conference, Participant

    conference = Conference.objects.select_related("case", "organiser").get(pk=conference_id)
    everyone = list(
        Participant.objects.filter(conference=conference).exclude(invited_at__isnull=True)
    )
    for participant in everyone:
        if participant.pk in participant_ids:
            invitation_mail(conference, participant, everyone, method=method).send()
