"""The test profile: the same settings, with fast password hashing (tests create many users)."""

import copy
import os

os.environ.setdefault("ONWARD_PROFILE", "test")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A shared cache server (Redis in CI) outlives a test run and is shared by the test workers: each
# test process gets keys of its own, so rate limits and lockouts counted in one run or worker never
# leak into another. (The database cache is created afresh with each test database.)
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}-{os.urandom(4).hex()}"  # noqa: F405

# A value a template prints but was never given fails the test, instead of printing nothing (a copy:
# the main settings keep theirs).
TEMPLATES = copy.deepcopy(TEMPLATES)  # noqa: F405
TEMPLATES[0]["OPTIONS"] = {**TEMPLATES[0]["OPTIONS"], "undefined": "onward.core.jinja.LoudUndefined"}

# Checkpoints of the audit chain go to a file, which would outlive each test's rolled-back database: the
# tests that write them point this at a file of their own.
AUDIT_CHECKPOINT_PATH = ""
