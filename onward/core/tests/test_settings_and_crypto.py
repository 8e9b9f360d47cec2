import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from onward.core.crypto import DecryptionFailed, decrypt_bytes, encrypt_bytes, reencrypt_bytes

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    ours = ("DATABASE_URL", "CACHE_URL", "ONWARD_", "DJANGO_", "PUBLIC_BASE_URL", "PORT", "DEBUG")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_profile_passes_deploy_checks_with_no_warnings(tmp_path: Path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ONWARD_PROFILE="production",
        SECRET_KEY=Fernet.generate_key().decode() * 2,
        DATA_KEYS=Fernet.generate_key().decode(),
        AUDIT_KEYS="2026a:" + Fernet.generate_key().decode(),
        ALLOWED_HOSTS="onward.example",
        PUBLIC_BASE_URL="https://onward.example",
        ONWARD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_its_own_secrets(tmp_path: Path) -> None:
    result = _manage("check", ONWARD_PROFILE="production", ONWARD_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_profile_refuses_to_start_without_its_public_address(tmp_path: Path) -> None:
    # Links in text messages would otherwise point at a developer's own machine.
    result = _manage(
        "check",
        ONWARD_PROFILE="production",
        SECRET_KEY=Fernet.generate_key().decode() * 2,
        DATA_KEYS=Fernet.generate_key().decode(),
        AUDIT_KEYS="2026a:" + Fernet.generate_key().decode(),
        ONWARD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


def test_production_profile_refuses_to_start_without_its_audit_key(tmp_path: Path) -> None:
    # The audit chain's key lives outside the database; without one, rewrites could not be found.
    result = _manage(
        "check",
        ONWARD_PROFILE="production",
        SECRET_KEY=Fernet.generate_key().decode() * 2,
        DATA_KEYS=Fernet.generate_key().decode(),
        PUBLIC_BASE_URL="https://onward.example",
        ONWARD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "AUDIT_KEYS" in result.stderr


def test_the_public_address_comes_from_port_for_make_run_and_is_documented(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.PUBLIC_BASE_URL)"
    result = _manage("shell", "-c", code, PORT="8123", ONWARD_VAR_DIR=str(tmp_path))
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8123", result.stderr
    result = _manage("shell", "-c", code, PUBLIC_BASE_URL="https://onward.example/", ONWARD_VAR_DIR=str(tmp_path))
    assert result.stdout.strip().splitlines()[-1] == "https://onward.example"
    readme = (ROOT / "README.md").read_text()
    assert "| `PUBLIC_BASE_URL` |" in readme
    assert "| `DEBUG` |" in readme


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_serves_with_debug_off_at_the_address_it_serves() -> None:
    # What a newcomer sees must be what production shows: no debug pages, compressed static files.
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PUBLIC_BASE_URL", "PORT")}
    commands = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    serve = next(line for line in commands.splitlines() if "manage.py serve" in line)
    assert "DEBUG=false" in serve
    assert "PUBLIC_BASE_URL=http://127.0.0.1:8123" in serve
    assert "--port 8123" in serve


def test_development_profile_uses_sqlite_in_wal_mode(db: None) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("This run is on PostgreSQL; the SQLite settings are checked in the SQLite run.")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_and_cache_come_from_urls(tmp_path: Path) -> None:
    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        ONWARD_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u@db.example:5432/onward",
        CACHE_URL="redis://cache.example:6379/2",
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    engine, name, cache = out.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert name == "onward"
    assert cache == "django.core.cache.backends.redis.RedisCache"


def test_s3_storage_is_private_and_signed_when_configured(tmp_path: Path) -> None:
    code = "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['default'])"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        ONWARD_VAR_DIR=str(tmp_path),
        STORAGE_BACKEND="s3",
        S3_BUCKET="onward-files",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "storages.backends.s3.S3Storage" in out.stdout
    assert "'default_acl': 'private'" in out.stdout
    assert "'querystring_auth': True" in out.stdout


def test_key_ring_encrypts_decrypts_and_rotates(settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DATA_KEYS = [old]
    token = encrypt_bytes(b"template bytes")
    assert token != b"template bytes"
    settings.DATA_KEYS = [new, old]  # rotation: the new key first, the old still decrypts
    assert decrypt_bytes(token) == b"template bytes"
    rotated = reencrypt_bytes(token)
    settings.DATA_KEYS = [new]
    assert decrypt_bytes(rotated) == b"template bytes"
    with pytest.raises(DecryptionFailed):
        decrypt_bytes(token)  # made with the retired key


def test_data_keys_are_not_the_secret_key(settings) -> None:
    assert settings.SECRET_KEY not in settings.DATA_KEYS
