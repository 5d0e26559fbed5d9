"""Pages of the inspections module (mounted at /inspections/)."""

from django.urls import path

from inspectorate.inspections import views
from inspectorate.inspections.views_inspection import inspection_detail, service_worker

app_name = "inspections"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("new/", views.inspection_start, name="start"),
    path("hazards/", views.hazards, name="hazards"),
    path("sw.js", service_worker, name="service-worker"),
    path("<int:pk>/", inspection_detail, name="detail"),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<slug:code>/draft/", views.checklist_draft, name="checklist-draft"),
    path(
        "checklists/<slug:code>/v<int:number>/",
        views.checklist_version,
        name="checklist-version",
    ),
    path(
        "checklists/<slug:code>/v<int:number>/publish/",
        views.checklist_publish,
        name="checklist-publish",
    ),
    path(
        "checklists/<slug:code>/v<int:number>/items/new/",
        views.checklist_item_add,
        name="checklist-item-add",
    ),
    path(
        "checklists/<slug:code>/v<int:number>/items/<int:item_id>/",
        views.checklist_item_edit,
        name="checklist-item-edit",
    ),
    path(
        "checklists/<slug:code>/v<int:number>/items/<int:item_id>/delete/",
        views.checklist_item_delete,
        name="checklist-item-delete",
    ),
    path("documents/<int:pk>.pdf", views.document_pdf, name="document-pdf"),
    path("documents/<int:pk>.docx", views.document_docx, name="document-docx"),
]
