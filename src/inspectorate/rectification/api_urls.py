from django.urls import path

from inspectorate.rectification import api

urlpatterns = [
    path("rectification-orders/", api.OrderListApi.as_view(), name="api-order-list"),
    path("rectification-orders/<int:pk>/", api.OrderDetailApi.as_view(), name="api-order-detail"),
    path(
        "rectification-orders/<int:pk>/submissions/",
        api.OrderSubmissionsApi.as_view(),
        name="api-order-submissions",
    ),
    path(
        "rectification-orders/<int:pk>/reinspection/",
        api.OrderReinspectionApi.as_view(),
        name="api-order-reinspection",
    ),
    path(
        "rectification-orders/<int:pk>/extend/",
        api.OrderExtendApi.as_view(),
        name="api-order-extend",
    ),
    path(
        "rectification-orders/<int:pk>/escalate/",
        api.OrderEscalateApi.as_view(),
        name="api-order-escalate",
    ),
]
