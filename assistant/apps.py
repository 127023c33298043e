from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "assistant"
    verbose_name = "Team Assistant"

    def ready(self) -> None:
        from . import navigation
        from .models import Role

        navigation.register("Home", "home", order=0)
        navigation.register("Members", "members", min_role=Role.ADMIN, order=80)
        navigation.register("Jobs", "jobs", min_role=Role.ADMIN, order=90)
