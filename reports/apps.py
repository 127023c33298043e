from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from assistant import navigation
        from assistant.models import Role

        from . import tasks  # noqa: F401 - registers the draft job kind

        navigation.register("Daily report", "report-today", order=6)
        navigation.register("Drafts", "draft-list", order=30)
        navigation.register("Team reports", "report-team-day", min_role=Role.MANAGER, order=22)
        navigation.register("Drafting style", "draft-style", min_role=Role.ADMIN, order=80)
