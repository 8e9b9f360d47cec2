"""Demo data for `make run`, built from the test factories: a prison, a PDU, staff in each role, ~60 people.

The demo app sits above every other app, so it may import them all (and their test factories).
"""

import datetime as dt
import random
from typing import Any

import factory.random
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from onward.accounts.actors import staff_verified_by
from onward.accounts.models import PinCredential, User
from onward.accounts.services import person_account_ensure
from onward.accounts.tests.factories import StaffFactory
from onward.appointments.models import AppointmentState
from onward.appointments.reminders import APPOINTMENT_REMINDERS
from onward.appointments.slots import slot_times
from onward.appointments.tests.factories import AppointmentFactory, SlotFactory
from onward.demo.directory import demo_directory_seed
from onward.demo.library import library_seed
from onward.learning.models import Audience, SelfAssessmentOption, SelfAssessmentResult
from onward.learning.tests.factories import QuizSpec, assessment_build, course_build
from onward.messaging.models import ScreeningPolicy, Term, WordList
from onward.messaging.services import contact_approve, conversation_for_person, message_send
from onward.notifications.reminders import reminders_plan_for
from onward.opportunities.engine import NOT_ELIGIBLE, add_months
from onward.opportunities.selectors import person_opportunities
from onward.opportunities.tests.factories import SentenceFactory
from onward.organisations.models import OrgUnit, Role, StaffRole
from onward.organisations.tests.factories import OfficeFactory, PduFactory, PrisonFactory, RegionFactory, WingFactory
from onward.people.models import AssignmentRole, Person, RiskLevel, StaffAssignment, Status
from onward.people.services import ConditionChoice
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    standard_conditions,
)

DEMO_PASSWORD = "onward-demo-password"  # noqa: S105 - demo data only; seed_demo refuses to run in production
DEMO_PIN = "1234"
DEMO_PRISON_NUMBER = "A1234BC"
DEMO_COMMUNITY_PHONE = "07700900001"
DEMO_SEED = 20261127
DEMO_DEVICE_NAME = "Demo authenticator"

DEMO_STAFF = [
    ("keyworker@onward.example", "Kim", "Walker", Role.KEY_WORKER, "NGT-A"),
    ("pom@onward.example", "Priya", "Mann", Role.POM, "NGT"),
    ("practitioner@onward.example", "Sam", "Ellis", Role.PRACTITIONER, "NG-OFFICE"),
    ("senior@onward.example", "Jo", "Baker", Role.SENIOR, "NG-PDU"),
    ("security@onward.example", "Alex", "Reid", Role.SECURITY, "NGT"),
    ("editor@onward.example", "Chris", "Lee", Role.CONTENT_EDITOR, "NORTH"),
    ("editor2@onward.example", "Rhian", "Jones", Role.CONTENT_EDITOR, "NORTH"),  # approves the first editor's work
    ("admin@onward.example", "Pat", "Morgan", Role.ADMINISTRATOR, "NORTH"),
]

ADDITIONAL_CONDITIONS = [
    ConditionChoice(code="exclusion_zone", details="Northgate town centre, as shown on the map you were given"),
    ConditionChoice(code="curfew", details="7pm to 7am every day, at your home address"),
    ConditionChoice(code="attend_appointments", details="the Northgate drug and alcohol service"),
    ConditionChoice(code="no_contact", details="the victim"),
    ConditionChoice(code="drug_test"),
]


def demo_seed() -> bool:
    """Create the demo data once. Returns False when it is already there."""
    if OrgUnit.objects.filter(code="NGT").exists():
        return False
    factory.random.reseed_random(DEMO_SEED)
    rng = random.Random(DEMO_SEED)  # noqa: S311 - repeatable demo data, not security
    with transaction.atomic():
        units = _organisation()
        staff = {email: _staff(email, first, last, role, units[code]) for email, first, last, role, code in DEMO_STAFF}
        _people(rng, units, staff)
        _messaging(units, staff)
        _appointments(staff)
        _directory(staff)
        _learning()
        _library(units, staff)
    return True


