"""Pages of rectification for the offices (mounted at /rectification/)."""

from django.urls import path

from inspectorate.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.order_list, name="order-list"),
    path("<int:pk>/", views.order_detail, name="order-detail"),
    path("<int:pk>/reinspect/", views.order_reinspect, name="order-reinspect"),
    path("<int:pk>/extend/", views.order_extend, name="order-extend"),
    path("<int:pk>/escalate/", views.order_escalate, name="order-escalate"),
]
