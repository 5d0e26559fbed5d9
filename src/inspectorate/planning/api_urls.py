from django.urls import path

from inspectorate.planning import api

urlpatterns = [
    path("plans/", api.PlanListApi.as_view(), name="api-plan-list"),
    path("plans/<int:pk>/", api.PlanDetailApi.as_view(), name="api-plan-detail"),
    path("plans/<int:pk>/capacity/", api.PlanCapacityApi.as_view(), name="api-plan-capacity"),
    path("plans/<int:pk>/compose/", api.PlanComposeApi.as_view(), name="api-plan-compose"),
    path("plans/<int:pk>/draw/", api.PlanDrawApi.as_view(), name="api-plan-draw"),
    path(
        "plans/<int:pk>/draw/commit/", api.PlanDrawCommitApi.as_view(), name="api-plan-draw-commit"
    ),
    path("plans/<int:pk>/draw/run/", api.PlanDrawRunApi.as_view(), name="api-plan-draw-run"),
    path("plans/<int:pk>/assign/", api.PlanAssignApi.as_view(), name="api-plan-assign"),
    path(
        "plans/<int:pk>/transitions/<slug:action>/",
        api.PlanTransitionApi.as_view(),
        name="api-plan-transition",
    ),
    path(
        "plans/<int:pk>/adjustments/",
        api.PlanAdjustmentsApi.as_view(),
        name="api-plan-adjustments",
    ),
    path("plans/<int:pk>/units/", api.PlanUnitsApi.as_view(), name="api-plan-units"),
    path("plans/<int:pk>/teams/", api.PlanTeamsApi.as_view(), name="api-plan-teams"),
    path(
        "enterprises/<int:pk>/risk-signals/",
        api.EnterpriseRiskSignalsApi.as_view(),
        name="api-enterprise-risk-signals",
    ),
    path("planning/coverage/", api.CoverageApi.as_view(), name="api-planning-coverage"),
    path("public/plans/", api.PublicPlanListApi.as_view(), name="api-public-plan-list"),
    path(
        "public/plans/<int:pk>/",
        api.PublicPlanDetailApi.as_view(),
        name="api-public-plan-detail",
    ),
]
