"""Pages of penalty cases for the offices (mounted at /cases/)."""

from django.urls import path

from inspectorate.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("list/", views.case_list, name="case-list"),
    path("new/", views.case_new, name="case-new"),
    path("calculator/", views.calculator, name="calculator"),
    path("simple/", views.simple_new, name="simple-new"),
    path("outliers/", views.outliers, name="outliers"),
    path(
        "outliers/<int:fid>/acknowledge/",
        views.outlier_acknowledge,
        name="outlier-acknowledge",
    ),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/action/<slug:action>/", views.case_action, name="case-action"),
    path("<int:pk>/violations/", views.violation_add, name="case-violation-add"),
    path(
        "<int:pk>/violations/<int:vid>/delete/",
        views.violation_remove,
        name="case-violation-remove",
    ),
    path("<int:pk>/evidence/", views.evidence_add, name="case-evidence-add"),
    path("<int:pk>/interviews/", views.interview_add, name="case-interview-add"),
    path("<int:pk>/hearing/", views.hearing_schedule, name="case-hearing-schedule"),
    path("<int:pk>/statements/", views.statement_add, name="case-statement-add"),
    path("<int:pk>/payments/", views.payment_add, name="case-payment-add"),
    path("<int:pk>/arrangement/", views.arrangement_add, name="case-arrangement"),
    path("<int:pk>/suspension/", views.suspension_start, name="case-suspension-start"),
    path("<int:pk>/suspension/end/", views.suspension_end, name="case-suspension-end"),
    path("<int:pk>/challenges/", views.challenge_record, name="case-challenge-record"),
    path(
        "<int:pk>/challenges/<int:cid>/decide/",
        views.challenge_decide,
        name="case-challenge-decide",
    ),
    path("<int:pk>/remind/", views.remind, name="case-remind"),
    path("<int:pk>/decision-pause/", views.decision_pause, name="case-decision-pause"),
    path("<int:pk>/extend/", views.extend, name="case-extend"),
]
