"""Thin task wrappers: the work is in services.py."""

from django_tasks import task


@task(queue_name="notifications")
def send_sign_in_code(contact: str, ip_address: str = "") -> None:
    """Look the contact up and send a code if it is a person's: away from the request, so that every
    request does the same work and answers in the same time, whether or not the contact is known."""
    from onward.accounts.services import one_time_code_send
    from onward.core.context import RequestContext, reset_request_context, set_request_context

    token = set_request_context(RequestContext(request_id="task-sign-in-code", ip_address=ip_address or None))
    try:
        one_time_code_send(contact=contact)
    finally:
        reset_request_context(token)
