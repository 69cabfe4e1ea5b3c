"""/oparl/v1/: the read-only OParl 1.1 endpoint for what a Träger marks public.

Every object lives under its Träger (the OParl ``Body``), so that each lookup is filtered by the
Träger named in the URL; ids are the objects' primary keys and stay stable.
"""

from django.urls import URLPattern, path, re_path

from lotse.oparl import views

app_name = "oparl"

_BODY = "body/<slug:body>/"

urlpatterns: list[URLPattern] = [
    path("", views.system, name="system"),
    path("body/", views.body_list, name="body-list"),
    path(_BODY, views.body, name="body"),
    path(_BODY + "legislativeterm/", views.legislative_term, name="legislativeterm"),
    path(_BODY + "person/", views.person_list, name="person-list"),
    path(_BODY + "organization/", views.organization_list, name="organization-list"),
    path(_BODY + "organization/<int:pk>/", views.organization, name="organization"),
    path(
        _BODY + "organization/<int:pk>/meeting/",
        views.organization_meetings,
        name="organization-meetings",
    ),
    path(_BODY + "meeting/", views.meeting_list, name="meeting-list"),
    path(_BODY + "meeting/<int:pk>/", views.meeting, name="meeting"),
    path(_BODY + "meeting/<int:pk>/location/", views.meeting_location, name="meeting-location"),
    path(_BODY + "agendaitem/", views.agendaitem_list, name="agendaitem-list"),
    path(_BODY + "agendaitem/<int:pk>/", views.agendaitem, name="agendaitem"),
    path(_BODY + "paper/", views.paper_list, name="paper-list"),
    path(_BODY + "paper/<int:pk>/", views.paper, name="paper"),
    path(_BODY + "consultation/", views.consultation_list, name="consultation-list"),
    path(_BODY + "consultation/<int:pk>/", views.consultation, name="consultation"),
    path(_BODY + "file/", views.file_list, name="file-list"),
    path(_BODY + "file/<int:pk>/", views.file, name="file"),
    path(_BODY + "file/<int:pk>/download/", views.file_download, name="file-download"),
    # Anything else under /oparl/v1/ answers a JSON 404 (with CORS), not an HTML page.
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
