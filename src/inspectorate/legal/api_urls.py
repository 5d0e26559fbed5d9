"""API of the legal app (under /api/v1/)."""

from django.urls import path

from inspectorate.legal import api

urlpatterns = [
    path("legal/laws/", api.LawListApi.as_view(), name="api-legal-law-list"),
    path("legal/laws/<slug:code>/", api.LawDetailApi.as_view(), name="api-legal-law-detail"),
    path(
        "legal/laws/<slug:code>/versions/",
        api.VersionListApi.as_view(),
        name="api-legal-version-list",
    ),
    path(
        "legal/laws/<slug:code>/versions/<int:pk>/",
        api.VersionDetailApi.as_view(),
        name="api-legal-version-detail",
    ),
    path("legal/laws/<slug:code>/compare/", api.CompareApi.as_view(), name="api-legal-compare"),
    path("legal/articles/", api.ArticleListApi.as_view(), name="api-legal-article-list"),
    path(
        "legal/articles/<int:pk>/", api.ArticleDetailApi.as_view(), name="api-legal-article-detail"
    ),
    path("legal/study/", api.StudyListApi.as_view(), name="api-legal-study-list"),
    path("legal/study/<int:pk>/", api.StudyDetailApi.as_view(), name="api-legal-study-detail"),
    path(
        "legal/study/<int:pk>/complete/",
        api.StudyCompleteApi.as_view(),
        name="api-legal-study-complete",
    ),
    path("legal/completion/<int:pk>/", api.CompletionApi.as_view(), name="api-legal-completion"),
]
