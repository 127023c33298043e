from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self) -> None:
        from celery.schedules import crontab

        from assistant import navigation
        from assistant.celery import app
        from assistant.models import Role

        from . import tasks  # noqa: F401 - registers the learning job kinds

        navigation.register("Learning", "learning-home", order=8)
        navigation.register("Team skills", "learning-team", min_role=Role.MANAGER, order=24)
        # Weekly, early on Monday: suggestions reflect last week's to-dos and meetings.
        app.conf.beat_schedule["learning-weekly"] = {
            "task": "learning.recompute_weekly",
            "schedule": crontab(day_of_week="mon", hour=5, minute=0)}