def _organisation() -> dict[str, OrgUnit]:
    north = RegionFactory.create(code="NORTH", name="North region")
    ngt = PrisonFactory.create(
        code="NGT", name="HMP Northgate", parent=north, address="Prison Road, Northgate, NG9 9ZZ"
    )
    pdu = PduFactory.create(code="NG-PDU", name="Northgate probation delivery unit", parent=north)
    return {
        "NORTH": north,
        "NGT": ngt,
        "NGT-A": WingFactory.create(code="NGT-A", name="A wing", parent=ngt),
        "NGT-B": WingFactory.create(code="NGT-B", name="B wing", parent=ngt),
        "NG-PDU": pdu,
        "NG-OFFICE": OfficeFactory.create(
            code="NG-OFFICE",
            name="Northgate probation office",
            parent=pdu,
            address="10 High Street, Northgate, NG1 2AB",
        ),
    }


def _staff(email: str, first: str, last: str, role: str, unit: OrgUnit) -> User:
    user: User = StaffFactory.create(username=email, email=email, first_name=first, last_name=last)
    user.set_password(DEMO_PASSWORD)
    user.save()
    StaffRole.objects.create(user=user, role=role, unit=unit)
    # Demo staff come with an authenticator already set up; `manage.py demo_totp EMAIL` shows its code.
    device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    # The demo's messages and contacts go through the services as this member of staff, past their second factor.
    return staff_verified_by(user, device)


def demo_totp_device(email: str) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user__username=email, name=DEMO_DEVICE_NAME, confirmed=True).first()


def _people(rng: random.Random, units: dict[str, OrgUnit], staff: dict[str, User]) -> None:
    today = timezone.localdate()
    keyworker, pom, practitioner = (
        staff["keyworker@onward.example"],
        staff["pom@onward.example"],
        staff["practitioner@onward.example"],
    )
    # The demo person in custody: signs in with prison number and PIN.
    demo = PersonFactory.create(
        prison_number=DEMO_PRISON_NUMBER,
        first_name="Daniel",
        last_name="Hughes",
        unit=units["NGT-A"],
        conditional_release_date=today + dt.timedelta(days=75),
        risk_level=RiskLevel.LOW,
    )
    _assign(demo, keyworker, AssignmentRole.KEY_WORKER)
    _assign(demo, pom, AssignmentRole.POM)
    # Two years from eleven months ago: eligible for HDC within the weeks the checks take.
    _sentence(demo, today, sentenced_days_ago=330, term_months=24)
    _set_pin(demo)
    for i in range(29):
        status = Status.REMAND if i % 5 == 0 else Status.SENTENCED
        crd = today + dt.timedelta(days=rng.randint(10, 900))
        person = PersonFactory.create(
            unit=units["NGT-A"] if i % 2 else units["NGT-B"],
            status=status,
            risk_level=rng.choice(list(RiskLevel)),
            sentence_date=None if status == Status.REMAND else today - dt.timedelta(days=rng.randint(60, 1500)),
            conditional_release_date=None if status == Status.REMAND else crd,
            hdc_eligibility_date=None,  # worked out from the sentence below
            licence_expiry_date=None if status == Status.REMAND else crd + dt.timedelta(days=rng.randint(180, 1100)),
            sentence_expiry_date=None if status == Status.REMAND else crd + dt.timedelta(days=rng.randint(180, 1100)),
        )
        if status == Status.SENTENCED:
            months = rng.choice([4, 9, 18, 30, 44, 60])
            _sentence(
                person,
                today,
                sentenced_days_ago=rng.randint(30, months * 13),  # under half the term: not yet released
                term_months=months,
                unknown=i % 7 == 0,
                presumed_unsuitable=i % 11 == 0,
                excluded=i % 13 == 0,
            )
        if i % 3 == 0:
            _assign(person, keyworker, AssignmentRole.KEY_WORKER)
        if i % 4 == 0 and status == Status.SENTENCED:
            _assign(person, pom, AssignmentRole.POM)
        _set_pin(person)
    # The demo person in the community: gets a one-time code by text message (see the SMS log).
    released = CommunityPersonFactory.create(
        crn="X100001",
        first_name="Aled",
        last_name="Pryce",
        phone=DEMO_COMMUNITY_PHONE,
        preferred_language="cy",
        unit=units["NG-OFFICE"],
        status=Status.LICENCE,
        address="Flat 4, 21 Quarry Street\nNorthgate\nLS1 3ED",
        address_line_1="Flat 4, 21 Quarry Street",
        town="Northgate",
        postcode="LS1 3ED",
        address_latitude=53.8008,
        address_longitude=-1.5491,
        address_precision_m=100,
    )
    _assign(released, practitioner, AssignmentRole.PRACTITIONER)
    LicenceVersionFactory.create(
        person=released,
        number=1,
        conditions=[*standard_conditions(), ADDITIONAL_CONDITIONS[1], ADDITIONAL_CONDITIONS[4]],
    )
    person_account_ensure(released)
    for i in range(29):
        status = [Status.HDC, Status.LICENCE, Status.LICENCE, Status.COMMUNITY_ORDER][i % 4]
        released_on = today - dt.timedelta(days=rng.randint(5, 300))
        no_custody = {"prison_number": None} if status == Status.COMMUNITY_ORDER else {}
        person = CommunityPersonFactory.create(
            **no_custody,
            unit=units["NG-OFFICE"],
            status=status,
            risk_level=rng.choice(list(RiskLevel)),
            conditional_release_date=None if status == Status.COMMUNITY_ORDER else released_on,
            release_date=None if status == Status.COMMUNITY_ORDER else released_on,
            sentence_date=today - dt.timedelta(days=rng.randint(30, 600)),
            licence_expiry_date=today + dt.timedelta(days=rng.randint(30, 700)),
            sentence_expiry_date=today + dt.timedelta(days=rng.randint(30, 700)),
            phone="",
            # Homes around the fictional Northgate (near 53.80, -1.55), for check-in location checks.
            address_latitude=round(53.78 + rng.random() * 0.04, 5),
            address_longitude=round(-1.58 + rng.random() * 0.06, 5),
        )
        if i % 2 == 0:
            _assign(person, practitioner, AssignmentRole.PRACTITIONER)
        if status != Status.COMMUNITY_ORDER:
            extra = rng.sample(ADDITIONAL_CONDITIONS, 2)
            LicenceVersionFactory.create(person=person, number=1, conditions=standard_conditions() + extra)
        person_account_ensure(person)


