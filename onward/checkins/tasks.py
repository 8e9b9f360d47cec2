"""Thin task wrappers: the work is in services.py."""

from typing import Any

from django_tasks import task


@task()
def verify_checkin_media(verification_id: int) -> Any:
    from onward.checkins.services import verification_run

    return verification_run(verification_id)
