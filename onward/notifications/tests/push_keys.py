"""Key pairs made in the tests: our VAPID pair, and a browser's pair and secret for one subscription."""

import base64
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


@dataclass(frozen=True)
class VapidPair:
    private_key: ec.EllipticCurvePrivateKey
    private: str  # base64url raw 32 bytes, as VAPID_PRIVATE_KEY
    public: str  # base64url uncompressed point, as VAPID_PUBLIC_KEY


@dataclass(frozen=True)
class BrowserKeys:
    private_key: ec.EllipticCurvePrivateKey
    p256dh: str
    auth: str
    auth_secret: bytes


def vapid_pair() -> VapidPair:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return VapidPair(private_key=key, private=b64url(raw), public=b64url(public_point(key)))


def browser_keys() -> BrowserKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    secret = secrets.token_bytes(16)
    return BrowserKeys(private_key=key, p256dh=b64url(public_point(key)), auth=b64url(secret), auth_secret=secret)