def _assign(person: Person, user: User, role: str) -> None:
    StaffAssignment.objects.create(person=person, staff=user, role=role)


def _set_pin(person: Person) -> PinCredential:
    user = person_account_ensure(person)
    return PinCredential.objects.create(user=user, pin_hash=make_password(DEMO_PIN))


# --- Messaging demo: HMP Northgate's word list, conversations, an approved contact, one held message ---

DEMO_WORD_LIST = {
    "word": ["parcel", "drone", "spice", "burner", "mamba"],
    "phrase": ["over the wall", "throw it over", "on the out"],
    "pattern": ["uk_phone_number", "bank_sort_code", "bank_account_number"],
}


def _messaging(units: dict[str, OrgUnit], staff: dict[str, User]) -> None:
    word_list = WordList.objects.create(unit=units["NGT"], policy=ScreeningPolicy.HOLD)
    for kind, texts in DEMO_WORD_LIST.items():
        for text in texts:
            Term.objects.create(word_list=word_list, kind=kind, text=text, category="security")
    keyworker, security = staff["keyworker@onward.example"], staff["security@onward.example"]
    daniel = Person.objects.get(prison_number=DEMO_PRISON_NUMBER)
    daniel_user = person_account_ensure(daniel)
    with_staff = conversation_for_person(actor=keyworker, person=daniel)
    message_send(actor=keyworker, conversation=with_staff, body="Hello Daniel, I have booked you on the CV course.")
    message_send(actor=daniel_user, conversation=with_staff, body="Thanks Kim. When does it start?")
    sister = contact_approve(
        actor=security, person=daniel, name="Sarah Hughes", relationship="Sister", email="sarah@example.org"
    )
    with_sister = sister.conversations.get()
    message_send(actor=daniel_user, conversation=with_sister, body="Hi Sarah, I am doing a CV course.")
    # Held by the word list: security release it from the review queue in the demo.
    message_send(actor=daniel_user, conversation=with_sister, body="Can you send a parcel with my trainers?")
    aled = Person.objects.get(crn="X100001")
    practitioner = staff["practitioner@onward.example"]
    with_aled = conversation_for_person(actor=practitioner, person=aled)
    message_send(actor=practitioner, conversation=with_aled, body="Hi Aled, see you on Tuesday at 10.")


