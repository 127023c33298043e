import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")
django_application = get_asgi_application()

from assistant.limits import BodySizeLimit  # noqa: E402 - needs the settings loaded

application = BodySizeLimit(django_application)
