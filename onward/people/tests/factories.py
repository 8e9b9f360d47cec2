import datetime as dt

import factory
from django.utils import timezone

from onward.accounts.tests.factories import FAKE_GB, plain_name
from onward.organisations.tests.factories import OfficeFactory, WingFactory
from onward.people.licence_catalogue import CATALOGUE, catalogue_ensure
from onward.people.models import (
    AssignmentRole,
    ConditionType,
    LicenceCondition,
    LicenceVersion,
    Person,
    RiskLevel,
    StaffAssignment,
    Status,
)
from onward.people.services import ConditionChoice, licence_condition_build


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
    phone: object = ""
    email = ""
    sentence_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))
    conditional_release_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=120))
    hdc_eligibility_date: object = factory.LazyAttribute(
        lambda p: p.conditional_release_date - dt.timedelta(days=90) if p.conditional_release_date else None
    )
    licence_expiry_date = factory.LazyAttribute(
        lambda p: p.conditional_release_date + dt.timedelta(days=365) if p.conditional_release_date else None
    )
    sentence_expiry_date = factory.LazyAttribute(lambda p: p.licence_expiry_date)
    # Contacts made by a factory count as verified (as the migration marks those already on record).
    phone_verified_at = factory.LazyAttribute(lambda p: timezone.now() if p.phone else None)
    email_verified_at = factory.LazyAttribute(lambda p: timezone.now() if p.email else None)


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


class LicenceVersionFactory(factory.django.DjangoModelFactory[LicenceVersion]):
    class Meta:
        model = LicenceVersion
        skip_postgeneration_save = True

    person = factory.SubFactory(CommunityPersonFactory)
    number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def conditions(
        self: LicenceVersion, create: bool, extracted: list[ConditionChoice] | None, **kwargs: object
    ) -> None:
        """Copied from the catalogue the way the service copies them: every standard condition unless told."""
        catalogue_ensure()
        chosen = extracted if extracted is not None else standard_conditions()
        types = {t.code: t for t in ConditionType.objects.all()}
        rows = [licence_condition_build(choice, types) for choice in chosen]
        for position, row in enumerate(rows):
            row.version = self
            row.position = position
        LicenceCondition.objects.bulk_create(rows)


def standard_conditions() -> list[ConditionChoice]:
    return [ConditionChoice(code=entry.code) for entry in CATALOGUE if entry.kind == "standard"]
