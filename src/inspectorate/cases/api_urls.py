from django.urls import path

from inspectorate.cases import api, challenge_api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/actions/", api.CaseActionApi.as_view(), name="api-case-action"),
    path("cases/<int:pk>/violations/", api.CaseViolationsApi.as_view(), name="api-case-violations"),
    path("cases/<int:pk>/statements/", api.CaseStatementsApi.as_view(), name="api-case-statements"),
    path("cases/<int:pk>/payments/", api.CasePaymentsApi.as_view(), name="api-case-payments"),
    path(
        "cases/<int:pk>/challenges/",
        challenge_api.CaseChallengesApi.as_view(),
        name="api-case-challenges",
    ),
    path(
        "cases/<int:pk>/challenges/<int:cid>/decide/",
        challenge_api.CaseChallengeDecideApi.as_view(),
        name="api-case-challenge-decide",
    ),
    path("discretion/", api.DiscretionApi.as_view(), name="api-discretion"),
]
