"""People using the app: browsing, polling their job's progress, uploading small recordings.

Run by bench/load_eval.py, which starts the deployment and writes LOAD_DATA (a JSON file with
the signed-in sessions, meetings, jobs and a small recording) for this file to read.
"""

import json
import os
import random
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, constant, events, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
THINK = float(os.environ.get("LOAD_THINK", "5"))
BROWSE_ONLY = os.environ.get("LOAD_BROWSE_ONLY") == "1"
AUDIO = Path(DATA["audio"]).read_bytes()
SERVER_ERRORS: Counter = Counter()
_sessions = iter(DATA["sessions"] * 10)


@events.request.add_listener
def _count_server_errors(name, response=None, exception=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        SERVER_ERRORS[name] += 1


@events.quitting.add_listener
def _write_server_errors(environment, **kwargs):
    Path(os.environ["LOAD_ERRORS"]).write_text(json.dumps(SERVER_ERRORS))


class Person(HttpUser):
    """A signed-in team member behind the TLS proxy (X-Forwarded-Proto: https)."""

    wait_time = between(0.5 * THINK, 1.5 * THINK) if THINK else constant(0)

    def on_start(self):
        session = next(_sessions)
        self.client.headers.update({
            "Cookie": f"sessionid={session}; csrftoken={DATA['csrf']}",
            "X-CSRFToken": DATA["csrf"], "X-Forwarded-Proto": "https",
            "Referer": f"https://{DATA['host']}/"})
        self.job = random.choice(DATA["jobs"])
        self.uploaded = False

    def page(self, url: str, name: str, **headers):
        self.client.get(url, name=name, headers=headers)

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(4)
    def meetings(self):
        self.page("/meetings/", "meetings")

    @task(4)
    def transcript(self):
        self.page(f"/meetings/{random.choice(DATA['meetings'])}/", "meeting transcript")

    @task(2)
    def todos(self):
        self.page("/meetings/todos/", "my to-dos")

    @task(1)
    def profile(self):
        self.page("/profile/", "profile")

    @task(5)
    def poll(self):
        if not BROWSE_ONLY:
            self.page(f"/jobs/{self.job}/", "job progress (htmx)", **{"HX-Request": "true"})

    @task(1)
    def upload(self):
        if BROWSE_ONLY or self.uploaded or random.random() > 0.25:
            return
        self.uploaded = True
        with self.client.post("/meetings/new/", name="upload recording",
                              headers={"X-Requested-With": "XMLHttpRequest"},
                              data={"title": "Load test", "language": "en"},
                              files={"audio": ("standup.flac", AUDIO, "audio/flac")},
                              catch_response=True) as response:
            if response.status_code == 200 and "jobs/" in response.text:
                found = response.text.split("/jobs/", 1)[1].split("/", 1)[0]
                if len(found) == 36:
                    self.job = found  # from now on this person polls their own job
