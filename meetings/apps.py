from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from celery.schedules import crontab

        from assistant import navigation
        from assistant.celery import app
        from assistant.models import Role

        from . import tasks  # noqa: F401 - registers the meeting job kinds

        navigation.register("Meetings", "meeting-list", order=10)
        navigation.register_profile_link("Your voice, so meetings show your name", "voice")
        app.conf.beat_schedule["purge-recordings"] = {
            "task": "meetings.purge_recordings", "schedule": 3600.0}
        app.conf.beat_schedule["todo-digest"] = {
            "task": "meetings.todo_digest", "schedule": crontab(hour=7, minute=0)}
        navigation.register("My to-dos", "my-todos", order=5)
        navigation.register("Live rooms", "room-list", order=12)
        navigation.register("Team board", "todo-board", min_role=Role.MANAGER, order=20)
