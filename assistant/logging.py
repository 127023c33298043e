"""Structured logs: one JSON object a line, carrying the request's and the job's id.

LOG_FORMAT=json selects it (docker/ does); the ids are added to plain logs too, so a line
in the web log and one in a worker's can be matched by `request_id` / `job_id`.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("request_id", default="")
job_id: ContextVar[str] = ContextVar("job_id", default="")

# An id a proxy sent is kept only when it looks like one (no log injection).
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class ContextFilter(logging.Filter):
    """Puts the current request and job ids on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.job_id = job_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get() or None,
            "job_id": getattr(record, "job_id", "") or job_id.get() or None,
            "process": record.process,
        }
        extra = {k: v for k, v in vars(record).items()
                 if k not in _STANDARD and k not in entry and not k.startswith("_")}
        for key, value in extra.items():
            entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestIdMiddleware:
    """Gives each request an id (or keeps the proxy's X-Request-ID) and sends it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING setting: plain or JSON lines on stderr, both with the ids."""
    if fmt not in ("plain", "json"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT is {fmt!r}: use plain or json")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "assistant.logging.ContextFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "assistant.logging.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt,
                                 "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }


def _job_started(task_id=None, task=None, args=None, **_) -> None:
    # Job tasks take the Job's id as their only argument (assistant/jobs.py).
    job_id.set(str(args[0]) if args and getattr(task, "job_function", None) else "")
    request_id.set(task_id or "")


def _job_ended(**_) -> None:
    job_id.set("")
    request_id.set("")


def _keep_django_logging(**_) -> None:
    """Celery leaves logging as LOGGING configured it (so workers log JSON too)."""


def connect_worker_signals(*, json_logs: bool) -> None:
    from celery.signals import setup_logging, task_postrun, task_prerun

    task_prerun.connect(_job_started, weak=False)
    task_postrun.connect(_job_ended, weak=False)
    if json_logs:
        setup_logging.connect(_keep_django_logging, weak=False)
