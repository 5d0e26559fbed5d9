from django.urls import path

from inspectorate.referrals import api

urlpatterns = [
    path("referral-flags/", api.FlagListApi.as_view(), name="api-referral-flag-list"),
    path(
        "referral-flags/<int:pk>/dismiss/",
        api.FlagDismissApi.as_view(),
        name="api-referral-flag-dismiss",
    ),
    path("referrals/", api.ReferralListApi.as_view(), name="api-referral-list"),
    path("referrals/audit/", api.AuditApi.as_view(), name="api-referral-audit"),
    path("referrals/<int:pk>/", api.ReferralDetailApi.as_view(), name="api-referral-detail"),
    path(
        "referrals/<int:pk>/actions/", api.ReferralActionApi.as_view(), name="api-referral-action"
    ),
]
