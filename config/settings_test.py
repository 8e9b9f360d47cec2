"""The test profile: the same settings, with fast password hashing (tests create many users)."""

import os

os.environ.setdefault("ONWARD_PROFILE", "test")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
