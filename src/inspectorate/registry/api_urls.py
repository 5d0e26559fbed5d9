from django.urls import path

from inspectorate.registry import api

urlpatterns = [
    path("enterprises/", api.EnterpriseListApi.as_view(), name="api-enterprise-list"),
    path("enterprises/import/", api.EnterpriseImportApi.as_view(), name="api-enterprise-import"),
    path("enterprises/export/", api.EnterpriseExportApi.as_view(), name="api-enterprise-export"),
    path("enterprises/<int:pk>/", api.EnterpriseDetailApi.as_view(), name="api-enterprise-detail"),
    path(
        "enterprises/<int:pk>/history/",
        api.EnterpriseHistoryApi.as_view(),
        name="api-enterprise-history",
    ),
    path(
        "enterprises/<int:pk>/licences/",
        api.EnterpriseLicencesApi.as_view(),
        name="api-enterprise-licences",
    ),
    path(
        "enterprises/<int:pk>/hazard-sources/",
        api.EnterpriseHazardSourcesApi.as_view(),
        name="api-enterprise-hazard-sources",
    ),
    path(
        "enterprises/<int:pk>/transitions/<slug:action>/",
        api.EnterpriseTransitionApi.as_view(),
        name="api-enterprise-transition",
    ),
]
