"""Pages of the oversight of lower levels (mounted at /oversight/)."""

from django.urls import path

from inspectorate.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/<slug:metric>/", views.dashboard_list, name="dashboard-list"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/new/", views.order_new, name="order-new"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="order-action"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/new/<int:case_id>/", views.review_new, name="review-new"),
    path("reviews/results/", views.review_results, name="review-results"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("missed/", views.missed, name="missed"),
    path("inaction/", views.inaction, name="inaction"),
]
