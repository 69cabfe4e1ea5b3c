"""Bodies, members, meetings, agenda, attendance, minutes, action items."""

from django.urls import URLPattern, path

from lotse.governance import meeting_views as views

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("gremien/<int:pk>/", views.body_detail, name="body"),
    path("gremien/<int:pk>/mitglieder/", views.member_add, name="member_add"),
    path(
        "gremien/<int:pk>/mitglieder/<int:member_pk>/",
        views.member_change,
        name="member_change",
    ),
    path(
        "gremien/<int:pk>/mitglieder/<int:member_pk>/entfernen/",
        views.member_remove,
        name="member_remove",
    ),
    path("gremien/<int:pk>/auftrag/", views.body_mandate, name="body_mandate"),
    path("gremien/<int:pk>/sitzung-anlegen/", views.meeting_create, name="meeting_create"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("sitzungen/<int:pk>/aendern/", views.meeting_change, name="meeting_change"),
    path("sitzungen/<int:pk>/tagesordnung/", views.item_add, name="item_add"),
    path("sitzungen/<int:pk>/dokumente/", views.document_add, name="document_add"),
    path("sitzungen/<int:pk>/anwesenheit/", views.attendance_record, name="attendance"),
    path("sitzungen/<int:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("sitzungen/<int:pk>/absagen/", views.meeting_cancel, name="meeting_cancel"),
    path("sitzungen/<int:pk>/stattgefunden/", views.meeting_held, name="meeting_held"),
    path("sitzungen/<int:pk>/protokoll-genehmigen/", views.meeting_approve, name="meeting_approve"),
    path("sitzungen/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("dokumente/<int:pk>/", views.document_download, name="document"),
    path("tagesordnungspunkte/<int:pk>/", views.item_detail, name="item"),
    path("tagesordnungspunkte/<int:pk>/aendern/", views.item_change, name="item_change"),
    path("tagesordnungspunkte/<int:pk>/protokoll/", views.item_minutes, name="item_minutes"),
    path("tagesordnungspunkte/<int:pk>/verschieben/", views.item_move, name="item_move"),
    path("tagesordnungspunkte/<int:pk>/entfernen/", views.item_remove, name="item_remove"),
    path("tagesordnungspunkte/<int:pk>/aufgaben/", views.action_item_add, name="action_item_add"),
    path(
        "tagesordnungspunkte/<int:pk>/optimierungsbedarf/",
        views.quality_need_add,
        name="quality_need_add",
    ),
    path("aufgaben/<int:pk>/status/", views.action_item_status, name="action_item_status"),
]
