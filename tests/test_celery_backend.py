"""The scale-out task backend for real: a Redis server and a Celery worker run a task that a
service enqueues, with the same code the embedded database worker runs."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("django_tasks_celery")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("redis-server") is None,
                                                 reason="Debian redis-server is not installed")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        for _attempt in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_task_runs_on_a_celery_worker(redis_url, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "KECHUANG_VAR_DIR": str(tmp_path),
           "TASKS_BACKEND": "django_tasks_celery.CeleryBackend", "CELERY_BROKER_URL": redis_url,
           "DJANGO_ENV": "development"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config.celery", "worker", "--pool", "solo",
                               "--loglevel", "WARNING"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        enqueue = ("from kechuang.core.tasks import send_plain_email;"
                   "print(send_plain_email.enqueue('a@example.cn', '任务测试', '由 Celery 发送').id)")
        subprocess.run([sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env, check=True,
                       timeout=60, capture_output=True)
        mail_dir = tmp_path / "mail"
        deadline = time.monotonic() + 60
        # The file backend creates the file before it writes the message: wait for the text.
        while time.monotonic() < deadline and not any(path.read_text() for path in mail_dir.glob("*.log")):
            time.sleep(0.2)
        messages = [path.read_text() for path in mail_dir.glob("*.log")]
        assert len(messages) == 1
        assert "a@example.cn" in messages[0]
    finally:
        worker.terminate()
        worker.wait(timeout=20)
