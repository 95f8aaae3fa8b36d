"""The Celery application for multi-machine deployments (TASKS_BACKEND=django_tasks_celery.CeleryBackend).

Workers start with `celery -A config.celery worker`; the embedded default never imports this module.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kechuang")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Importing every app's tasks module registers its @task functions with Celery.
app.autodiscover_tasks()
