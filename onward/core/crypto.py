"""Encryption of sensitive data at rest (biometric templates, documents) with a key ring.

DATA_KEYS is a list of Fernet keys, newest first, kept apart from SECRET_KEY. New data is
encrypted with the first key; any key in the ring decrypts, so keys can be rotated without downtime.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionFailed(Exception):
    """The data was not made with any key in the ring, or it was altered."""


def encrypt_bytes(data: bytes) -> bytes:
    return _ring(tuple(settings.DATA_KEYS)).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _ring(tuple(settings.DATA_KEYS)).decrypt(token)
    except InvalidToken as error:
        raise DecryptionFailed("Data could not be decrypted with any key in DATA_KEYS.") from error


def reencrypt_bytes(token: bytes) -> bytes:
    """Re-encrypt with the newest key (for key rotation jobs)."""
    try:
        return _ring(tuple(settings.DATA_KEYS)).rotate(token)
    except InvalidToken as error:
        raise DecryptionFailed("Data could not be decrypted with any key in DATA_KEYS.") from error


def data_key_new() -> str:
    """A fresh key for DATA_KEYS (`manage.py shell -c` or the ops guide prints one)."""
    return Fernet.generate_key().decode()


@lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("DATA_KEYS is empty: set at least one key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured("Each DATA_KEYS entry must be a 32-byte url-safe base64 key.") from error
