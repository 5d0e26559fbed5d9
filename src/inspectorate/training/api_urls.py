from django.urls import path

from inspectorate.training import api

urlpatterns = [
    path("training/library/", api.LibraryListApi.as_view(), name="api-training-library-list"),
    path(
        "training/library/<int:pk>/",
        api.LibraryDetailApi.as_view(),
        name="api-training-library-detail",
    ),
    path(
        "training/library/<int:pk>/comments/",
        api.LibraryCommentApi.as_view(),
        name="api-training-library-comment",
    ),
]
