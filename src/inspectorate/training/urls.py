"""Pages of the training app (mounted at /training/)."""

from django.urls import path

from inspectorate.training import views

app_name = "training"
urlpatterns = [
    path("", views.library_list, name="library-list"),
    path("library/add/", views.library_add, name="library-add"),
    path("library/<int:pk>/", views.library_detail, name="library-detail"),
    path("library/<int:pk>/comment/", views.library_comment, name="library-comment"),
]
