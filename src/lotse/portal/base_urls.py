"""Portal home, contact directory with vCard, working aids, process chains."""

from django.urls import URLPattern, path

from lotse.portal import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("kontakte/", views.contacts, name="contacts"),
    path("kontakte/alle.vcf", views.contacts_vcard, name="contacts_vcard"),
    path("kontakte/person/<int:pk>.vcf", views.contact_vcard, name="contact_vcard"),
    path("kontakte/organisation/<int:pk>.vcf", views.organisation_vcard, name="organisation_vcard"),
    path("arbeitshilfen/", views.aids, name="aids"),
    path("arbeitshilfen/neu/", views.aid_create, name="aid_create"),
    path("arbeitshilfen/<int:pk>/", views.aid_detail, name="aid_detail"),
    path("arbeitshilfen/<int:pk>/neue-version/", views.aid_version_add, name="aid_version_add"),
    path("arbeitshilfen/datei/<int:pk>/", views.aid_download, name="aid_download"),
    path("prozessketten/", views.chains, name="chains"),
    path("prozessketten/<int:pk>/", views.chain_detail, name="chain_detail"),
    path("prozessketten/<int:pk>/bearbeiten/", views.chain_edit, name="chain_edit"),
    path("prozessketten/<int:pk>/schritte/neu/", views.step_add, name="step_add"),
    path("prozessketten/schritte/<int:pk>/", views.step_edit, name="step_edit"),
    path("prozessketten/schritte/<int:pk>/verschieben/", views.step_move, name="step_move"),
    path("prozessketten/schritte/<int:pk>/entfernen/", views.step_delete, name="step_delete"),
]
