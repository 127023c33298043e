from django.urls import path

from . import views, views_reports

urlpatterns = [
    path("drafts/", views.draft_list, name="draft-list"),
    path("drafts/email/", views.draft_email, name="draft-email"),
    path("drafts/reply/", views.draft_reply, name="draft-reply"),
    path("drafts/feedback/", views.draft_feedback, name="draft-feedback"),
    path("drafts/followup/<int:pk>/", views.draft_followup, name="draft-followup"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft-detail"),
    path("drafts/<int:pk>/stream/", views.draft_stream, name="draft-stream"),
    path("drafts/<int:pk>/stop/", views.draft_stop, name="draft-stop"),
    path("drafts/<int:pk>/send/", views.draft_send, name="draft-send"),
    path("drafts/<int:pk>/share/", views.draft_share, name="draft-share"),
    path("drafts/<int:pk>/delete/", views.draft_delete, name="draft-delete"),
    path("style/", views.draft_style, name="draft-style"),
    path("daily/", views_reports.report_today, name="report-today"),
    path("daily/day/", views_reports.report_day, name="report-day"),
    path("daily/<int:pk>/", views_reports.report_detail, name="report-detail"),
    path("daily/<int:pk>/submit/", views_reports.report_submit, name="report-submit"),
    path("team/", views_reports.report_team_day, name="report-team-day"),
    path("team/week/", views_reports.report_team_week, name="report-team-week"),
]
