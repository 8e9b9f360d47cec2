"""The practitioner's pages and the person's endpoints, through the real URLs and the policy."""

import pytest
from django.urls import reverse

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
        flag_reasons=["Face: No match"],
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
    for automated, human in [
        ("match", "match"),
        ("match", "no_match"),
        ("no_match", "match"),
        ("no_match", "no_match"),
    ]:
        checkin = CheckInFactory(enrolment=enrolment, state=State.REVIEWED, face_decision=automated)
        Review.objects.create(checkin=checkin, decision=human, reviewer=case["practitioner"])
    CheckInFactory(enrolment=enrolment, state=State.EXPIRED, flagged=True)
    from onward.checkins.selectors import checkin_statistics

    stats = checkin_statistics(case["senior"])
    assert (stats.due, stats.on_time, stats.missed) == (5, 4, 1)
    assert (stats.agreed, stats.false_accepts, stats.false_rejects) == (2, 1, 1)
    assert staff_client(case["senior"]).get(reverse("checkins:statistics")).status_code == 200
    assert staff_client(case["practitioner"]).get(reverse("checkins:statistics")).status_code == 403


@pytest.mark.django_db
def test_the_person_does_a_checkin_through_the_endpoints(case, person_client, photo, monkeypatch):
    from onward.checkins import services

    enrolment = services.enrolment_save(
        actor=case["practitioner"],
        person=case["person"],
        details=services.EnrolmentDetails(schedule="weekly", office_visits="replaces", office_visits_reason="Low risk"),
        photo=photo("obama_1.jpg"),
    )
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    client = person_client(case["person"])
    page = client.get(reverse("checkins:person_checkin"))
    assert page.status_code == 200
    assert "How have you been feeling" in page.content.decode()
    json = {"HTTP_ACCEPT": "application/json"}
    kwargs = {"checkin_id": checkin.pk}
    assert client.post(reverse("checkins:person_answers", kwargs=kwargs), ANSWERS, **json).status_code == 200
    no_consent = client.post(
        reverse("checkins:person_location", kwargs=kwargs),
        {"latitude": 53.8, "longitude": -1.55, "accuracy": 20},
        **json,
    )
    assert no_consent.status_code == 400
    assert "agree" in no_consent.json()["errors"][0]
    located = client.post(
        reverse("checkins:person_location", kwargs=kwargs),
        {"latitude": 53.8009, "longitude": -1.5491, "accuracy": 20, "consent": "on"},
        **json,
    )
    assert located.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        reverse("checkins:person_media", kwargs=kwargs), {"media": SimpleUploadedFile("a.jpg", b"GIF89a...")}, **json
    )
    assert bad.status_code == 400
    assert "could not read" in bad.json()["errors"][0]
    queued: list[int] = []
    monkeypatch.setattr(services, "_verification_enqueue", queued.append)
    uploaded = client.post(
        reverse("checkins:person_media", kwargs=kwargs),
        {"media": SimpleUploadedFile("me.jpg", photo("obama_2.jpg"))},
        **json,
    )
    assert uploaded.status_code == 202
    status_url = uploaded.json()["status_url"]
    assert client.get(status_url).json()["face"]["status"] == "pending"
    verification_id = CheckIn.objects.get(pk=checkin.pk).verifications.get().pk
    services.verification_run(verification_id)
    face = client.get(status_url).json()["face"]
    assert face["status"] == "done"
    assert face["matched"] is True
    key = {"idempotency_key": "c0ffee"}
    first = client.post(reverse("checkins:person_submit", kwargs=kwargs), key, **json)
    retry = client.post(reverse("checkins:person_submit", kwargs=kwargs), key, **json)
    assert first.status_code == retry.status_code == 200
    assert first.json() == retry.json()
    sent = CheckIn.objects.get(pk=checkin.pk)
    assert sent.state == State.SUBMITTED
    assert sent.location_verdict == "at_address"
    assert "Said they are not great or struggling" in sent.flag_reasons


@pytest.mark.django_db
def test_a_person_cannot_reach_another_persons_checkin(case, person_client, submitted):
    other = CheckInFactory(enrolment=EnrolmentFactory(person=case["other_person"]))
    client = person_client(case["person"])
    kwargs = {"checkin_id": other.pk}
    assert client.get(reverse("checkins:person_status", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("checkins:person_answers", kwargs=kwargs), ANSWERS).status_code == 403
    assert client.post(reverse("checkins:person_submit", kwargs=kwargs), {"idempotency_key": "x"}).status_code == 403
    assert client.get(reverse("checkins:review_queue")).status_code == 403


@pytest.mark.django_db
def test_person_endpoints_need_csrf(case, submitted):
    from django.test import Client

    from onward.accounts.services import person_account_ensure

    checkin = CheckInFactory(enrolment=submitted["checkin"].enrolment)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person_account_ensure(case["person"]), backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("checkins:person_answers", kwargs={"checkin_id": checkin.pk}), ANSWERS)
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_read_plain_words_not_the_face_engines_name_and_version(case, staff_client, submitted):
    client = staff_client(case["practitioner"])
    enrolment = submitted["checkin"].enrolment
    pages = [
        client.get(reverse("checkins:review", kwargs={"checkin_id": submitted["checkin"].pk})).content.decode(),
        client.get(reverse("checkins:enrolment", kwargs={"person_id": case["person"].pk})).content.decode(),
    ]
    for page in pages:
        assert enrolment.engine not in page
        assert f"{enrolment.engine} {enrolment.model_version}" not in page
    assert "Reference face" in pages[1]
