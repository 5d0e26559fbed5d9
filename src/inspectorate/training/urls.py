"""Pages of the training app (mounted at /training/): the case library at the root (its
list is ``/training/``), training under courses/, sessions/, plan/ and progress/."""

from django.urls import path

from inspectorate.training import course_views, views

app_name = "training"
urlpatterns = [
    path("", views.library_list, name="library-list"),
    path("library/add/", views.library_add, name="library-add"),
    path("library/<int:pk>/", views.library_detail, name="library-detail"),
    path("library/<int:pk>/comment/", views.library_comment, name="library-comment"),
    path("courses/", course_views.course_list, name="course-list"),
    path("courses/add/", course_views.course_add, name="course-add"),
    path("courses/<int:pk>/", course_views.course_detail, name="course-detail"),
    path("courses/<int:pk>/sessions/add/", course_views.session_add, name="session-add"),
    path("sessions/<int:pk>/", course_views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", course_views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/action/", course_views.session_action, name="session-action"),
    path(
        "sessions/<int:pk>/attendance/",
        course_views.session_attendance,
        name="session-attendance",
    ),
    path("sessions/<int:pk>/notes/", course_views.session_note, name="session-note"),
    path("plan/", course_views.plan, name="plan"),
    path("progress/", course_views.progress, name="progress"),
    path("progress/officers/<int:pk>/", course_views.progress_officer, name="progress-officer"),
]
