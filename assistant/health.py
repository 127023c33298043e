"""Health endpoints for load balancers and orchestrators, and the workers' heartbeats.

/health/web      the web process answers (liveness)
/health/db       the database answers a query
/health/broker   the Celery broker accepts a connection
/health/workers  every queue has a worker whose heartbeat is fresh (WORKER_HEARTBEAT_STALE)
/health/         all of the above; 503 when any fails

A worker writes `worker-heartbeat:<queue>` into the shared cache (Redis, else the database)
every WORKER_HEARTBEAT_SECONDS, so the web process on another machine sees it.
"""

import logging
import socket
import threading
import time

from django.conf import settings
from django.http import JsonResponse

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "worker-heartbeat:{queue}"


def check_web() -> tuple[bool, str]:
    return True, "answering"


def check_db() -> tuple[bool, str]:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"[:200]
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        folder = settings.CELERY_BROKER_FOLDER / "out"
        return (folder.is_dir(), f"filesystem broker in {folder}" if folder.is_dir()
                else f"{folder} is missing: start a worker once, or create it")
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"[:200]
    return True, "redis"


def heartbeats() -> dict[str, dict | None]:
    from django.core.cache import cache

    from assistant.celery import QUEUES

    return {queue: cache.get(HEARTBEAT_KEY.format(queue=queue)) for queue in QUEUES}


def check_workers(queues: list[str] | None = None) -> tuple[bool, dict]:
    """Which queues have a worker seen within WORKER_HEARTBEAT_STALE seconds."""
    now = time.time()
    seen = heartbeats()
    wanted = queues or settings.HEALTH_WORKER_QUEUES
    status = {}
    for queue in wanted:
        beat = seen.get(queue)
        age = now - beat["at"] if beat else None
        status[queue] = {"ok": age is not None and age <= settings.WORKER_HEARTBEAT_STALE,
                         "host": beat["host"] if beat else None,
                         "seconds_ago": round(age, 1) if age is not None else None}
    return all(s["ok"] for s in status.values()), status


CHECKS = {"web": check_web, "db": check_db, "broker": check_broker, "workers": check_workers}


def health(request, check: str = ""):
    """One check, or all of them; 200 when healthy, 503 otherwise (the body says why)."""
    if check and check not in CHECKS:
        return JsonResponse({"ok": False, "error": f"No check {check!r}: use one of "
                                                   f"{', '.join(CHECKS)}."}, status=404)
    names = [check] if check else list(CHECKS)
    results = {}
    for name in names:
        ok, detail = CHECKS[name]()
        results[name] = {"ok": ok, "detail": detail}
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse({"ok": healthy, "checks": results}, status=200 if healthy else 503)


def heartbeat_beat(queues: list[str], host: str) -> None:
    """Write one heartbeat for each queue this worker consumes."""
    from django.core.cache import cache

    from assistant.celery import QUEUES, queue_name

    names = {queue_name(q): q for q in QUEUES}
    for queue in queues:
        plain = names.get(queue, queue)
        cache.set(HEARTBEAT_KEY.format(queue=plain), {"host": host, "at": time.time()},
                  timeout=settings.WORKER_HEARTBEAT_STALE * 4)


def _start_heartbeat(sender=None, **_) -> None:
    queues = list(sender.app.amqp.queues.consume_from or {}) if sender else []
    host = getattr(sender, "hostname", "") or socket.gethostname()

    def run() -> None:
        from django.db import connection

        while True:
            try:
                heartbeat_beat(queues, host)
            except Exception:  # the cache is away for a moment: the next beat tries again
                log.warning("worker heartbeat not written", exc_info=True)
            finally:
                connection.close()
            time.sleep(settings.WORKER_HEARTBEAT_SECONDS)

    threading.Thread(target=run, name="worker-heartbeat", daemon=True).start()


def connect_worker_signals() -> None:
    from celery.signals import worker_ready

    worker_ready.connect(_start_heartbeat, weak=False)
