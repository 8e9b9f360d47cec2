"""`manage.py vapid_keys` prints a pair that pywebpush signs with and whose halves belong together."""

import io

from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from py_vapid import Vapid

from onward.notifications.tests.push_keys import b64url, b64url_decode


def test_the_command_prints_a_matching_vapid_pair() -> None:
    out = io.StringIO()
    call_command("vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if not line.startswith("#"))

    signer = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])  # the form pywebpush reads from the environment
    derived = signer.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert b64url(derived) == lines["VAPID_PUBLIC_KEY"]
    assert len(b64url_decode(lines["VAPID_PUBLIC_KEY"])) == 65
    assert lines["VAPID_SUBJECT"].startswith("mailto:")


def test_each_run_makes_a_new_pair() -> None:
    first, second = io.StringIO(), io.StringIO()
    call_command("vapid_keys", stdout=first)
    call_command("vapid_keys", stdout=second)
    assert first.getvalue().splitlines()[0] != second.getvalue().splitlines()[0]
