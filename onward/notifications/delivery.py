"""Delivery of outbox messages (to be completed: channels, retries with backoff)."""


def outbox_deliver(message_id: int) -> None:
    raise NotImplementedError
