from django.urls import URLPattern, path

from lotse.consent import views

app_name = "consent"
urlpatterns: list[URLPattern] = [
    path("personen/<int:pk>/einwilligungen/", views.person_consents, name="person"),
    path("personen/<int:pk>/einwilligungen/neu/", views.consent_create, name="create"),
    path("einwilligungen/<int:pk>/", views.consent_detail, name="detail"),
    path("einwilligungen/<int:pk>/aendern/", views.consent_change, name="change"),
    path("einwilligungen/<int:pk>/widerrufen/", views.consent_withdraw, name="withdraw"),
    path("einwilligungen/<int:pk>/unterschrift/", views.consent_attest, name="attest"),
    path("einwilligungen/hinweise/", views.flag_list, name="flags"),
    path("einwilligungen/hinweise/<int:pk>/erledigt/", views.flag_resolve, name="flag_resolve"),
    path("einwilligungen/<int:pk>/formular/", views.consent_print, name="print"),
    path("einwilligungen/<int:pk>/formular.pdf", views.consent_pdf, name="pdf"),
    path("einwilligungen/<int:pk>/scan/", views.consent_scan, name="scan"),
    path("personen/<int:pk>/uebermittlungen/", views.person_transfers, name="transfers"),
    path("personen/<int:pk>/uebermittlungen/neu/", views.transfer_create, name="transfer_create"),
    path("datenschutzinformation/", views.notice_sheet, name="notice_sheet"),
    path("datenschutzinformation.pdf", views.notice_sheet_pdf, name="notice_sheet_pdf"),
    path(
        "personen/<int:pk>/datenschutzinformation/neu/", views.notice_create, name="notice_create"
    ),
]
