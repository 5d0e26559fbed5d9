"""Pages of the legal app (mounted at /legal/)."""

from django.urls import path

from inspectorate.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.law_list, name="law-list"),
    path("laws/add/", views.law_add, name="law-add"),
    path("laws/<slug:code>/", views.law_detail, name="law-detail"),
    path("laws/<slug:code>/compare/", views.compare, name="compare"),
    path("laws/<slug:code>/versions/add/", views.version_add, name="version-add"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("study/", views.study_list, name="study-list"),
    path("study/<int:pk>/", views.study_detail, name="study-detail"),
    path("study/<int:pk>/complete/", views.study_complete, name="study-complete"),
    path("completion/", views.completion_list, name="completion-list"),
    path("completion/<int:pk>/", views.completion, name="completion"),
]
