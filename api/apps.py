from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API for integrations: personal access tokens and outgoing webhooks."""

    name = "api"

    def ready(self) -> None:
        from assistant import navigation
        from assistant.celery import app

        from . import tasks  # noqa: F401 - registers the webhook delivery task

        app.conf.beat_schedule["resend-webhooks"] = {"task": "api.resend_webhooks",
                                                     "schedule": 600.0}

        navigation.register_profile_link(
            "API tokens, for programs that work with your meetings and to-dos", "api-tokens")
