from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from assistant import navigation
        from assistant.celery import app

        from . import tasks  # noqa: F401 - registers the meeting job kinds

        navigation.register("Meetings", "meeting-list", order=10)
        navigation.register_profile_link("Your voice, so meetings show your name", "voice")
        app.conf.beat_schedule["purge-recordings"] = {
            "task": "meetings.purge_recordings", "schedule": 3600.0}
