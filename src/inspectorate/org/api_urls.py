from django.urls import path

from inspectorate.org import api

urlpatterns = [
    path("auth/token/", api.TokenApi.as_view(), name="api-token"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("jurisdictions/", api.JurisdictionListApi.as_view(), name="api-jurisdiction-list"),
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("officers/", api.OfficerListApi.as_view(), name="api-officer-list"),
    path("officers/<int:pk>/", api.OfficerDetailApi.as_view(), name="api-officer-detail"),
    path(
        "certificates/expiring/",
        api.CertificateExpiringApi.as_view(),
        name="api-certificate-expiring",
    ),
    path(
        "certificates/<int:pk>/", api.CertificateDetailApi.as_view(), name="api-certificate-detail"
    ),
    path(
        "certificates/<int:pk>/<slug:action>/",
        api.CertificateActionApi.as_view(),
        name="api-certificate-action",
    ),
]
