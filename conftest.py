"""Shared fixtures: the test settings, an organisation, staff in each role, and signed-in clients."""

import os

os.environ.setdefault("ONWARD_PROFILE", "test")
