"""Settings, the deploy checklist, the demo seed and the embedded broker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from assistant.models import Membership, Role, Team

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # The browser tests set this for their own process; a deployment never has it.
    env = {k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {**os.environ, "ASSISTANT_ENV": "production", "SECRET_KEY": "s" * 30 + "Q9!x" * 10,
           "ALLOWED_HOSTS": "assistant.example.com", "VAR_DIR": str(tmp_path)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {**os.environ, "ASSISTANT_ENV": "production", "SECRET_KEY": "", "VAR_DIR": str(tmp_path)}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_bad_boolean_is_refused_with_a_clear_message(tmp_path):
    env = {**os.environ, "DEBUG": "yes", "VAR_DIR": str(tmp_path)}
    result = _manage("check", env=env)
    assert "DEBUG is 'yes': use 'True' or 'False'" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_secrets(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    team = Team.objects.get(slug="demo")
    roles = sorted(Membership.objects.filter(team=team).values_list("role", flat=True))
    assert roles == sorted([Role.ADMIN, Role.MANAGER, Role.EMPLOYEE, Role.EMPLOYEE])
    assert Authenticator.objects.filter(type="totp").count() == 2
    assert out.count("TOTP secret:") == 4  # admin and manager, twice
    assert "manager@demo.local" in out and "password:" in out
    # The manager works in two teams, so can switch.
    assert Membership.objects.filter(user__email="manager@demo.local").count() == 2


def test_embedded_broker_without_redis(tmp_path):
    """With no REDIS_URL, Celery runs on the filesystem transport under VAR_DIR."""
    env = {**os.environ, "REDIS_URL": "", "VAR_DIR": str(tmp_path)}
    code = ("from assistant.celery import app; print(app.conf.broker_url); "
            "print(app.conf.broker_transport_options['data_folder_in'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["filesystem://", str(tmp_path / "broker" / "out")]
