"""API of the assessment app (under /api/v1/)."""

from django.urls import path

from inspectorate.assessment import api

urlpatterns = [
    path("assessment/offices/", api.OfficesApi.as_view(), name="api-assessment-offices"),
    path(
        "assessment/offices/<int:agency>/<int:year>/",
        api.OfficeApi.as_view(),
        name="api-assessment-office",
    ),
    path(
        "assessment/offices/<int:agency>/<int:year>/compute/",
        api.ComputeApi.as_view(),
        name="api-assessment-compute",
    ),
    path(
        "assessment/offices/<int:agency>/<int:year>/confirm/",
        api.ConfirmApi.as_view(),
        name="api-assessment-confirm",
    ),
    path("assessment/results/<int:pk>/", api.ResultApi.as_view(), name="api-assessment-result"),
    path("assessment/schemes/", api.SchemesApi.as_view(), name="api-assessment-schemes"),
]
