"""Settings for the test suite: the same as development, with fast hashing, tasks run
immediately, e-mail kept in memory and files under a temporary folder."""

import os
import tempfile

os.environ.setdefault("KECHUANG_MEDIA_ROOT", tempfile.mkdtemp(prefix="kechuang-media-"))
os.environ.setdefault("KECHUANG_MATCHING_DIR", tempfile.mkdtemp(prefix="kechuang-matching-"))

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Every test client would scan the static folders again; the browser tests' live server serves
# static files itself, and tests/test_development_defaults.py checks WhiteNoise with the real settings.
WHITENOISE_USE_FINDERS = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LANGUAGE_CODE = "zh-hans"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KECHUANG_TEST_DB") or None}  # noqa: F405
