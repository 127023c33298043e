from django.urls import path

from . import views, views_speakers

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_upload, name="meeting-upload"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/edit/", views.meeting_update, name="meeting-update"),
    path("<int:pk>/status/", views.meeting_status, name="meeting-status"),
    path("<int:pk>/delete/", views.meeting_delete, name="meeting-delete"),
    path("<int:pk>/retranscribe/", views.meeting_retranscribe, name="meeting-retranscribe"),
    path("<int:pk>/audio/", views.meeting_audio, name="meeting-audio"),
    path("<int:pk>/export/<str:fmt>/", views.meeting_export, name="meeting-export"),
    path("segments/<int:pk>/edit/", views.segment_edit, name="segment-edit"),
    path("segments/<int:pk>/history/", views.segment_history, name="segment-history"),
    path("speakers/<int:pk>/rename/", views_speakers.speaker_rename, name="speaker-rename"),
    path("speakers/<int:pk>/merge/", views_speakers.speaker_merge, name="speaker-merge"),
    path("voice/", views_speakers.voice, name="voice"),
    path("voice/delete/", views_speakers.voice_delete, name="voice-delete"),
]
