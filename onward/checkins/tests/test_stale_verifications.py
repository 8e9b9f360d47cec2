"""A face check left pending by a worker that died is queued again once, then failed plainly with the try given
back. Times are passed to the sweep (never slept for)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.models import CheckIn, Schedule, Verification, VerificationStatus
from onward.checkins.tests.factories import CheckInFactory
from onward.core.audit_actions import AuditAction
from onward.jobs.schedule import periodic_jobs

pytestmark = pytest.mark.django_db

DETAILS = services.EnrolmentDetails(
    schedule=Schedule.WEEKLY, office_visits="supplements", office_visits_reason="Synthetic case for the sweep test."
)


@pytest.fixture
def pending(case, photo):
    """A photo taken (one try used) whose check a worker claimed and then died on."""
    enrolment = services.enrolment_save(
        actor=case["practitioner"], person=case["person"], details=DETAILS, photo=photo("obama_1.jpg")
    )
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    media = services.checkin_media_add(actor=account, checkin=checkin, data=photo("obama_2.jpg"))
    assert services._verification_claim(media.verification.pk)  # the worker took it, then was killed
    return media.verification


def test_the_sweep_is_a_periodic_job():
    assert periodic_jobs()["checkins_stale_sweep"].function_path.endswith("verifications_stale_sweep")


def test_a_check_claimed_by_a_live_run_is_not_run_twice(pending):
    assert services.verification_run(pending.pk) == {"skipped": True}
    assert Verification.objects.get(pk=pending.pk).status == VerificationStatus.PENDING


def test_a_stalled_check_is_queued_again_then_failed_with_the_try_back(pending, django_capture_on_commit_callbacks):
    start = timezone.now()
    assert services.verifications_stale_sweep(now=start + timedelta(minutes=5)) == {"requeued": 0, "failed": 0}
    with django_capture_on_commit_callbacks(execute=True):
        later = start + timedelta(minutes=20)
        assert services.verifications_stale_sweep(now=later) == {"requeued": 1, "failed": 0}
    queued = DBTaskResult.objects.filter(task_path__endswith="verify_checkin_media", status="READY")
    assert [task.args_kwargs["args"] for task in queued] == [[pending.pk]]
    assert AuditEvent.objects.filter(action=AuditAction.CHECKIN_VERIFICATION_REQUEUED).count() == 1
    assert services.verifications_stale_sweep(now=later + timedelta(minutes=5)) == {"requeued": 0, "failed": 0}
    # The second worker dies too (nothing runs it): the next sweep after the stale time gives up plainly.
    assert services.verifications_stale_sweep(now=later + timedelta(minutes=20)) == {"requeued": 0, "failed": 1}
    verification = Verification.objects.get(pk=pending.pk)
    assert verification.status == VerificationStatus.FAILED
    assert "try back" in verification.message
    assert CheckIn.objects.get(pk=pending.checkin_id).face_attempts == 0
    failed = AuditEvent.objects.get(action=AuditAction.CHECKIN_VERIFICATION_FAILED)
    assert failed.data == {"reason": "worker_lost", "try_given_back": True}


def test_a_requeued_check_runs_to_the_end(pending):
    later = timezone.now() + timedelta(minutes=20)
    services.verifications_stale_sweep(now=later)
    assert services.verification_run(pending.pk) != {"skipped": True}
    assert Verification.objects.get(pk=pending.pk).status == VerificationStatus.DONE
