"""Timing of drafts on the production path: uvicorn, a Celery text worker, the event stream.

Used by `bench.drafts_eval` (see there); on its own: `.venv/bin/python -m bench.drafts_timing`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.drafts_eval import ROOT, django_setup, load_cases


class Stack:
    """uvicorn (web, no models) + one Celery text worker, on a throwaway database."""

    def __init__(self, folder: Path, redis_url: str = "") -> None:
        import socket
        import uuid

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.prefix = f"bench-{uuid.uuid4().hex[:6]}-"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
                    "VAR_DIR": str(folder), "MEDIA_DIR": str(folder / "media"),
                    "CELERY_QUEUE_PREFIX": self.prefix, "REDIS_URL": redis_url,
                    "DJANGO_SETTINGS_MODULE": "assistant.settings", "LOG_LEVEL": "WARNING"}
        self.processes: list[Any] = []

    def start(self) -> None:
        import subprocess

        run = {"cwd": ROOT, "env": self.env}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, **run)
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "assistant", "worker", "-Q",
             f"{self.prefix}text", "--concurrency", "1", "--pool", "prefork",
             "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
            start_new_session=True, **run))
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "assistant.asgi:application", "--port",
             str(self.port), "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
            start_new_session=True, cwd=ROOT, env={**self.env, "ASSISTANT_PROCESS": "web"}))

    def stop(self) -> None:
        import signal
        import subprocess

        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:  # a warm shutdown that does not end
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


class Browser:
    """Just enough of a browser: a session cookie, the CSRF token, redirects, an event stream."""

    def __init__(self, base: str, session: str) -> None:
        self.base, self.cookies = base, {"sessionid": session}

    def _open(self, path: str, data: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": self.base + path}
        body = None
        if data is not None:
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            body = urllib.parse.urlencode(data, doseq=True).encode()
        # Our own server on 127.0.0.1 only.
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=120)
        except urllib.error.HTTPError as exc:
            if exc.code not in (301, 302, 303):
                raise
            response = exc
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response

    def get(self, path: str) -> str:
        return self._open(path).read().decode()

    def post(self, path: str, data: dict) -> str:
        """The address the form redirects to."""
        return self._open(path, data).headers["Location"]

    def events(self, path: str):
        """(seconds since opening, event name, data) as the server sends them."""
        response = self._open(path)
        name = ""
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                yield name, json.loads(line[6:])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand the 302 back: the benchmark follows it itself, as a browser's next request."""

    def redirect_request(self, *args, **kwargs):
        return None


def timing(runs: int, redis_url: str = "", threads: tuple[str, ...] = ("",)) -> dict[str, Any]:
    """Drafts started by POST, read back through the page and its event stream; once per
    MODEL_THREADS setting of the worker ("" leaves the environment's)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="drafts-bench-"))
    stack = Stack(folder, redis_url)
    os.environ.update({k: stack.env[k] for k in ("DATABASE_URL", "VAR_DIR", "REDIS_URL",
                                                 "CELERY_QUEUE_PREFIX", "MEDIA_DIR")})
    django_setup()
    from django.test import Client

    from assistant.models import Membership, Organisation, Role, Team, User
    from reports.models import Draft

    out: dict[str, Any] = {"broker": "Redis" if redis_url else "filesystem (Kombu, 1 s polling)",
                           "settings": {}}
    for setting in threads:
        stack.env["MODEL_THREADS"] = setting or os.environ.get("MODEL_THREADS", "2")
        stack.start()
        try:
            if not Team.objects.exists():
                org = Organisation.objects.create(name="Bench")
                team = Team.objects.create(organisation=org, name="Bench", slug="bench")
                user = User.objects.create_user("jonas@example.com", "x", name="Jonas Berg")
                Membership.objects.create(user=user, team=team, role=Role.EMPLOYEE)
            client = Client()
            client.force_login(User.objects.get())
            browser = Browser(f"http://127.0.0.1:{stack.port}",
                              client.cookies["sessionid"].value)
            _wait_for_web(browser)
            emails = [c for c in load_cases() if c["kind"] == "email"]
            load = os.getloadavg()[0]
            results = [_one_draft(browser, emails[i % len(emails)]) for i in range(runs + 1)]
            for result in results:
                result["outcome"] = Draft.objects.get(pk=result.pop("pk")).outcome
            out["settings"][stack.env["MODEL_THREADS"]] = {
                "warm_up": results[0], "runs": results[1:],
                "load": (load, os.getloadavg()[0])}
        finally:
            stack.stop()
            stack.processes.clear()
    return out


def _wait_for_web(browser: Browser) -> None:
    for _ in range(100):
        try:
            browser.get("/reports/drafts/email/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("uvicorn did not start")


def _one_draft(browser: Browser, case: dict[str, Any]) -> dict[str, Any]:
    form = browser.get("/reports/drafts/email/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    started = time.monotonic()
    location = browser.post("/reports/drafts/email/", {
        "csrfmiddlewaretoken": token, "to": ", ".join(case["to"]), "recipients": "",
        "purpose": case["purpose"], "points": "\n".join(case["points"]), "tone": case["tone"]})
    page = browser.get(location)
    greeting = re.search(r"<textarea[^>]*>([^<]+)", page)
    first_words = time.monotonic() - started if greeting and greeting.group(1).strip() else None
    first_piece = done = None
    body = ""
    for name, data in browser.events(location + "stream/"):
        now = time.monotonic() - started
        if name in ("reset", "piece") and data["text"].strip() and first_words is None:
            first_words = now
        if name == "piece" and first_piece is None:
            first_piece = now
        if name == "done":
            done, body = now, data["body"]
            break
    return {"case": case["id"], "first_words": first_words, "first_model_piece": first_piece,
            "done": done, "body": body, "pk": int(location.rstrip("/").rsplit("/", 1)[1])}


if __name__ == "__main__":
    found = timing(int(sys.argv[1]) if sys.argv[1:] else 3, threads=tuple(sys.argv[2:]) or ("",))
    for setting, result in found["settings"].items():
        for row in result["runs"]:
            print(setting, {k: v for k, v in row.items() if k != "body"})
