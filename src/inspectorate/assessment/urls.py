"""Pages of the assessment app (mounted at /assessment/)."""

from django.urls import path

from inspectorate.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.report, name="report"),
    path("offices/", views.offices, name="offices"),
    path("scheme/", views.scheme, name="scheme"),
    path("office/<int:agency>/<int:year>/", views.office, name="office"),
    path("office/<int:agency>/<int:year>/compute/", views.compute, name="compute"),
    path("office/<int:agency>/<int:year>/confirm/", views.confirm, name="confirm"),
    path("office/<int:agency>/<int:year>/export.csv", views.export, name="export"),
    path("office/<int:agency>/<int:year>/report.docx", views.export_docx, name="export-docx"),
    path("results/<int:pk>/", views.result, name="result"),
]
