from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "assistant"
    verbose_name = "Team Assistant"

    def ready(self) -> None:
        from django.conf import settings

        from . import navigation, tasks  # noqa: F401 - tasks registers the job kinds

        for folder in (settings.VAR_DIR, settings.STATIC_ROOT, settings.MEDIA_ROOT):
            folder.mkdir(parents=True, exist_ok=True)
        from .models import Role

        navigation.register("Home", "home", order=0)
        navigation.register("Members", "members", min_role=Role.ADMIN, order=80)
        navigation.register("Team settings", "team-settings", min_role=Role.ADMIN, order=85)
        navigation.register("Jobs", "jobs", min_role=Role.ADMIN, order=90)
        from . import tasks_kb  # noqa: F401 - knowledge base and team models jobs

        navigation.register("Assistant", "chat", order=3)
        navigation.register("Knowledge base", "kb-list", order=60)
        navigation.register("Team models", "models", min_role=Role.ADMIN, order=87)
