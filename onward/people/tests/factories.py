import datetime as dt

import factory
from django.utils import timezone

from onward.accounts.tests.factories import FAKE_GB, plain_name
from onward.organisations.tests.factories import OfficeFactory, WingFactory
from onward.people.models import (
    AssignmentRole,
    ConditionKind,
    LicenceCondition,
    LicenceVersion,
    Person,
    RiskLevel,
    StaffAssignment,
    Status,
)


def _prison_number(n: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return f"{letters[n % 23]}{(1000 + n * 37) % 10000:04d}{letters[(n // 7) % 23]}{letters[(n // 3) % 23]}"


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    """A person in custody, sentenced, with realistic dates."""

    class Meta:
        model = Person

    prison_number = factory.Sequence(_prison_number)
    crn: object = None
    first_name = factory.LazyFunction(lambda: plain_name(FAKE_GB.first_name_male()))
    # Without apostrophes (O'Connor), so tests can look for the name as typed in escaped HTML.
    last_name = factory.LazyFunction(lambda: plain_name(FAKE_GB.last_name()))
    date_of_birth = factory.Faker("date_of_birth", minimum_age=19, maximum_age=70)
    status = Status.SENTENCED
    unit = factory.SubFactory(WingFactory)
    risk_level = RiskLevel.MEDIUM
    sentence_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))
    conditional_release_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=120))
    hdc_eligibility_date: object = factory.LazyAttribute(
        lambda p: p.conditional_release_date - dt.timedelta(days=90) if p.conditional_release_date else None
    )
    licence_expiry_date = factory.LazyAttribute(
        lambda p: p.conditional_release_date + dt.timedelta(days=365) if p.conditional_release_date else None
    )
    sentence_expiry_date = factory.LazyAttribute(lambda p: p.licence_expiry_date)


class CommunityPersonFactory(PersonFactory):
    """A person on licence, supervised from a probation office."""

    crn = factory.Sequence(lambda n: f"X{100000 + n:06d}")
    status = Status.LICENCE
    unit = factory.SubFactory(OfficeFactory)
    address = "1 Example Street, Northgate, NG1 1AA"
    phone = factory.Sequence(lambda n: f"07700{900000 + n:06d}"[:11])
    conditional_release_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    release_date = factory.SelfAttribute("conditional_release_date")
    hdc_eligibility_date = None


class StaffAssignmentFactory(factory.django.DjangoModelFactory[StaffAssignment]):
    class Meta:
        model = StaffAssignment

    person = factory.SubFactory(PersonFactory)
    staff = factory.SubFactory("onward.accounts.tests.factories.StaffFactory")
    role = AssignmentRole.KEY_WORKER


STANDARD_CONDITIONS = [
    "Be of good behaviour and do not do anything that could undermine the purpose of your supervision.",
    "Do not commit any offence.",
    "Keep in touch with your supervising officer as they tell you.",
    "Receive visits from your supervising officer as they tell you.",
    "Live at an address approved by your supervising officer and stay there.",
    "Do only work approved by your supervising officer.",
    "Do not travel outside the United Kingdom without permission.",
]


class LicenceVersionFactory(factory.django.DjangoModelFactory[LicenceVersion]):
    class Meta:
        model = LicenceVersion
        skip_postgeneration_save = True

    person = factory.SubFactory(CommunityPersonFactory)
    number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def conditions(
        self: LicenceVersion, create: bool, extracted: list[tuple[str, str]] | None, **kwargs: object
    ) -> None:
        rows = extracted if extracted is not None else [(ConditionKind.STANDARD, t) for t in STANDARD_CONDITIONS]
        LicenceCondition.objects.bulk_create(
            [LicenceCondition(version=self, kind=kind, text=text, position=i) for i, (kind, text) in enumerate(rows)]
        )