def _library(units: dict[str, OrgUnit], staff: dict[str, User]) -> None:
    library_seed(staff["editor@onward.example"], staff["editor2@onward.example"], units["NGT"])


def _appointments(staff: dict[str, User]) -> None:
    """Aled's appointments: one coming up (with its reminders planned), one attended, one missed."""
    practitioner = staff["practitioner@onward.example"]
    aled = Person.objects.get(crn="X100001")
    office = "Northgate probation office, 2 High Street, Northgate NG1 2AB"
    today = timezone.localdate()

    def at(days: int, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, 0)))

    upcoming = AppointmentFactory.create(
        person=aled, staff=practitioner, with_name="", address=office, starts_at=at(2, 10)
    )
    # Times Aled can book himself: the practitioner's Thursday-style afternoon, in 30-minute slots.
    for starts, ends in slot_times(today + dt.timedelta(days=3), dt.time(14, 0), dt.time(16, 0), 30):
        SlotFactory.create(staff=practitioner, address=office, starts_at=starts, ends_at=ends)
    AppointmentFactory.create(
        person=aled,
        kind="drug_test",
        staff=None,
        with_name="Northgate drug and alcohol service",
        address="14 Mill Lane, Northgate NG1 4CD",
        starts_at=at(6, 14),
    )
    AppointmentFactory.create(
        person=aled,
        staff=practitioner,
        with_name="",
        address=office,
        starts_at=at(-7, 11),
        state=AppointmentState.ATTENDED,
        outcome_at=at(-7, 12),
        outcome_by=practitioner,
    )
    AppointmentFactory.create(
        person=aled,
        staff=practitioner,
        with_name="",
        address=office,
        starts_at=at(-14, 11),
        state=AppointmentState.ACCEPTABLE_ABSENCE,
        outcome_reason="At a job interview (evidence seen)",
        outcome_at=at(-14, 12),
        outcome_by=practitioner,
    )
    reminders_plan_for(APPOINTMENT_REMINDERS, list(aled.appointments.filter(pk__gte=upcoming.pk)))


def _directory(staff: dict[str, User]) -> None:
    """Local services around Northgate, with food banks near Aled's and the other demo people's homes."""
    demo_directory_seed(staff["editor@onward.example"])


# --- Learning demo: one short course with quizzes (our own words), and a self-assessment ---

DEMO_COURSE_TITLE = "Managing money after release"
COPING_QUESTIONS = [
    "I have been sleeping well.",
    "I have felt calm.",
    "I have got on with the people around me.",
    "I have been able to deal with problems as they come up.",
    "I feel hopeful about the future.",
]
COPING_QUESTIONS_CY = [
    "Rydw i wedi bod yn cysgu'n dda.",
    "Rydw i wedi teimlo'n dawel.",
    "Rydw i wedi dod ymlaen gyda'r bobl o'm cwmpas.",
    "Rydw i wedi gallu delio â phroblemau wrth iddyn nhw godi.",
    "Rydw i'n teimlo'n obeithiol am y dyfodol.",
]
COPING_OPTIONS = [
    ("Not at all", 0, "Ddim o gwbl"),
    ("A little", 1, "Ychydig"),
    ("Quite a lot", 2, "Eithaf tipyn"),
    ("A lot", 3, "Llawer"),
]


