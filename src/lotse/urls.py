from django.contrib import admin
from django.urls import include, path

from lotse.core import views as core_views

handler400 = "lotse.core.views.bad_request"
handler403 = "lotse.core.views.permission_denied"
handler404 = "lotse.core.views.page_not_found"
handler500 = "lotse.core.views.server_error"

urlpatterns = [
    path("", include("lotse.core.urls")),
    path("", include("lotse.accounts.urls")),
    path("personen/", include("lotse.people.urls")),
    path("faelle/", include("lotse.cases.urls")),
    path("", include("lotse.deadlines.urls")),
    path("", include("lotse.intake.urls")),
    path("", include("lotse.agreements.urls")),
    path("", include("lotse.offers.urls")),
    path("", include("lotse.assignments.urls")),
    path("", include("lotse.conferences.urls")),
    path("", include("lotse.programmes.urls")),
    path("", include("lotse.spreadsheets.urls")),
    path("", include("lotse.consent.urls")),
    path("", include("lotse.sharing.urls")),
    path("", include("lotse.retention.urls")),
    path("", include("lotse.teams.urls")),
    path("", include("lotse.privacy.urls")),
    path("region/", include("lotse.directory.urls")),
    path("gremienarbeit/", include("lotse.governance.urls")),
    path("zusammenarbeit/", include("lotse.portal.urls")),
    path("oparl/v1/", include("lotse.oparl.urls")),
    path("protokoll/", include("lotse.audit.urls")),
    path("konto/api-tokens/", include("lotse.api.token_urls")),
    path("oidc/", include("lotse.sso.urls")),
    path("api/v1/", include("lotse.api.urls")),
    path("verwaltung/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
]
