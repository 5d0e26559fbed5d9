"""Public pages of the planning module: approved and filed plans, no sign-in (执法公示)."""

from django.urls import path

from inspectorate.planning import views

app_name = "public_plans"
urlpatterns = [
    path("", views.public_plan_list, name="plan-list"),
    path("<int:pk>/", views.public_plan_detail, name="plan-detail"),
    path("<int:pk>/draw.json", views.public_draw_json, name="draw-json"),
]
