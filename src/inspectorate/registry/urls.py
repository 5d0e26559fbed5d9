from django.urls import path

from inspectorate.registry import views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise-create"),
    path("enterprises/export/", views.enterprise_export, name="enterprise-export"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path(
        "enterprises/<int:pk>/profile.pdf",
        views.enterprise_profile_pdf,
        name="enterprise-profile-pdf",
    ),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path(
        "enterprises/<int:pk>/actions/<slug:action>/",
        views.enterprise_transition,
        name="enterprise-transition",
    ),
    path("imports/new/", views.import_upload, name="import-upload"),
    path("imports/template.csv", views.import_template, name="import-template"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("imports/<int:pk>/rejects.csv", views.import_rejects, name="import-rejects"),
]
