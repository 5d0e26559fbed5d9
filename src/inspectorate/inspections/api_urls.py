from django.urls import path

from inspectorate.inspections import api

urlpatterns = [
    path("checklists/", api.ChecklistListApi.as_view(), name="api-checklist-list"),
    path("checklists/<slug:code>/", api.ChecklistDetailApi.as_view(), name="api-checklist-detail"),
    path(
        "checklists/<slug:code>/versions/",
        api.ChecklistVersionsApi.as_view(),
        name="api-checklist-versions",
    ),
    path(
        "checklists/<slug:code>/versions/<int:number>/",
        api.ChecklistVersionApi.as_view(),
        name="api-checklist-version",
    ),
    path(
        "checklists/<slug:code>/versions/<int:number>/items/",
        api.ChecklistItemsApi.as_view(),
        name="api-checklist-items",
    ),
    path(
        "checklists/<slug:code>/versions/<int:number>/items/<int:item_id>/",
        api.ChecklistItemApi.as_view(),
        name="api-checklist-item",
    ),
    path(
        "checklists/<slug:code>/versions/<int:number>/publish/",
        api.ChecklistPublishApi.as_view(),
        name="api-checklist-publish",
    ),
    path("inspections/", api.InspectionListApi.as_view(), name="api-inspection-list"),
    path("inspections/<int:pk>/", api.InspectionDetailApi.as_view(), name="api-inspection-detail"),
    path("inspections/<int:pk>/sync/", api.InspectionSyncApi.as_view(), name="api-inspection-sync"),
    path(
        "inspections/<int:pk>/findings/",
        api.InspectionFindingsApi.as_view(),
        name="api-inspection-findings",
    ),
    path(
        "inspections/<int:pk>/measures/",
        api.InspectionMeasuresApi.as_view(),
        name="api-inspection-measures",
    ),
    path("inspections/<int:pk>/sign/", api.InspectionSignApi.as_view(), name="api-inspection-sign"),
    path(
        "inspections/<int:pk>/close/", api.InspectionCloseApi.as_view(), name="api-inspection-close"
    ),
    path(
        "findings/<int:pk>/evidence/", api.FindingEvidenceApi.as_view(), name="api-finding-evidence"
    ),
    path("hazards/", api.HazardListApi.as_view(), name="api-hazard-list"),
]
