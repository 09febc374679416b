from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("", include("dendrite.accounts.urls")),
    path("", include("dendrite.ops.urls")),
    path("", include("dendrite.instruments.urls")),
    path("", include("dendrite.leads.urls")),
    path("", include("dendrite.alerts.urls")),
    path("", include("dendrite.patients.urls")),
    path("", include("dendrite.scheduling.urls")),
    path("", include("dendrite.notes.urls")),
    path("staff/", include("dendrite.infusions.urls")),  # /staff/infusions/: private
    path("", include("dendrite.controlled.urls")),
    path("", include("dendrite.worklist.urls")),
    path("", include("dendrite.recovery.urls")),
    path("", include("dendrite.outcomes.urls")),
    path("", include("dendrite.fhir.staff_urls")),  # the accounting of Part 2 disclosures
    path("", include("dendrite.fhir.exit_urls")),  # the clinic admin's exit export
    path("", include("dendrite.portal.urls")),
    path("", include("dendrite.website.urls")),
    path("", include("dendrite.screening.urls")),
    path("fhir/", include("dendrite.fhir.urls")),
    path("", include("dendrite.dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
