from django.urls import path

from . import records_views, views, views_reports

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
    # Dictation to records (issue #14)
    path("records/", records_views.record_list, name="record-list"),
    path("records/<int:pk>/", records_views.record_detail, name="record-detail"),
    path("records/<int:pk>/status/", records_views.record_status, name="record-status"),
    path("records/<int:pk>/delete/", records_views.record_delete, name="record-delete"),
    path("records/templates/", records_views.template_list, name="record-templates"),
    path("records/templates/new/", records_views.template_new, name="record-template-new"),
    path("records/templates/<int:pk>/edit/", records_views.template_edit,
         name="record-template-edit"),
    path("records/templates/<int:pk>/dictate/", records_views.record_dictate,
         name="record-dictate"),
    path("records/templates/<int:pk>/export/<str:fmt>/", records_views.record_export,
         name="record-export"),
]
