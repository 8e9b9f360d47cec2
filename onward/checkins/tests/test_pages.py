"""The practitioner's pages and the person's check-in page, through the real URLs and the policy.

The person's steps through the API are in test_api.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.checkins.models import CheckIn, Review, State
from onward.checkins.tests.factories import (
    TINY_JPEG,
    CheckInFactory,
    CheckInMediaFactory,
    EnrolmentFactory,
    VerificationFactory,
)

ANSWERS = {"mood": "not_great", "help": ["money", "housing"], "call_back": "yes", "comment": "Rent is late"}


@pytest.fixture
def submitted(case):
    checkin = CheckInFactory(
        enrolment=EnrolmentFactory(person=case["person"]),
        state=State.SUBMITTED,
        flagged=True,
        flag_reasons=["face_no_match"],
        face_decision="no_match",
        face_distance=0.81,
    )
    media = CheckInMediaFactory(checkin=checkin)
    VerificationFactory(media=media, decision="no_match", distance=0.81)
    frame = CheckInMediaFactory(checkin=checkin, kind="frame", source=media)
    return {"checkin": checkin, "media": media, "frame": frame}


@pytest.mark.django_db
def test_enrolment_page_sets_up_checkins_with_a_real_photo(case, staff_client, photo):
    client = staff_client(case["practitioner"])
    url = reverse("checkins:enrolment", kwargs={"person_id": case["person"].pk})
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {
        "schedule": "weekdays",
        "weekdays": ["1", "4"],
        "window_hours": "48",
        "contact_preference": "email",
        "office_visits": "supplements",
        "office_visits_reason": "New to the area; office visits continue monthly.",
    }
    refused = client.post(url, {**form, "photo": SimpleUploadedFile("x.jpg", b"nonsense")})
    assert refused.status_code == 400
    assert "JPEG or PNG" in refused.content.decode()
    response = client.post(url, {**form, "photo": SimpleUploadedFile("face.jpg", photo("obama_1.jpg"))})
    assert response.status_code == 302
    enrolment = case["person"].checkin_enrolment
    assert (enrolment.schedule, enrolment.weekdays, enrolment.window_hours) == ("weekdays", "1,4", 48)
    photo_url = reverse("checkins:reference_photo", kwargs={"person_id": case["person"].pk})
    assert client.get(photo_url).status_code == 200
    assert AuditEvent.objects.filter(action="checkin.reference_photo_viewed").count() == 1
    assert staff_client(case["other_practitioner"]).get(photo_url).status_code == 403


@pytest.mark.django_db
def test_review_queue_is_scoped_and_flagged_first(case, staff_client, submitted):
    calm = CheckInFactory(enrolment=submitted["checkin"].enrolment, state=State.SUBMITTED, flagged=False)
    other = CheckInFactory(enrolment=EnrolmentFactory(person=case["other_person"]), state=State.SUBMITTED, flagged=True)
    body = staff_client(case["practitioner"]).get(reverse("checkins:review_queue")).content.decode()
    first = body.index(reverse("checkins:review", kwargs={"checkin_id": submitted["checkin"].pk}))
    second = body.index(reverse("checkins:review", kwargs={"checkin_id": calm.pk}))
    assert first < second
    assert reverse("checkins:review", kwargs={"checkin_id": other.pk}) not in body
    other_client = staff_client(case["other_practitioner"])
    assert (
        other_client.get(reverse("checkins:review", kwargs={"checkin_id": submitted["checkin"].pk})).status_code == 403
    )


@pytest.mark.django_db
def test_review_decision_is_recorded_and_audited(case, staff_client, submitted):
    client = staff_client(case["practitioner"])
    url = reverse("checkins:review", kwargs={"checkin_id": submitted["checkin"].pk})
    page = client.get(url).content.decode()
    assert "No match" in page
    assert "Face: No match" in page
    assert reverse("checkins:media", kwargs={"media_id": submitted["frame"].pk}) in page
    assert client.post(url, {"decision": "no_match", "notes": ""}).status_code == 400  # a note is needed
    response = client.post(url, {"decision": "no_match", "notes": "Not him: a different man in the photo."})
    assert response.status_code == 302
    review = Review.objects.get(checkin=submitted["checkin"])
    assert (review.decision, review.reviewer) == ("no_match", case["practitioner"])
    assert CheckIn.objects.get(pk=submitted["checkin"].pk).state == State.REVIEWED
    event = AuditEvent.objects.get(action="checkin.reviewed")
    assert event.data["decision"] == "no_match"
    assert event.data["automated"] == "no_match"


@pytest.mark.django_db
def test_every_view_of_media_is_audited_and_scoped(case, staff_client, person_client, submitted):
    url = reverse("checkins:media", kwargs={"media_id": submitted["frame"].pk})
    client = staff_client(case["practitioner"])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == TINY_JPEG
        assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="checkin.media_viewed", object_id=str(submitted["frame"].pk)).count() == 2
    assert staff_client(case["other_practitioner"]).get(url).status_code == 403
    assert person_client(case["person"]).get(url).status_code == 403
    assert AuditEvent.objects.filter(action="checkin.media_viewed").count() == 2


@pytest.mark.django_db
def test_statistics_count_false_accepts_and_rejects(case, staff_client):
    enrolment = EnrolmentFactory(person=case["person"])
    # Due dates inside the statistics period, whatever the factory's sequence has reached in this run.
    days_ago = [timezone.localdate() - dt.timedelta(days=n) for n in range(5)]
    for (automated, human), due_date in zip(
        [("match", "match"), ("match", "no_match"), ("no_match", "match"), ("no_match", "no_match")],
        days_ago,
        strict=False,
    ):
        checkin = CheckInFactory(enrolment=enrolment, state=State.REVIEWED, face_decision=automated, due_date=due_date)
        Review.objects.create(checkin=checkin, decision=human, reviewer=case["practitioner"])
    CheckInFactory(enrolment=enrolment, state=State.EXPIRED, flagged=True, due_date=days_ago[4])
    from onward.checkins.selectors import checkin_statistics

    stats = checkin_statistics(case["senior"])
    assert (stats.due, stats.on_time, stats.missed) == (5, 4, 1)
    assert (stats.agreed, stats.false_accepts, stats.false_rejects) == (2, 1, 1)
    assert staff_client(case["senior"]).get(reverse("checkins:statistics")).status_code == 200
    assert staff_client(case["practitioner"]).get(reverse("checkins:statistics")).status_code == 403
