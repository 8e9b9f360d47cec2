import factory

from onward.organisations.models import OrgUnit, UnitKind


class RegionFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    kind = UnitKind.REGION
    code = factory.Sequence(lambda n: f"REGION{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class PrisonFactory(RegionFactory):
    kind = UnitKind.PRISON
    code = factory.Sequence(lambda n: "P" + chr(65 + (n // 26) % 26) + chr(65 + n % 26))
    name = factory.Sequence(lambda n: f"HMP Example {n}")
    parent = factory.SubFactory(RegionFactory)


class WingFactory(RegionFactory):
    kind = UnitKind.WING
    code = factory.Sequence(lambda n: f"WING{n}")
    name = factory.Sequence(lambda n: f"Wing {n}")
    parent = factory.SubFactory(PrisonFactory)


class PduFactory(RegionFactory):
    kind = UnitKind.PDU
    code = factory.Sequence(lambda n: f"PDU{n}")
    name = factory.Sequence(lambda n: f"Probation delivery unit {n}")
    parent = factory.SubFactory(RegionFactory)


class OfficeFactory(RegionFactory):
    kind = UnitKind.OFFICE
    code = factory.Sequence(lambda n: f"OFFICE{n}")
    name = factory.Sequence(lambda n: f"Probation office {n}")
    parent = factory.SubFactory(PduFactory)
