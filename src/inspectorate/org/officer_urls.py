from django.urls import path

from inspectorate.org import views

app_name = "officers"

urlpatterns = [
    path("", views.officer_list, name="officer-list"),
    path("expiring/", views.expiring, name="expiring"),
    path("<int:pk>/", views.officer_detail, name="officer-detail"),
    path(
        "certificates/<int:pk>/<slug:action>/",
        views.certificate_action,
        name="certificate-action",
    ),
]
