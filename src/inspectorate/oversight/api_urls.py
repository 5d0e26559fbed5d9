from django.urls import path

from inspectorate.oversight import api

urlpatterns = [
    path("oversight/dashboard/", api.DashboardApi.as_view(), name="api-oversight-dashboard"),
    path("oversight/orders/", api.OrderListApi.as_view(), name="api-oversight-order-list"),
    path(
        "oversight/orders/<int:pk>/",
        api.OrderDetailApi.as_view(),
        name="api-oversight-order-detail",
    ),
    path(
        "oversight/orders/<int:pk>/actions/",
        api.OrderActionApi.as_view(),
        name="api-oversight-order-action",
    ),
    path("oversight/reviews/", api.ReviewListApi.as_view(), name="api-oversight-review-list"),
    path(
        "oversight/reviews/<int:pk>/",
        api.ReviewDetailApi.as_view(),
        name="api-oversight-review-detail",
    ),
    path(
        "oversight/review-results/",
        api.ReviewResultsApi.as_view(),
        name="api-oversight-review-results",
    ),
    path("oversight/sheets/", api.SheetListApi.as_view(), name="api-oversight-sheet-list"),
    path(
        "oversight/sheets/publish/",
        api.SheetPublishApi.as_view(),
        name="api-oversight-sheet-publish",
    ),
    path("oversight/missed/", api.MissedApi.as_view(), name="api-oversight-missed"),
    path("oversight/inaction/", api.InactionApi.as_view(), name="api-oversight-inaction"),
]
