from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onward.notifications.tests.channels_for_tests import CountingChannel, FailingChannel
from onward.notifications.tests.fake_push_service import FakePushService, fake_push_service_start
from onward.notifications.tests.push_keys import VapidPair, vapid_pair


@pytest.fixture(autouse=True)
def sms_log_path(settings: Any, tmp_path: Path) -> Path:
    """Text messages from tests go to a folder of their own (one that does not exist yet)."""
    settings.SMS_LOG_PATH = tmp_path / "logs" / "sms.log"
    return settings.SMS_LOG_PATH


@pytest.fixture
def counting_channel(settings: Any) -> Iterator[type[CountingChannel]]:
    CountingChannel.reset()
    settings.SMS_CHANNEL = "onward.notifications.tests.channels_for_tests.CountingChannel"
    yield CountingChannel
    CountingChannel.reset()


@pytest.fixture
def failing_channel(settings: Any) -> Iterator[type[FailingChannel]]:
    FailingChannel.reset()
    settings.SMS_CHANNEL = "onward.notifications.tests.channels_for_tests.FailingChannel"
    yield FailingChannel
    FailingChannel.reset()


@pytest.fixture
def vapid(settings: Any) -> VapidPair:
    """Web push set up with a new VAPID pair, and the test push service's host allowed."""
    pair = vapid_pair()
    settings.VAPID_PRIVATE_KEY = pair.private
    settings.VAPID_PUBLIC_KEY = pair.public
    settings.VAPID_SUBJECT = "mailto:onward-team@example.org"
    settings.PUSH_SERVICE_HOSTS = ["127.0.0.1", "fcm.googleapis.com"]
    return pair


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = fake_push_service_start()
    yield service
    service.stop()


@pytest.fixture
def token_for() -> Any:
    """A new device token for the given person, made through the service."""
    from onward.accounts.services import device_token_create, person_account_ensure

    def make(person: Any, name: str = "Test phone") -> str:
        return device_token_create(actor=person_account_ensure(person), name=name).token

    return make
