"""Demo data for `make run`, built from the test factories: a prison, a PDU, staff in each role, ~60 people."""

import datetime as dt
import random
from typing import Any

import factory.random
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from onward.accounts.models import Role, StaffRole, User
from onward.accounts.services import person_account_ensure
from onward.accounts.tests.factories import StaffFactory
from onward.organisations.models import OrgUnit
from onward.organisations.tests.factories import OfficeFactory, PduFactory, PrisonFactory, RegionFactory, WingFactory
from onward.people.models import AssignmentRole, ConditionKind, Person, RiskLevel, StaffAssignment, Status
from onward.people.tests.factories import (
    STANDARD_CONDITIONS,
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
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
    ("admin@onward.example", "Pat", "Morgan", Role.ADMINISTRATOR, "NORTH"),
]

ADDITIONAL_CONDITIONS = [
    "Do not go to Northgate town centre (the area shown on the map you were given).",
    "Stay at your address between 7pm and 7am every day.",
    "Go to all appointments with the drug and alcohol service.",
    "Do not contact the victim, directly or through anyone else.",
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
    TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    return user


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
            hdc_eligibility_date=None
            if status == Status.REMAND or i % 3
            else crd - dt.timedelta(days=rng.randint(28, 135)),
            licence_expiry_date=None if status == Status.REMAND else crd + dt.timedelta(days=rng.randint(180, 1100)),
            sentence_expiry_date=None if status == Status.REMAND else crd + dt.timedelta(days=rng.randint(180, 1100)),
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
    )
    _assign(released, practitioner, AssignmentRole.PRACTITIONER)
    LicenceVersionFactory.create(person=released, number=1)
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
        )
        if i % 2 == 0:
            _assign(person, practitioner, AssignmentRole.PRACTITIONER)
        if status != Status.COMMUNITY_ORDER:
            extra = [(ConditionKind.ADDITIONAL, c) for c in rng.sample(ADDITIONAL_CONDITIONS, 2)]
            LicenceVersionFactory.create(
                person=person, number=1, conditions=[(ConditionKind.STANDARD, t) for t in STANDARD_CONDITIONS] + extra
            )
        person_account_ensure(person)


def _assign(person: Person, user: User, role: str) -> None:
    StaffAssignment.objects.create(person=person, staff=user, role=role)


def _set_pin(person: Person) -> Any:
    from django.contrib.auth.hashers import make_password

    from onward.accounts.models import PinCredential

    user = person_account_ensure(person)
    return PinCredential.objects.create(user=user, pin_hash=make_password(DEMO_PIN))
