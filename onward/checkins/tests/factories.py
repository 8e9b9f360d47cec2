import datetime as dt
import hashlib
from types import ModuleType

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from onward.checkins.models import (
    Answer,
    CheckIn,
    CheckInMedia,
    ContactPreference,
    Enrolment,
    ExtraQuestion,
    MediaKind,
    OfficeVisits,
    Questionnaire,
    Review,
    ReviewDecision,
    Schedule,
    Verification,
    VerificationStatus,
)
from onward.core.crypto import encrypt_bytes
from onward.people.tests.factories import CommunityPersonFactory

TINY_JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


class EnrolmentFactory(factory.django.DjangoModelFactory[Enrolment]):
    """An enrolment with a stand-in template (not a real face: the verification tests enrol a real one)."""

    class Meta:
        model = Enrolment

    person = factory.SubFactory(CommunityPersonFactory)
    template_encrypted = factory.LazyFunction(lambda: encrypt_bytes(b"\x00" * 1024))
    engine = "test-engine"
    model_version = "test"
    schedule = Schedule.WEEKLY
    starts_on = factory.LazyFunction(timezone.localdate)
    window_hours = 72
    contact_preference = ContactPreference.SMS
    office_visits = OfficeVisits.SUPPLEMENTS
    office_visits_reason = "Stable accommodation and work; monthly office visits continue."


class QuestionnaireFactory(factory.django.DjangoModelFactory[Questionnaire]):
    class Meta:
        model = Questionnaire

    version = factory.Sequence(lambda n: 100 + n)
    active = False


class ExtraQuestionFactory(factory.django.DjangoModelFactory[ExtraQuestion]):
    class Meta:
        model = ExtraQuestion

    person = factory.SubFactory(CommunityPersonFactory)
    text = "Did you go to your appointment at the job centre?"


class CheckInFactory(factory.django.DjangoModelFactory[CheckIn]):
    class Meta:
        model = CheckIn

    enrolment = factory.SubFactory(EnrolmentFactory)
    person = factory.SelfAttribute("enrolment.person")
    questionnaire = factory.LazyFunction(lambda: Questionnaire.objects.get(active=True))
    due_date = factory.Sequence(lambda n: timezone.localdate() - dt.timedelta(days=n))
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    closes_at = factory.LazyAttribute(lambda c: c.opens_at + dt.timedelta(hours=72))


class AnswerFactory(factory.django.DjangoModelFactory[Answer]):
    class Meta:
        model = Answer

    checkin = factory.SubFactory(CheckInFactory)
    question = factory.LazyAttribute(lambda a: a.checkin.questionnaire.questions.get(key="mood"))
    value = "well"


class CheckInMediaFactory(factory.django.DjangoModelFactory[CheckInMedia]):
    class Meta:
        model = CheckInMedia

    checkin = factory.SubFactory(CheckInFactory)
    kind = MediaKind.PHOTO
    content_type = "image/jpeg"
    size_bytes = len(TINY_JPEG)
    sha256 = hashlib.sha256(TINY_JPEG).hexdigest()
    file = factory.LazyFunction(lambda: ContentFile(TINY_JPEG, name="photo.jpg"))


class VerificationFactory(factory.django.DjangoModelFactory[Verification]):
    class Meta:
        model = Verification

    media = factory.SubFactory(CheckInMediaFactory)
    checkin = factory.SelfAttribute("media.checkin")
    status = VerificationStatus.DONE
    distance = 0.35
    decision = "match"
    engine = "test-engine"
    model_version = "test"


class ReviewFactory(factory.django.DjangoModelFactory[Review]):
    class Meta:
        model = Review

    checkin = factory.SubFactory(CheckInFactory, state="reviewed")
    decision = ReviewDecision.MATCH
    reviewer = factory.SubFactory("onward.accounts.tests.factories.StaffFactory")


def questionnaire_ensure() -> None:
    """Seed the questionnaire as its data migration does, when a transactional test's clean-up
    (which empties every table) ran before this test in the same process."""
    import importlib

    from django.apps import apps

    if not Questionnaire.objects.filter(active=True).exists():
        importlib.import_module("onward.checkins.migrations.0002_questionnaire_v1").seed(apps, None)
        flag_codes_migration().to_codes(apps, None)


def flag_codes_migration() -> ModuleType:
    """The data migration that turns stored flag words into codes, whatever its number."""
    import importlib
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "migrations"
    (path,) = folder.glob("*_flag_reasons_as_codes.py")
    return importlib.import_module(f"onward.checkins.migrations.{path.stem}")
