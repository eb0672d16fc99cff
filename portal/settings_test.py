"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("HTTPS", "0")  # the test client and live server speak plain http
os.environ.setdefault("TASKS_BACKEND", "immediate")  # tests of the worker itself use the database queue

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)
