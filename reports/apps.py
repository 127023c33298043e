from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from assistant import navigation
        from assistant.models import Role

        from . import records_tasks, tasks  # noqa: F401 - register the draft and dictation jobs

        navigation.register("Daily report", "report-today", order=6)
        navigation.register("Drafts", "draft-list", order=30)
        navigation.register("Team reports", "report-team-day", min_role=Role.MANAGER, order=22)
        navigation.register("Drafting style", "draft-style", min_role=Role.ADMIN, order=80)
        navigation.register("Records", "record-list", order=32)
        navigation.register("Record templates", "record-templates", min_role=Role.ADMIN, order=82)
