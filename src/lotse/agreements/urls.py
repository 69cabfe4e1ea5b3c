from django.urls import path

from lotse.agreements import views

app_name = "agreements"
urlpatterns = [
    path("faelle/<int:pk>/vereinbarung/", views.agreement_detail, name="detail"),
    path("faelle/<int:pk>/vereinbarung/neu/", views.agreement_start, name="start"),
    path("faelle/<int:pk>/vereinbarung/entwurf/", views.agreement_edit, name="edit"),
    path("faelle/<int:pk>/vereinbarung/entwurf/vereinbaren/", views.agreement_agree, name="agree"),
    path(
        "faelle/<int:pk>/vereinbarung/entwurf/verwerfen/", views.agreement_discard, name="discard"
    ),
    path("faelle/<int:pk>/vereinbarung/fassungen/", views.agreement_history, name="history"),
    path(
        "faelle/<int:pk>/vereinbarung/fassungen/<int:number>/",
        views.agreement_version,
        name="version",
    ),
]
