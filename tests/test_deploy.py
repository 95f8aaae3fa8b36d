"""Production settings: the deploy checklist passes and missing secrets are refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_SECRET_KEY": "k8#V2qLx!9zR@e4T%pW7yU0iO3aS6dF1gH5jK8lZ2xC4vB7nM0qW3eR6tY9uI1oP",
    "DJANGO_ALLOWED_HOSTS": "kechuang.example.gov.cn",
    "DATABASE_URL": "postgres://kechuang:secret@127.0.0.1:5432/kechuang",
    "KECHUANG_FIELD_KEY": "5f4dcc3b5aa765d61d8327deb882cf99",
    "KECHUANG_DIGEST_KEY": "e99a18c428cb38d5f260853678922e03",
}


def manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "KECHUANG_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "KECHUANG_FIELD_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "KECHUANG_FIELD_KEY must be set" in result.stderr


@pytest.mark.slow
def test_seed_demo_refuses_in_production():
    result = manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refuses to run with DJANGO_ENV=production" in result.stderr
