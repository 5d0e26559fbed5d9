"""API of the exams app (under /api/v1/)."""

from django.urls import path

from inspectorate.exams import api

urlpatterns = [
    path("exams/questions/", api.QuestionListApi.as_view(), name="api-exams-question-list"),
    path(
        "exams/questions/<int:pk>/",
        api.QuestionDetailApi.as_view(),
        name="api-exams-question-detail",
    ),
    path(
        "exams/questions/<int:pk>/state/",
        api.QuestionStateApi.as_view(),
        name="api-exams-question-state",
    ),
    path("exams/", api.ExamListApi.as_view(), name="api-exams-exam-list"),
    path("exams/<int:pk>/", api.ExamDetailApi.as_view(), name="api-exams-exam-detail"),
    path(
        "exams/<int:pk>/publish/",
        api.ExamTransitionApi.as_view(action="publish"),
        name="api-exams-exam-publish",
    ),
    path(
        "exams/<int:pk>/close/",
        api.ExamTransitionApi.as_view(action="close"),
        name="api-exams-exam-close",
    ),
    path("exams/<int:pk>/results/", api.ExamResultsApi.as_view(), name="api-exams-exam-results"),
    path("exams/<int:pk>/attempts/", api.AttemptStartApi.as_view(), name="api-exams-attempt-start"),
    path("exams/attempts/", api.MyAttemptsApi.as_view(), name="api-exams-attempt-mine"),
    path(
        "exams/attempts/<int:pk>/", api.AttemptDetailApi.as_view(), name="api-exams-attempt-detail"
    ),
    path(
        "exams/attempts/<int:pk>/answers/",
        api.AttemptAnswersApi.as_view(),
        name="api-exams-attempt-answers",
    ),
    path(
        "exams/attempts/<int:pk>/submit/",
        api.AttemptSubmitApi.as_view(),
        name="api-exams-attempt-submit",
    ),
    path(
        "exams/attempts/<int:pk>/mark/", api.AttemptMarkApi.as_view(), name="api-exams-attempt-mark"
    ),
    path("exams/marking/", api.MarkingQueueApi.as_view(), name="api-exams-marking"),
]
