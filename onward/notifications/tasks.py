from django_tasks import task


@task(queue_name="notifications")
def deliver_outbox_message(message_id: int) -> None:
    from onward.notifications.delivery import outbox_deliver

    outbox_deliver(message_id)
