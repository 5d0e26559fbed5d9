"""Pages of the planning module for signed-in staff (the public pages: ``public_urls``)."""

from django.urls import path

from inspectorate.planning import views, views_classification

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("coverage/", views.coverage, name="coverage"),
    path("classification/", views_classification.classification, name="classification"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/actions/<slug:action>/", views.plan_action, name="plan-action"),
    path("<int:pk>/capacity/", views.plan_capacity, name="plan-capacity"),
    path("<int:pk>/compose/", views.plan_compose, name="plan-compose"),
    path("<int:pk>/draw/commit/", views.draw_commit, name="draw-commit"),
    path("<int:pk>/draw/run/", views.draw_execute, name="draw-execute"),
    path("<int:pk>/assign/", views.plan_assign, name="plan-assign"),
    path("<int:pk>/adjust/", views.plan_adjust, name="plan-adjust"),
    path(
        "<int:pk>/officers/<int:officer_id>/",
        views.officer_calendar,
        name="officer-calendar",
    ),
]
