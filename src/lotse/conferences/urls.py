from django.urls import path

from lotse.conferences import views

app_name = "conferences"
urlpatterns = [
    path("faelle/<int:pk>/fallkonferenzen/", views.case_conferences, name="case"),
    path("fallkonferenzen/", views.queue, name="queue"),
    path("fallkonferenzen/auswertung/", views.evaluations, name="evaluations"),
    path("fallkonferenzen/<int:pk>/", views.conference_detail, name="detail"),
    path("fallkonferenzen/<int:pk>/evaluation/", views.evaluation_add, name="evaluation_add"),
    path("fallkonferenzen/<int:pk>/einberufung/", views.conference_request, name="request"),
    path("fallkonferenzen/<int:pk>/zustimmung/", views.conference_agree, name="agree"),
    path("fallkonferenzen/<int:pk>/vermittlung/", views.conference_mediate, name="mediate"),
    path("fallkonferenzen/<int:pk>/termin/", views.conference_schedule, name="schedule"),
    path("fallkonferenzen/<int:pk>/teilnehmende/", views.participant_add, name="participant_add"),
    path(
        "fallkonferenzen/<int:pk>/teilnehmende/<int:participant_pk>/entfernen/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("fallkonferenzen/<int:pk>/einladungen/", views.conference_invite, name="invite"),
    path("fallkonferenzen/<int:pk>/absagen/", views.conference_cancel, name="cancel"),
    path("fallkonferenzen/<int:pk>/durchfuehrung/", views.conference_run, name="run"),
    path("fallkonferenzen/<int:pk>/absprachen/", views.agreement_add, name="agreement_add"),
    path("fallkonferenzen/<int:pk>/nachgespraech/", views.conference_follow_up, name="follow_up"),
    path("fallkonferenzen/<int:pk>/bestaetigen/", views.participant_confirm, name="confirm"),
    path("optimierungsbedarfe/", views.optimisation_needs, name="optimisation_needs"),
    path(
        "optimierungsbedarfe/<int:pk>/",
        views.optimisation_need_detail,
        name="optimisation_need",
    ),
]
