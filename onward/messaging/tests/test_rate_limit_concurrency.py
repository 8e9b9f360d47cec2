"""The limit on messages an hour holds when sends arrive together.

Real threads with their own database connections (the SQLite test database is a file; on PostgreSQL they are
separate sessions). Each send pauses right after counting, at a barrier all of them must reach: sends counted
outside a lock would all count the same number and all be stored. With the count under a lock the first send
holds the others back, the barrier gives up, and they count one after another. The barrier's timeout only
decides how long the race is given; the result asserted does not depend on it.
"""

import contextlib
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from onward.messaging import services
from onward.messaging.models import Message
from onward.messaging.services import conversation_for_person, message_send

SENDERS = 4
LIMIT = 3


@pytest.mark.django_db(transaction=True)
def test_the_hourly_limit_holds_under_concurrent_sends(msg_world: dict[str, Any], settings: Any, monkeypatch) -> None:
    settings.MESSAGING_PERSON_MESSAGES_PER_HOUR = LIMIT
    person_user = msg_world["person_user"]
    conversation = conversation_for_person(actor=person_user, person=msg_world["person"])
    for n in range(LIMIT - 1):
        message_send(actor=person_user, conversation=conversation, body=f"Synthetic message {n}")

    counted = threading.Barrier(SENDERS)
    real_rate_limit = services._rate_limit

    def rate_limit_then_wait(*args: Any) -> None:
        real_rate_limit(*args)
        with contextlib.suppress(threading.BrokenBarrierError):  # the others are held back by the lock
            counted.wait(timeout=3)

    monkeypatch.setattr(services, "_rate_limit", rate_limit_then_wait)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def send(index: int) -> None:
        try:
            message_send(actor=person_user, conversation=conversation, body=f"Synthetic race {index}")
            outcomes.append("sent")
        except ValidationError:
            outcomes.append("refused")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(outcomes) == ["refused"] * (SENDERS - 1) + ["sent"]
    assert Message.objects.filter(author_user=person_user).count() == LIMIT
