from django.urls import path

from lotse.programmes import views

app_name = "programmes"
urlpatterns = [
    path("personen/<int:person_pk>/teilhabe-pruefung/", views.eligibility, name="eligibility"),
    path("faelle/<int:pk>/teilhabe/", views.participation, name="participation"),
    path("faelle/<int:pk>/teilhabe/bausteine/neu/", views.assignment_add, name="assignment_add"),
    path(
        "faelle/<int:pk>/teilhabe/bausteine/<int:assignment_pk>/",
        views.assignment_edit,
        name="assignment_edit",
    ),
    path("faelle/<int:pk>/teilhabe/kosten/neu/", views.budget_entry_add, name="budget_entry_add"),
    path("faelle/<int:pk>/abh/", views.referrals, name="referrals"),
    path("faelle/<int:pk>/abh/<int:referral_pk>/", views.referral_detail, name="referral_detail"),
    path(
        "faelle/<int:pk>/abh/<int:referral_pk>/weiterleiten/",
        views.referral_forward,
        name="referral_forward",
    ),
    path(
        "faelle/<int:pk>/abh/<int:referral_pk>/antwort/",
        views.referral_answer,
        name="referral_answer",
    ),
    path(
        "faelle/<int:pk>/abh/<int:referral_pk>/abschliessen/",
        views.referral_close,
        name="referral_close",
    ),
    path("teilhabemanagement/", views.overview, name="overview"),
    path("teilhabemanagement/budgets/", views.budgets, name="budgets"),
]
