from django.urls import path

from inspectorate.accidents import api

urlpatterns = [
    path("accidents/", api.AccidentListApi.as_view(), name="api-accident-list"),
    path("accidents/<int:pk>/", api.AccidentDetailApi.as_view(), name="api-accident-detail"),
    path(
        "accidents/<int:pk>/actions/", api.AccidentActionApi.as_view(), name="api-accident-action"
    ),
]
