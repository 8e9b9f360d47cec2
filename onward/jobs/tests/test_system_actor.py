"""Jobs act as the system, named for the job, and their audit events say so."""

import datetime as dt

import pytest
from django.utils import timezone

from onward.accounts.models import SignInAttempt
from onward.audit.models import AuditEvent
from onward.jobs.services import periodic_job_run

pytestmark = pytest.mark.django_db


def test_the_retention_jobs_audit_event_names_the_system_actor(settings):
    settings.RETENTION_SIGN_IN_ATTEMPTS_DAYS = 365
    SignInAttempt.objects.create(
        method="pin", identifier="A0000AA", succeeded=False, at=timezone.now() - dt.timedelta(days=400)
    )
    assert periodic_job_run("retention_run")["sign_in_attempts"] == 1
    event = AuditEvent.objects.get(action="retention.deleted", reason="sign_in_attempts")
    assert (event.actor, event.actor_role, event.actor_system) == (None, "system", "retention_run")
