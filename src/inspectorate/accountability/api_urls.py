from django.urls import path

from inspectorate.accountability import api

urlpatterns = [
    path(
        "accountability/items/",
        api.ItemListApi.as_view(),
        name="api-accountability-item-list",
    ),
    path(
        "accountability/items/<int:pk>/",
        api.ItemDetailApi.as_view(),
        name="api-accountability-item-detail",
    ),
    path(
        "accountability/items/<int:pk>/review/",
        api.ItemReviewApi.as_view(),
        name="api-accountability-item-review",
    ),
    path(
        "accountability/items/<int:pk>/conclude/",
        api.ItemConcludeApi.as_view(),
        name="api-accountability-item-conclude",
    ),
    path("accountability/scan/", api.ScanApi.as_view(), name="api-accountability-scan"),
    path("accountability/matrix/", api.MatrixApi.as_view(), name="api-accountability-matrix"),
    path(
        "accountability/duties/",
        api.DutyDefineApi.as_view(),
        name="api-accountability-duty-define",
    ),
    path(
        "accountability/summary/",
        api.SummaryApi.as_view(),
        name="api-accountability-summary",
    ),
]
