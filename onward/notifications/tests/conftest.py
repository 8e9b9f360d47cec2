from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onward.notifications.tests.channels_for_tests import CountingChannel, FailingChannel


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
