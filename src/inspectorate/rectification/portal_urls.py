"""The enterprise portal (mounted at /portal/): its orders, reports and documents."""

from django.urls import path

from inspectorate.rectification import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("orders/<int:pk>/", views.portal_order, name="order"),
]
