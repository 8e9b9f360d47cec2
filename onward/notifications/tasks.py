"""Thin task wrappers: the work is in delivery.py."""

from django_tasks import task


@task(queue_name="notifications")
def deliver_outbox_message(message_id: int) -> str:
    from onward.notifications.delivery import outbox_deliver

    return outbox_deliver(message_id)
