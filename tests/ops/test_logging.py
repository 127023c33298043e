"""Structured logs: JSON lines carrying the request's and the job's id."""

import json
import logging

import pytest

from assistant import logging as ops_logging
from assistant.celery import app

pytestmark = pytest.mark.django_db


def _record(message="hello", **extra):
    record = logging.makeLogRecord({"name": "meetings", "levelname": "INFO", "msg": message,
                                    **extra})
    ops_logging.ContextFilter().filter(record)
    return json.loads(ops_logging.JsonFormatter().format(record))


def test_a_request_gets_an_id_that_reaches_the_logs(client, caplog):
    response = client.get("/health/web")
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    sent = client.get("/health/web", headers={"X-Request-ID": "proxy-1234abcd"})
    assert sent["X-Request-ID"] == "proxy-1234abcd"
    forged = client.get("/health/web", headers={"X-Request-ID": "x\nlevel=ERROR"})
    assert forged["X-Request-ID"] != "x\nlevel=ERROR"


def test_a_line_is_json_with_the_ids():
    token = ops_logging.request_id.set("req-1")
    try:
        entry = _record("uploaded %s", args=("a.wav",), meeting=7)
    finally:
        ops_logging.request_id.reset(token)
    assert entry["message"] == "uploaded a.wav" and entry["level"] == "INFO"
    assert entry["request_id"] == "req-1" and entry["job_id"] is None and entry["meeting"] == 7


def test_a_job_tasks_log_lines_carry_the_job_id():
    task = app.tasks["meetings.minutes"]
    ops_logging._job_started(task_id="celery-1", task=task, args=["3f2b"])
    try:
        assert _record()["job_id"] == "3f2b"
    finally:
        ops_logging._job_ended()
    assert _record()["job_id"] is None


def test_an_unknown_log_format_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="plain or json"):
        ops_logging.logging_config(fmt="xml", level="INFO")
