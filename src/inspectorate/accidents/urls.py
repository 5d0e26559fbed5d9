"""Pages of accidents for the offices (mounted at /accidents/)."""

from django.urls import path

from inspectorate.accidents import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_list, name="accident-list"),
    path("new/", views.accident_new, name="accident-new"),
    path("<int:pk>/", views.accident_detail, name="accident-detail"),
    path("<int:pk>/action/<slug:action>/", views.accident_action, name="accident-action"),
]
