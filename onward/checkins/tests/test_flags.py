"""Flag reasons are stored as codes and read in the reader's language."""

import datetime as dt
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from onward.checkins import services
from onward.checkins.flags import (
    FACE_FLAGS,
    LOCATION_FLAGS,
    FlagReason,
    FlagReasonText,
    flag_reason_text,
    flag_reasons_described,
)
from onward.checkins.models import CheckIn, FaceDecision, LocationVerdict, Question, Questionnaire, State
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, flag_codes_migration

migration = flag_codes_migration()


def test_every_decision_that_needs_eyes_has_a_reason_and_every_reason_reads_differently():
    assert set(FACE_FLAGS) == set(FaceDecision) - {FaceDecision.MATCH}
    assert set(LOCATION_FLAGS) == set(LocationVerdict) - {LocationVerdict.AT_ADDRESS}
    labels = [str(reason.label) for reason in FlagReason]
    assert len(set(labels)) == len(labels)


def test_a_code_reads_as_words_and_an_unknown_one_as_it_was_stored():
    assert flag_reason_text("face_no_match") == "Face: No match"
    assert flag_reason_text("Something a person typed once") == "Something a person typed once"
    assert flag_reasons_described(["missed", "odd"]) == [
        FlagReasonText(code="missed", text="Missed check-in"),
        FlagReasonText(code="odd", text="odd"),
    ]


@pytest.mark.django_db
def test_the_seeded_questions_name_their_reasons_by_code():
    questions = Questionnaire.objects.get(active=True).questions
    assert dict(questions.exclude(flag_reason="").values_list("key", "flag_reason")) == {
        "mood": FlagReason.MOOD_LOW,
        "help": FlagReason.HELP_ASKED,
        "call_back": FlagReason.CALL_BACK,
    }


@pytest.mark.django_db
def test_a_missed_check_in_stores_a_code_and_the_reviewer_reads_words(case, staff_client):
    now = timezone.now()
    late = CheckInFactory(
        enrolment=EnrolmentFactory(person=case["person"]),
        opens_at=now - dt.timedelta(hours=80),
        closes_at=now - dt.timedelta(minutes=1),
    )
    services.checkins_expire()
    late.refresh_from_db()
    assert late.flag_reasons == ["missed"]
    client = staff_client(case["practitioner"])
    queue = unescape(client.get(reverse("checkins:review_queue")).content.decode())
    assert "Missed check-in" in queue
    review = unescape(client.get(reverse("checkins:review", kwargs={"checkin_id": late.pk})).content.decode())
    assert "<li>Missed check-in</li>" in review
    assert "<li>missed</li>" not in review

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"  # a Welsh-speaking reviewer reads the same reason in Welsh
    review = unescape(client.get(reverse("checkins:review", kwargs={"checkin_id": late.pk})).content.decode())
    assert "<li>Gwiriad wedi'i fethu</li>" in review


def test_the_same_code_reads_in_each_readers_language():
    with translation.override("cy"):
        assert flag_reason_text("face_no_match") == "Wyneb: Dim cyfatebiaeth"
        assert flag_reasons_described(["call_back"]) == [FlagReasonText("call_back", "Eisiau galwad yn ôl")]
    with translation.override("en-gb"):
        assert flag_reason_text("face_no_match") == "Face: No match"


@pytest.mark.django_db
def test_the_migration_turns_stored_words_into_codes_and_back():
    enrolment = EnrolmentFactory()
    old = CheckInFactory(
        enrolment=enrolment,
        state=State.SUBMITTED,
        flagged=True,
        flag_reasons=["Said they are not great or struggling", "Face: No match", "Words nobody mapped"],
    )
    calm = CheckInFactory(enrolment=enrolment, due_date=old.due_date + dt.timedelta(days=1), flag_reasons=[])
    mood = Question.objects.get(questionnaire__active=True, key="mood")
    Question.objects.filter(pk=mood.pk).update(flag_reason="Said they are not great or struggling")

    migration.to_codes(apps, None)
    old.refresh_from_db()
    assert old.flag_reasons == ["mood_low", "face_no_match", "Words nobody mapped"]
    assert Question.objects.get(pk=mood.pk).flag_reason == "mood_low"
    assert CheckIn.objects.get(pk=calm.pk).flag_reasons == []

    migration.to_codes(apps, None)  # running it again changes nothing
    old.refresh_from_db()
    assert old.flag_reasons == ["mood_low", "face_no_match", "Words nobody mapped"]

    migration.to_texts(apps, None)
    old.refresh_from_db()
    assert old.flag_reasons == ["Said they are not great or struggling", "Face: No match", "Words nobody mapped"]
    assert Question.objects.get(pk=mood.pk).flag_reason == "Said they are not great or struggling"


# Reasons added after migration 0004, which only ever stored codes (its mapping stays frozen).
ADDED_AFTER_0004 = {FlagReason.MEDIA_SEEN_BEFORE, FlagReason.VOICE_WRONG_DIGITS}


def test_the_migration_knows_every_reason():
    assert set(migration.TEXTS_BY_CODE) == set(FlagReason.values) - ADDED_AFTER_0004
    assert all(str(FlagReason(code).label) == text for code, text in migration.TEXTS_BY_CODE.items())
