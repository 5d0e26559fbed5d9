"""The enterprise portal (mounted at /portal/): its orders, reports and documents, and its
penalty cases (from the notice of the intended penalty on)."""

from django.urls import path

from inspectorate.cases import views as case_views
from inspectorate.rectification import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("orders/<int:pk>/", views.portal_order, name="order"),
    path("cases/<int:pk>/", case_views.portal_case, name="case"),
    path(
        "cases/<int:pk>/documents/<int:doc>.<str:ext>",
        case_views.portal_case_document,
        name="case-document",
    ),
]
