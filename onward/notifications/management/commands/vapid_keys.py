"""Print a new VAPID key pair for web push, as lines to put in the environment."""

import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand

P256_PRIVATE_BYTES = 32


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair (P-256) for web push: VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY, base64url. "
        "Keep the private key secret. Changing the pair later stops every phone's notifications until the "
        "person turns them on again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        private = key.private_numbers().private_value.to_bytes(P256_PRIVATE_BYTES, "big")
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(f"VAPID_PRIVATE_KEY={_b64url(private)}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={_b64url(public)}")
        self.stdout.write("# Who push services may contact about our notifications: your team's address.")
        self.stdout.write("VAPID_SUBJECT=mailto:you@example.org")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
