"""Two workers given the same message at the same moment: it is sent once.

Real threads with their own database connections (the SQLite test database is a file, so they
share it; on PostgreSQL they are separate sessions).
"""

import threading

import pytest
from django.db import connection

from onward.notifications.delivery import Outcome, outbox_deliver
from onward.notifications.models import OutboxMessage, OutboxStatus
from onward.notifications.tests.factories import OutboxMessageFactory

WORKERS = 4


def _in_threads(count: int, work) -> list:
    start = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            results[index] = work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_message_send_it_once(counting_channel):
    counting_channel.delay_seconds = 0.2  # a slow gateway, so that the workers overlap
    message = OutboxMessageFactory()
    outcomes = _in_threads(WORKERS, lambda: outbox_deliver(message.pk))
    assert sorted(outcomes) == sorted([Outcome.SENT] + [Outcome.SKIPPED] * (WORKERS - 1))
    assert counting_channel.sent == [message.pk]
    message = OutboxMessage.objects.get(pk=message.pk)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_over_many_messages_send_each_once(counting_channel):
    messages = OutboxMessageFactory.create_batch(10)

    def deliver_all() -> list[str]:
        return [outbox_deliver(message.pk) for message in messages]

    outcomes = _in_threads(WORKERS, deliver_all)
    assert sum(result.count(Outcome.SENT) for result in outcomes) == len(messages)
    assert sorted(counting_channel.sent) == sorted(m.pk for m in messages)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
