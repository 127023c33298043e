"""docker/: what can be checked without Docker. The compose file parses and points at files
that exist; the nginx configuration passes `nginx -t`; every command a container runs also
runs here (the web start script for real, the workers' and beat's command lines up to
Celery's option parsing, the model preparation of the image build)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
WORKERS = ["worker-speech", "worker-text", "worker-live", "worker-default"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_compose_file_has_every_service_with_a_health_check():
    assert set(SERVICES) == {"web", "nginx", *WORKERS, "beat", "redis", "postgres"}
    for name, service in SERVICES.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_it_references_paths_that_exist_and_declared_volumes():
    build = SERVICES["web"]["build"]
    assert (DOCKER / build["context"] / build["dockerfile"]).is_file()
    declared = set(COMPOSE["volumes"])
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DOCKER / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"
    assert {"media", "pgdata", "redisdata", "static", "beat"} <= declared
    assert (ROOT / SERVICES["web"]["command"][1]).is_file()


def test_workers_take_their_queue_one_job_at_a_time():
    for name in WORKERS:
        command = SERVICES[name]["command"]
        queue = name.removeprefix("worker-")
        assert command[command.index("-Q") + 1] == queue
        assert "--concurrency" in command and "--prefetch-multiplier" in command
    speech = SERVICES["worker-speech"]["command"]
    assert speech[speech.index("--prefetch-multiplier") + 1] == "1"


def test_the_image_is_multi_stage_and_runs_as_a_user():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    stages = re.findall(r"^FROM .+ AS (\w+)$", dockerfile, re.MULTILINE)
    assert stages == ["assets", "build", "runtime"]
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert re.search(r"^USER assistant$", runtime, re.MULTILINE)
    for source in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.MULTILINE):
        assert (ROOT / source).exists(), f"COPY {source}: missing"
    assert "prepare_models.py" in dockerfile


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "install Debian's nginx (make system does)"
    result = subprocess.run([nginx, "-t", "-q", "-c", str(DOCKER / "nginx.conf"),
                             "-p", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    config = (DOCKER / "nginx.conf").read_text()
    assert re.search(r"location /protected-media/ \{\s+internal;", config)
    environment = SERVICES["web"]["environment"]
    assert environment["RECORDINGS_X_ACCEL_PREFIX"] == "/protected-media/"


def test_the_image_build_finds_every_embedded_model():
    result = subprocess.run([sys.executable, str(DOCKER / "prepare_models.py")], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert {line.split()[0] for line in result.stdout.splitlines()} == {
        "speech_en", "speech_multi", "text", "embeddings", "speaker"}


@pytest.mark.parametrize("name", [*WORKERS, "beat"])
def test_the_worker_and_beat_commands_parse(name):
    command = list(SERVICES[name]["command"])
    assert command[:2] == ["python", "-m"]
    result = subprocess.run([sys.executable, *command[1:], "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-1500:]
    assert "Usage" in result.stdout


def test_the_web_container_starts_and_passes_its_health_check(tmp_path):
    port = _free_port()
    env = {**os.environ, "ASSISTANT_ENV": "production", "SECRET_KEY": "x" * 50,
           "ALLOWED_HOSTS": "assistant.example.com,localhost", "VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "HOST": "127.0.0.1",
           "PORT": str(port), "WEB_CONCURRENCY": "1", "ASSISTANT_PROCESS": "web",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
           # `python` in the script is this interpreter, as /opt/venv's is in the image.
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("REDIS_URL", None)
    web = subprocess.Popen(["sh", SERVICES["web"]["command"][1]], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           start_new_session=True)
    try:
        check = SERVICES["web"]["healthcheck"]["test"]
        assert check[0] == "CMD-SHELL"
        # Compose turns $$ into $; the container listens on 8000, this run on a free port.
        shell = check[1].replace("$$", "$").replace("localhost:8000", f"localhost:{port}")
        deadline = time.monotonic() + 240
        while subprocess.run(["sh", "-c", shell], env=env, capture_output=True).returncode:
            assert web.poll() is None, web.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the web container never became healthy"
            time.sleep(1)
        assert (tmp_path / "static" / "staticfiles.json").is_file()  # collected, hashed
        request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                         headers={"Host": "localhost",
                                                  "X-Forwarded-Proto": "https"})
        body = urllib.request.urlopen(request, timeout=10).read()  # noqa: S310 - http only
        assert b'assistant_request_seconds_count{method="GET",route="health/<str:check>"' \
            in body
    finally:
        if web.poll() is None:
            os.killpg(web.pid, 15)
            web.wait(timeout=30)
