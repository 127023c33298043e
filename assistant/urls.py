from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path

from . import health, metrics, views, views_chat, views_kb, views_models

# The Django admin sits behind the same login (and second factor) as the app.
admin.site.login = staff_member_required(admin.site.login, login_url="account_login")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("profile/", views.profile, name="profile"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
    path("teams/new/", views.team_new, name="team-new"),
    path("teams/switch/", views.team_switch, name="team-switch"),
    path("team/settings/", views.team_settings, name="team-settings"),
    path("team/members/", views.members, name="members"),
    path("team/members/<int:pk>/role/", views.member_role, name="member-role"),
    path("team/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("team/invitations/new/", views.invitation_new, name="invitation-new"),
    path("team/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("team/jobs/", views.jobs, name="jobs"),
    path("team/jobs/check/", views.worker_check, name="worker-check"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/cancel/", views.job_cancel_view, name="job-cancel"),
    path("jobs/<uuid:pk>/retry/", views.job_retry_view, name="job-retry"),
    path("team/knowledge/", views_kb.kb_list, name="kb-list"),
    path("team/knowledge/<int:pk>/delete/", views_kb.kb_delete, name="kb-delete"),
    path("team/knowledge/passages/<int:pk>/", views_kb.kb_passage, name="kb-passage"),
    path("team/models/", views_models.models_page, name="models"),
    path("team/models/slot/", views_models.model_slot_edit, name="model-slot-edit"),
    path("team/models/test/", views_models.model_slot_test, name="model-slot-test"),
    path("team/models/glossary/", views_models.model_glossary, name="model-glossary"),
    path("team/models/prompt/", views_models.model_prompt, name="model-prompt"),
    path("team/models/finetune/", views_models.finetune_list, name="finetune-list"),
    path("team/models/finetune/base/", views_models.finetune_base, name="finetune-base"),
    path("team/models/finetune/<int:pk>/", views_models.finetune_detail, name="finetune-detail"),
    path("team/models/finetune/<int:pk>/use/", views_models.finetune_use, name="finetune-use"),
    path("assistant/", views_chat.chat, name="chat"),
    path("assistant/messages/<int:pk>/", views_chat.chat_message, name="chat-message"),
    path("assistant/messages/<int:pk>/stream/", views_chat.chat_stream, name="chat-stream"),
    path("meetings/", include("meetings.urls")),
    path("reports/", include("reports.urls")),
    path("learning/", include("learning.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("api.urls")),
    path("health/", health.health, name="health"),
    path("health/<str:check>", health.health, name="health-check"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
