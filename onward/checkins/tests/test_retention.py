"""Media retention: deleted on the schedule of the practitioner's decision, each deletion audited."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.models import CheckInMedia, ReviewDecision, State
from onward.checkins.tests.factories import (
    CheckInFactory,
    CheckInMediaFactory,
    EnrolmentFactory,
    ReviewFactory,
)


def _reviewed(enrolment, decision, days_ago):
    review = ReviewFactory(
        checkin__enrolment=enrolment,
        decision=decision,
        reviewed_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    media = CheckInMediaFactory(checkin=review.checkin)
    return review.checkin, media


@pytest.mark.django_db
def test_retention_deletes_the_right_media_and_audits_it(case, settings, django_capture_on_commit_callbacks):
    settings.CHECKIN_RETENTION_MATCH_DAYS = 7
    settings.CHECKIN_RETENTION_NO_MATCH_DAYS = 28
    settings.CHECKIN_RETENTION_CONCERN_DAYS = 6 * 365
    person = EnrolmentFactory(person=case["person"])
    old_match, old_match_media = _reviewed(person, ReviewDecision.MATCH, 8)
    _reviewed(person, ReviewDecision.MATCH, 6)
    old_no_match, old_no_match_media = _reviewed(person, ReviewDecision.NO_MATCH, 29)
    _reviewed(person, ReviewDecision.NO_MATCH, 20)
    _concern, concern_media = _reviewed(person, ReviewDecision.MATCH_WITH_CONCERN, 400)
    path = old_match_media.file.name
    assert default_storage.exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.checkin_media_retention()

    assert result == {"checkins": 2, "files": 2}
    deleted = set(CheckInMedia.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True))
    assert deleted == {old_match_media.pk, old_no_match_media.pk}
    assert not default_storage.exists(path)
    assert default_storage.exists(concern_media.file.name)
    audited = set(AuditEvent.objects.filter(action="checkin.media_deleted").values_list("object_id", flat=True))
    assert audited == {str(old_match.pk), str(old_no_match.pk)}
    assert services.checkin_media_retention() == {"checkins": 0, "files": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.CANCELLED, State.CLOSED, State.EXPIRED])
def test_media_of_a_check_in_never_reviewed_is_deleted_after_its_own_period(
    case, settings, state, django_capture_on_commit_callbacks
):
    settings.CHECKIN_RETENTION_UNREVIEWED_DAYS = 28
    enrolment = EnrolmentFactory(person=case["person"])
    now = timezone.now()
    reason = "Closed in a test"
    old = CheckInFactory(
        enrolment=enrolment, state=state, state_reason=reason, state_changed_at=now - dt.timedelta(days=29)
    )
    recent = CheckInFactory(
        enrolment=enrolment, state=state, state_reason=reason, state_changed_at=now - dt.timedelta(days=27)
    )
    waiting = CheckInFactory(enrolment=enrolment, state=State.SUBMITTED, state_changed_at=now - dt.timedelta(days=90))
    old_media = CheckInMediaFactory(checkin=old)
    CheckInMediaFactory(checkin=recent)
    CheckInMediaFactory(checkin=waiting)
    path = old_media.file.name

    with django_capture_on_commit_callbacks(execute=True):
        result = services.checkin_media_retention()

    assert result == {"checkins": 1, "files": 1}
    assert not default_storage.exists(path)
    assert set(CheckInMedia.objects.filter(deleted_at__isnull=False).values_list("checkin_id", flat=True)) == {old.pk}
    event = AuditEvent.objects.get(action="checkin.media_deleted")
    assert event.object_id == str(old.pk)
    assert event.data["state"] == state
    assert event.data["decision"] == ""


@pytest.mark.django_db
def test_media_tied_to_an_alert_is_kept_until_the_alert_closes_plus_the_period(
    case, settings, django_capture_on_commit_callbacks
):
    from onward.alerts.models import Alert, AlertState

    settings.CHECKIN_RETENTION_MATCH_DAYS = 7
    settings.CHECKIN_RETENTION_AFTER_ALERT_DAYS = 28
    enrolment = EnrolmentFactory(person=case["person"])
    checkin, media = _reviewed(enrolment, ReviewDecision.MATCH, 30)
    alert = Alert.objects.create(
        kind="curfew",
        severity="high",
        person=case["person"],
        summary="Synthetic curfew alert",
        key="synthetic:1",
        created_at=checkin.opens_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_media_retention()["checkins"] == 0  # the alert is open
    Alert.objects.filter(pk=alert.pk).update(
        state=AlertState.CLOSED, decision="no_action", reason="Test", closed_at=timezone.now() - dt.timedelta(days=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_media_retention()["checkins"] == 0  # closed 10 days ago: kept 28
    Alert.objects.filter(pk=alert.pk).update(closed_at=timezone.now() - dt.timedelta(days=29))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checkin_media_retention() == {"checkins": 1, "files": 1}
    media.refresh_from_db()
    assert media.deleted_at is not None
