"""Pages of the exams app (mounted at /exams/)."""

from django.urls import path

from inspectorate.exams import views

app_name = "exams"
urlpatterns = [
    path("", views.exam_list, name="exam-list"),
    path("questions/", views.question_list, name="question-list"),
    path("questions/add/", views.question_add, name="question-add"),
    path("questions/<int:pk>/", views.question_edit, name="question-edit"),
    path("questions/<int:pk>/state/", views.question_state, name="question-state"),
    path("new/", views.exam_add, name="exam-add"),
    path("<int:pk>/", views.exam_detail, name="exam-detail"),
    path("<int:pk>/edit/", views.exam_edit, name="exam-edit"),
    path(
        "<int:pk>/publish/",
        views.exam_transition,
        {"action": "publish"},
        name="exam-publish",
    ),
    path("<int:pk>/close/", views.exam_transition, {"action": "close"}, name="exam-close"),
    path("<int:pk>/results/", views.exam_results, name="exam-results"),
    path("<int:pk>/start/", views.attempt_start, name="attempt-start"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt"),
    path("attempts/<int:pk>/answer/", views.attempt_answer, name="attempt-answer"),
    path("attempts/<int:pk>/mark/", views.attempt_mark, name="attempt-mark"),
    path("marking/", views.marking_queue, name="marking"),
]
