"""Channels the tests plug in through settings.SMS_CHANNEL, to count sends and to fail on purpose."""

import threading
import time
from collections.abc import Callable
from typing import ClassVar

from onward.notifications.models import OutboxMessage


class CountingChannel:
    """Counts every send, across threads; sleeps a little so that concurrent workers overlap."""

    lock = threading.Lock()
    sent: ClassVar[list[int]] = []
    delay_seconds: ClassVar[float] = 0.0
    during_send: ClassVar[Callable[[OutboxMessage], None] | None] = None

    @classmethod
    def reset(cls) -> None:
        cls.sent = []
        cls.delay_seconds = 0.0
        cls.during_send = None

    def send(self, message: OutboxMessage) -> str:
        if CountingChannel.during_send is not None:
            CountingChannel.during_send(message)
        time.sleep(CountingChannel.delay_seconds)
        with CountingChannel.lock:
            CountingChannel.sent.append(message.pk)
        return f"counted:{message.pk}"


class GatewayDown(Exception):
    pass


class FailingChannel:
    """Fails the first `failures` sends (every send when None), then works."""

    failures: ClassVar[int | None] = None
    calls: ClassVar[int] = 0

    @classmethod
    def reset(cls, failures: int | None = None) -> None:
        cls.failures = failures
        cls.calls = 0

    def send(self, message: OutboxMessage) -> str:
        FailingChannel.calls += 1
        if FailingChannel.failures is None or FailingChannel.calls <= FailingChannel.failures:
            raise GatewayDown(f"gateway refused {message.recipient}")
        return "gateway-ref-1"
