"""Pages of accountability for the offices (mounted at /accountability/)."""

from django.urls import path

from inspectorate.accountability import views

app_name = "accountability"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("scan/", views.scan, name="scan"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/define/", views.duty_define, name="duty-define"),
    path("summary/", views.summary, name="summary"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("<int:pk>/review/", views.item_review, name="item-review"),
    path("<int:pk>/conclude/", views.item_conclude, name="item-conclude"),
]
