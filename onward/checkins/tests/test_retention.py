"""Media retention: deleted on the schedule of the practitioner's decision, each deletion audited."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.models import CheckInMedia, ReviewDecision
from onward.checkins.tests.factories import CheckInMediaFactory, EnrolmentFactory, ReviewFactory


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
