from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from inspectorate.core import views as core_views

api_v1 = [
    path("", include("inspectorate.registry.api_urls")),
    path("", include("inspectorate.org.api_urls")),
    path("", include("inspectorate.planning.api_urls")),
    path("", include("inspectorate.inspections.api_urls")),
    path("", include("inspectorate.rectification.api_urls")),
    path("", include("inspectorate.cases.api_urls")),
    path("", include("inspectorate.referrals.api_urls")),
    path("", include("inspectorate.accidents.api_urls")),
    path("", include("inspectorate.oversight.api_urls")),
    path("", include("inspectorate.accountability.api_urls")),
    path("", include("inspectorate.training.api_urls")),
    path("", include("inspectorate.legal.api_urls")),
    path("", include("inspectorate.exams.api_urls")),
    path("", include("inspectorate.assessment.api_urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("inspectorate.org.urls")),
    path("officers/", include("inspectorate.org.officer_urls")),
    path("registry/", include("inspectorate.registry.urls")),
    path("planning/", include("inspectorate.planning.urls")),
    path("public/plans/", include("inspectorate.planning.public_urls")),
    path("inspections/", include("inspectorate.inspections.urls")),
    path("rectification/", include("inspectorate.rectification.urls")),
    path("cases/", include("inspectorate.cases.urls")),
    path("referrals/", include("inspectorate.referrals.urls")),
    path("accidents/", include("inspectorate.accidents.urls")),
    path("oversight/", include("inspectorate.oversight.urls")),
    path("accountability/", include("inspectorate.accountability.urls")),
    path("training/", include("inspectorate.training.urls")),
    path("legal/", include("inspectorate.legal.urls")),
    path("exams/", include("inspectorate.exams.urls")),
    path("assessment/", include("inspectorate.assessment.urls")),
    path("portal/", include("inspectorate.rectification.portal_urls")),
    path("modules/<slug:module>/", core_views.module_placeholder, name="module"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
