"""Pages of crime transfers for the offices (mounted at /referrals/)."""

from django.urls import path

from inspectorate.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("audit/", views.audit, name="audit"),
    path("flags/new/", views.flag_new, name="flag-new"),
    path("flags/<int:pk>/", views.flag_detail, name="flag-detail"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path("flags/<int:pk>/refer/", views.flag_refer, name="flag-refer"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("<int:pk>/action/<slug:action>/", views.referral_action, name="referral-action"),
]
