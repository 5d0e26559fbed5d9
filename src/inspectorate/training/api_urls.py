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
    path("training/courses/", api.CourseListApi.as_view(), name="api-training-course-list"),
    path(
        "training/courses/<int:pk>/",
        api.CourseDetailApi.as_view(),
        name="api-training-course-detail",
    ),
    path("training/sessions/", api.SessionListApi.as_view(), name="api-training-session-list"),
    path(
        "training/sessions/<int:pk>/",
        api.SessionDetailApi.as_view(),
        name="api-training-session-detail",
    ),
    path(
        "training/sessions/<int:pk>/transition/",
        api.SessionTransitionApi.as_view(),
        name="api-training-session-transition",
    ),
    path(
        "training/sessions/<int:pk>/attendance/",
        api.SessionAttendanceApi.as_view(),
        name="api-training-session-attendance",
    ),
    path(
        "training/sessions/<int:pk>/notes/",
        api.SessionNotesApi.as_view(),
        name="api-training-session-notes",
    ),
    path(
        "training/plans/<int:agency>/<int:year>/",
        api.PlanApi.as_view(),
        name="api-training-plan",
    ),
    path("training/progress/", api.ProgressApi.as_view(), name="api-training-progress"),
    path(
        "training/progress/<int:pk>/",
        api.OfficerProgressApi.as_view(),
        name="api-training-officer-progress",
    ),
]
