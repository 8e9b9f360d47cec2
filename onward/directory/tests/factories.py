import datetime as dt

import factory
from django.utils import timezone

from onward.directory.models import Category, OpeningPeriod, Service, ServiceState
from onward.location.address import to_bng

# Leeds city centre (the demo's "Northgate"), and positions a known distance east of it.
CENTRE_LAT, CENTRE_LON = 53.7965, -1.5478


def position(east_m: float = 0.0, north_m: float = 0.0) -> dict[str, float]:
    """A service's stored position so many metres east and north of the centre."""
    from onward.location.address import from_bng

    easting, northing = to_bng(CENTRE_LAT, CENTRE_LON)
    latitude, longitude = from_bng(easting + east_m, northing + north_m)
    return {
        "latitude": latitude,
        "longitude": longitude,
        "easting": easting + east_m,
        "northing": northing + north_m,
    }


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    """A published food bank at the centre, open Monday to Friday 9 to 5."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community pantry {n}")
    category = Category.FOOD
    description = "Free food parcels for anyone who needs them."
    what_to_bring = "Nothing. A referral helps but you do not need one."
    address = "1 Market Street, Northgate"
    postcode = "LS1 6DT"
    phone = "0113 496 0000"
    state = ServiceState.PUBLISHED
    last_checked_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    latitude = factory.LazyFunction(lambda: position()["latitude"])
    longitude = factory.LazyFunction(lambda: position()["longitude"])
    easting = factory.LazyFunction(lambda: position()["easting"])
    northing = factory.LazyFunction(lambda: position()["northing"])

    @factory.post_generation
    def weekdays_nine_to_five(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(service=self, weekday=day, opens=dt.time(9), closes=dt.time(17)) for day in range(5)
        )