def _learning() -> None:
    course = course_build(
        DEMO_COURSE_TITLE,
        [
            (
                "Your money on the day you leave",
                "When you leave prison you may get a discharge grant. This is a small amount of money to help "
                "you in your first few days.\n\n"
                "# What to do first\n"
                "- Keep your money somewhere safe.\n"
                "- Buy food and pay for travel first.\n"
                "- Ask about Universal Credit before you leave, so your first payment comes sooner.\n\n"
                "If you have nowhere to live, tell your prison offender manager. You may get more help.",
                [
                    QuizSpec(
                        "What is a discharge grant?",
                        [
                            (
                                "A small amount of money to help in your first days",
                                True,
                                "Yes. It is there to help with food and travel at first.",
                            ),
                            ("A loan you must pay back", False, "No. You do not pay it back."),
                        ],
                    ),
                    QuizSpec(
                        "When should you ask about Universal Credit?",
                        [
                            (
                                "Before you leave prison",
                                True,
                                "Yes. Asking early means your first payment comes sooner.",
                            ),
                            ("A month after you leave", False, "No. If you wait, you will wait longer for money."),
                        ],
                    ),
                ],
            ),
            (
                "Opening a bank account",
                "You need a bank account for your wages and for Universal Credit.\n\n"
                "# What you need\n"
                "- Some ID, like a passport or a birth certificate.\n"
                "- Proof of your address, or a letter from the prison or from probation.\n\n"
                "Many prisons can help you open an account before you leave. Ask your key worker.\n\n"
                "# Keep it safe\n"
                "- Never tell anyone your PIN.\n"
                "- Do not let anyone else use your account. This is called money muling and it is a crime.",
                [
                    QuizSpec(
                        "Who can help you open a bank account before you leave?",
                        [
                            (
                                "Your key worker or the prison's resettlement team",
                                True,
                                "Yes. Many prisons can help you do this before you leave.",
                            ),
                            (
                                "No one. You must wait until you are out",
                                False,
                                "No. Many prisons can help you before you leave.",
                            ),
                        ],
                    ),
                    QuizSpec(
                        "Which of these keep your account safe?",
                        [
                            ("Keep your PIN to yourself", True, "Yes. Never tell anyone your PIN."),
                            (
                                "Let a friend pay money through your account",
                                False,
                                "No. Letting others use your account is called money muling. It is a crime.",
                            ),
                            ("Check your balance often", True, "Yes. You will spot anything strange quickly."),
                        ],
                        multiple=True,
                    ),
                ],
            ),
            (
                "Making a budget",
                "A budget is a plan for your money. It helps you pay for what you need first.\n\n"
                "# Three steps\n"
                "1. Write down the money coming in each month.\n"
                "2. Write down what you must pay: rent, food, bills and travel.\n"
                "3. Take the second number away from the first. What is left is for everything else.\n\n"
                "If you owe money, do not ignore it. Free debt advice services can help.",
                [
                    QuizSpec(
                        "What should you pay for first?",
                        [
                            ("Rent, food and bills", True, "Yes. These come first, then everything else."),
                            ("New clothes and going out", False, "Not quite. Pay for what you need first."),
                        ],
                    ),
                    QuizSpec(
                        "You owe money and cannot pay. What is the best thing to do?",
                        [
                            ("Get free debt advice", True, "Yes. Free debt advice services can help you make a plan."),
                            ("Ignore the letters", False, "No. Debts can grow if you ignore them."),
                            (
                                "Borrow from a loan shark",
                                False,
                                "No. Loan sharks are against the law and can be dangerous.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
        audience=Audience.BOTH,
        title_cy="Rheoli arian ar ôl cael eich rhyddhau",
        summary="Three short lessons about money when you leave prison: your discharge grant, a bank account "
        "and a budget.",
        summary_cy="Tair gwers fer am arian pan fyddwch chi'n gadael y carchar: eich grant rhyddhau, cyfrif banc "
        "a chyllideb.",
    )
    _learning_welsh(course)
    coping = assessment_build(
        "How am I coping?",
        COPING_QUESTIONS,
        [(text, score) for text, score, _cy in COPING_OPTIONS],
        title_cy="Sut ydw i'n ymdopi?",
        introduction="Think about the last two weeks. How true is each of these for you?",
        introduction_cy="Meddyliwch am y pythefnos diwethaf. Pa mor wir yw pob un o'r rhain i chi?",
        score_meaning="A higher score means you are coping better. Your worker can see your scores and talk them "
        "through with you.",
        score_meaning_cy="Mae sgôr uwch yn golygu eich bod chi'n ymdopi'n well. Gall eich gweithiwr weld eich sgoriau "
        "a siarad amdanyn nhw gyda chi.",
    )
    welsh_options = {text: cy for text, _score, cy in COPING_OPTIONS}
    for question, welsh in zip(coping.questions.order_by("position"), COPING_QUESTIONS_CY, strict=True):
        question.text_cy = welsh
        question.save(update_fields=["text_cy"])
    for option in SelfAssessmentOption.objects.filter(question__assessment=coping):
        option.text_cy = welsh_options[option.text]
        option.save(update_fields=["text_cy"])
    # Aled has done it twice before, so he and his practitioner see a score history.
    aled = Person.objects.get(crn="X100001")
    for days_ago, score in ((28, 6), (14, 9)):
        SelfAssessmentResult.objects.create(
            person=aled,
            assessment=coping,
            score=score,
            max_score=15,
            answers={},
            submitted_at=timezone.now() - dt.timedelta(days=days_ago),
        )


def _learning_welsh(course: Any) -> None:
    """The first lesson and its quiz in Welsh too (the others fall back to English)."""
    first = course.modules.get().lessons.order_by("position").first()
    first.title_cy = "Eich arian ar y diwrnod y byddwch chi'n gadael"
    first.body_cy = (
        "Pan fyddwch chi'n gadael y carchar, efallai y cewch chi grant rhyddhau. Swm bach o arian yw hwn i'ch "
        "helpu yn yr ychydig ddyddiau cyntaf.\n\n"
        "# Beth i'w wneud yn gyntaf\n"
        "- Cadwch eich arian yn rhywle diogel.\n"
        "- Prynwch fwyd a thalwch am deithio yn gyntaf.\n"
        "- Gofynnwch am Gredyd Cynhwysol cyn i chi adael, fel bod eich taliad cyntaf yn dod yn gynt.\n\n"
        "Os nad oes gennych chi unman i fyw, dywedwch wrth eich rheolwr troseddwyr yn y carchar. Efallai y cewch "
        "chi fwy o help."
    )
    first.save(update_fields=["title_cy", "body_cy"])
    welsh = {
        "What is a discharge grant?": "Beth yw grant rhyddhau?",
        "When should you ask about Universal Credit?": "Pryd dylech chi ofyn am Gredyd Cynhwysol?",
        "A small amount of money to help in your first days": "Swm bach o arian i helpu yn eich dyddiau cyntaf",
        "A loan you must pay back": "Benthyciad y mae'n rhaid i chi ei dalu'n ôl",
        "Before you leave prison": "Cyn i chi adael y carchar",
        "A month after you leave": "Mis ar ôl i chi adael",
    }
    feedback = {
        "A small amount of money to help in your first days": "Ie. Mae yno i helpu gyda bwyd a theithio ar y dechrau.",
        "A loan you must pay back": "Na. Nid oes rhaid i chi ei dalu'n ôl.",
        "Before you leave prison": "Ie. Os gofynnwch chi'n gynnar, bydd eich taliad cyntaf yn dod yn gynt.",
        "A month after you leave": "Na. Os arhoswch chi, byddwch chi'n aros yn hirach am arian.",
    }
    for question in first.questions.all():
        question.text_cy = welsh[question.text]
        question.save(update_fields=["text_cy"])
        for option in question.options.all():
            option.text_cy = welsh[option.text]
            option.feedback_cy = feedback[option.text]
            option.save(update_fields=["text_cy", "feedback_cy"])


def _sentence(
    person: Person,
    today: dt.date,
    *,
    sentenced_days_ago: int,
    term_months: int,
    unknown: bool = False,
    presumed_unsuitable: bool = False,
    excluded: bool = False,
) -> None:
    """A sentence for a person in custody, and the dates worked out from it on their record (as staff would)."""
    SentenceFactory.create(
        person=person,
        sentenced_on=today - dt.timedelta(days=sentenced_days_ago),
        term_months=term_months,
        sex_offender_registration=None if unknown else excluded,
        offence_categories=["harassment"] if presumed_unsuitable else [],
    )
    found = person_opportunities(person, today)
    Person.objects.filter(pk=person.pk).update(
        sentence_date=today - dt.timedelta(days=sentenced_days_ago),
        conditional_release_date=found.hdc.release_date,
        hdc_eligibility_date=found.hdc.eligible_on if found.hdc.status != NOT_ELIGIBLE else None,
        rotl_eligibility_date=found.rotl.eligible_on if found.rotl.status != NOT_ELIGIBLE else None,
        sentence_expiry_date=add_months(today - dt.timedelta(days=sentenced_days_ago), term_months),
        licence_expiry_date=add_months(today - dt.timedelta(days=sentenced_days_ago), term_months),
    )
