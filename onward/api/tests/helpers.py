"""Small helpers shared by the API tests."""

from typing import Any

from django.test import Client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def get_json(client: Client, path: str, token: str | None = None, **params: Any) -> tuple[int, Any]:
    """GET an API path, with a device token when given; the status and the decoded body."""
    response = client.get(path, params, headers=bearer(token) if token else {})
    return response.status_code, response.json()
