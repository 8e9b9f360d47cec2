"""Lifecycle events: how a lower app lets higher ones react without importing them.

An app that announces defines its events as frozen dataclasses in its own `events.py`; an app above it
that must react subscribes in its own `subscribers.py` (found at start-up, like rules and retention):

    @subscriber(SupervisionEnded)
    def device_tokens_revoke(event: SupervisionEnded) -> None: ...

`announce` calls every subscriber in turn, inside the announcer's transaction: a subscriber that fails
rolls the whole change back, so a person's supervision never ends with their devices still signed in.
Subscribers run in the order their apps are installed (lowest first), so the order is the same everywhere.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

E = TypeVar("E")
Subscriber = Callable[[Any], None]
_SUBSCRIBERS: dict[type, list[Subscriber]] = defaultdict(list)


def subscriber(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    def register(function: Callable[[E], None]) -> Callable[[E], None]:
        if function not in _SUBSCRIBERS[event_type]:
            _SUBSCRIBERS[event_type].append(function)
        return function

    return register


def announce(event: object) -> None:
    for function in _SUBSCRIBERS.get(type(event), []):
        function(event)


def subscribers_of(event_type: type) -> list[Subscriber]:
    return list(_SUBSCRIBERS.get(event_type, []))
