from typing import Any

import pytest

from onward.accounts.services import device_token_create, person_account_ensure


@pytest.fixture
def token_for() -> Any:
    """A new device token for the given person, made through the service."""

    def make(person: Any, name: str = "Test phone") -> str:
        return device_token_create(actor=person_account_ensure(person), name=name).token

    return make
