"""Near-me ordering, search, what people may see, and what editors may change (audited)."""

import datetime as dt
import itertools
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.directory import selectors, services
from onward.directory.models import Category, Service, ServiceState
from onward.directory.selectors import Origin
from onward.directory.tests.factories import ServiceFactory, position
from onward.location.address import to_bng
from onward.location.postcodes import postcode_locate
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db
CENTRE = Origin(*to_bng(53.7965, -1.5478))


@pytest.fixture
def person_user(org):
    return person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))


@pytest.fixture
def editor(org, make_staff):
    return make_staff(Role.CONTENT_EDITOR, org["north"])


def details(**overrides):
    values = {
        "name": "Northgate Community Larder",
        "category": Category.FOOD,
        "description": "Free food, no questions asked.",
        "address": "3 Chapel Yard, Northgate",
        "postcode": "LS1 4AP",
        "weekly": {0: [(dt.time(9), dt.time(17))]},
    }
    values.update(overrides)
    return services.ServiceDetails(**values)


def test_near_me_lists_the_nearest_first_and_leaves_out_those_too_far(person_user, settings):
    settings.DIRECTORY_NEAR_ME_RADIUS_KM = 10
    far = ServiceFactory(name="Far", **position(9000, 0))
    nearest = ServiceFactory(name="Nearest", **position(0, 300))
    middle = ServiceFactory(name="Middle", **position(-2000, -2000))
    ServiceFactory(name="In the box corner but too far", **position(9000, 9000))
    ServiceFactory(name="Outside", **position(30000, 0))
    rows = selectors.service_search(person_user, origin=CENTRE)
    assert [r.service for r in rows] == [nearest, middle, far]
    assert rows[0].distance_m == pytest.approx(300, abs=1)
    assert rows[1].distance_m == pytest.approx(2828.4, abs=1)


def test_near_me_from_a_postcode_finds_the_food_bank_round_the_corner_first(person_user):
    home = postcode_locate("LS1 4AP")
    round_the_corner = ServiceFactory(
        name="Corner food bank", easting=home.easting + 150, northing=home.northing, **_latlon(home, 150)
    )
    ServiceFactory(name="Town food bank", **position(3000, 3000))
    ServiceFactory(
        name="Job club", category=Category.WORK, easting=home.easting, northing=home.northing, **_latlon(home, 0)
    )
    rows = selectors.service_search(person_user, category=Category.FOOD, origin=Origin(home.easting, home.northing))
    assert [r.service.name for r in rows] == ["Corner food bank", "Town food bank"]
    assert rows[0].service == round_the_corner


def test_near_me_takes_a_fixed_number_of_queries(person_user):
    for i in range(3):
        ServiceFactory(**position(i * 100, 0))
    with CaptureQueriesContext(connection) as few:
        selectors.service_search(person_user, origin=CENTRE)
    for i in range(20):
        ServiceFactory(**position(i * 50, 100))
    with CaptureQueriesContext(connection) as many:
        rows = selectors.service_search(person_user, origin=CENTRE)
    assert len(rows) == 23
    assert 0 < len(many) == len(few) <= 4


def test_near_me_keeps_only_the_nearest_few(person_user, settings):
    settings.DIRECTORY_RESULTS_MAX = 3
    made = [ServiceFactory(name=f"S{i}", **position(1000 - i * 100, 0)) for i in range(6)]
    rows = selectors.service_search(person_user, origin=CENTRE)
    assert [r.service for r in rows] == [made[5], made[4], made[3]]


def test_words_and_category_narrow_the_list(person_user):
    ServiceFactory(name="Hope Street Pantry", description="Food parcels")
    ServiceFactory(name="Debt Help Northgate", category=Category.DEBT, description="Free money advice")
    ServiceFactory(name="Bridge Housing Advice", category=Category.HOUSING, description="Help to find a home")
    assert [r.service.name for r in selectors.service_search(person_user, words="money advice")] == [
        "Debt Help Northgate"
    ]
    assert [r.service.name for r in selectors.service_search(person_user, category=Category.HOUSING)] == [
        "Bridge Housing Advice"
    ]
    assert len(selectors.service_search(person_user)) == 3


def test_open_now_filter(person_user):
    monday_ten = dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC)
    ServiceFactory(name="Weekday pantry")
    ServiceFactory(name="Weekend pantry", weekdays_nine_to_five=False)
    rows = selectors.service_search(person_user, open_now=True, at=monday_ten)
    assert [r.service.name for r in rows] == ["Weekday pantry"]


def test_withdrawn_entries_are_hidden_from_people_and_staff_but_not_editors(org, make_staff, person_user, editor):
    gone = ServiceFactory(name="Closed down", state=ServiceState.WITHDRAWN, withdrawn_reason="Closed in October")
    ServiceFactory(name="Still here")
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    for user in (person_user, practitioner):
        assert [r.service.name for r in selectors.service_search(user, origin=CENTRE)] == ["Still here"]
        assert [r.service.name for r in selectors.service_search(user, include_withdrawn=True)] == ["Still here"]
        with pytest.raises(PermissionDenied):
            selectors.service_get(user, gone.pk)
    assert {r.service.name for r in selectors.service_search(editor, include_withdrawn=True)} == {
        "Closed down",
        "Still here",
    }
    assert selectors.service_get(editor, gone.pk) == gone


def test_an_editor_adds_a_service_placed_by_its_postcode_and_it_is_audited(editor):
    service = services.service_create(actor=editor, details=details())
    place = postcode_locate("LS1 4AP")
    assert (service.easting, service.northing) == (place.easting, place.northing)
    assert service.latitude == pytest.approx(place.latitude, abs=1e-5)
    assert service.last_checked_by == editor
    assert list(service.opening_periods.values_list("weekday", "opens", "closes")) == [(0, dt.time(9), dt.time(17))]
    event = AuditEvent.objects.get(action="directory.service_created")
    assert (event.actor, event.actor_role, event.object_id) == (editor, "content_editor", str(service.pk))


def test_an_unknown_postcode_is_refused_in_plain_words(editor):
    with pytest.raises(ValidationError) as refused:
        services.service_create(actor=editor, details=details(postcode="LS6 0QQ"))
    assert "We could not find the postcode LS6 0QQ" in str(refused.value)
    assert not Service.objects.exists()


def test_changing_an_entry_counts_as_checking_it_and_records_what_changed(editor, make_staff, org):
    service = ServiceFactory(last_checked_on=dt.date(2025, 1, 1))
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    changed = services.service_update(
        actor=admin, service=service, details=details(name="New name", description_cy="Bwyd am ddim")
    )
    assert changed.name == "New name"
    assert changed.last_checked_by == admin
    assert changed.last_checked_on > dt.date(2025, 1, 1)
    event = AuditEvent.objects.get(action="directory.service_updated")
    assert event.actor_role == "administrator"
    assert "name" in event.data["changed"]
    assert "description_cy" in event.data["changed"]


def test_mark_checked_withdraw_and_publish(editor):
    service = ServiceFactory(last_checked_on=dt.date(2025, 1, 1))
    services.service_mark_checked(actor=editor, service=service, on=dt.date(2026, 11, 27))
    service.refresh_from_db()
    assert service.last_checked_on == dt.date(2026, 11, 27)
    with pytest.raises(ValidationError):
        services.service_withdraw(actor=editor, service=service, reason="  ")
    services.service_withdraw(actor=editor, service=service, reason="The charity closed")
    service.refresh_from_db()
    assert (service.state, service.withdrawn_reason) == (ServiceState.WITHDRAWN, "The charity closed")
    with pytest.raises(ValidationError):
        services.service_withdraw(actor=editor, service=service, reason="Again")
    services.service_publish(actor=editor, service=service)
    service.refresh_from_db()
    assert (service.state, service.withdrawn_reason) == (ServiceState.PUBLISHED, "")
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["directory.service_checked", "directory.service_withdrawn", "directory.service_published"]


@pytest.mark.parametrize("role", [Role.KEY_WORKER, Role.PRACTITIONER, Role.SENIOR, Role.SECURITY, Role.POM])
def test_only_editors_and_administrators_change_the_directory(org, make_staff, role):
    service = ServiceFactory()
    user = make_staff(role, org["north"])
    with pytest.raises(PermissionDenied):
        services.service_create(actor=user, details=details())
    with pytest.raises(PermissionDenied):
        services.service_update(actor=user, service=service, details=details())
    with pytest.raises(PermissionDenied):
        services.service_withdraw(actor=user, service=service, reason="No")
    with pytest.raises(PermissionDenied):
        services.service_mark_checked(actor=user, service=service)


def test_a_person_cannot_change_the_directory(org):
    service = ServiceFactory()
    for person in (PersonFactory(unit=org["wing_a"]), CommunityPersonFactory(unit=org["office_n"])):
        user = person_account_ensure(person)
        with pytest.raises(PermissionDenied):
            services.service_create(actor=user, details=details())
        with pytest.raises(PermissionDenied):
            services.service_withdraw(actor=user, service=service, reason="No")
    assert Service.objects.count() == 1


def test_welsh_text_with_english_fallback():
    service = ServiceFactory(description="Free food", description_cy="Bwyd am ddim", what_to_bring="ID")
    assert service.text_in("cy", "description") == "Bwyd am ddim"
    assert service.text_in("cy", "what_to_bring") == "ID"
    assert service.text_in("en-gb", "description") == "Free food"


def _latlon(place, east_m):
    from onward.location.address import from_bng

    latitude, longitude = from_bng(place.easting + east_m, place.northing)
    return {"latitude": latitude, "longitude": longitude}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=st.lists(
        st.tuples(st.floats(-30_000, 30_000), st.floats(-30_000, 30_000)), min_size=1, max_size=12, unique=True
    ),
    radius_km=st.integers(1, 25),
)
def test_near_me_matches_measuring_every_service_by_hand(person_user, offsets, radius_km):
    from django.test import override_settings

    Service.objects.all().delete()
    made = [
        ServiceFactory(name=f"S{i}", weekdays_nine_to_five=False, **position(e, n)) for i, (e, n) in enumerate(offsets)
    ]
    by_hand = {service.pk: math.hypot(e, n) for service, (e, n) in zip(made, offsets, strict=True)}
    radius_m = radius_km * 1000
    with override_settings(DIRECTORY_NEAR_ME_RADIUS_KM=radius_km):
        rows = selectors.service_search(person_user, origin=CENTRE)
    listed = [r.service.pk for r in rows]
    # Within a metre of the edge, rounding may fall either way; everywhere else it must agree.
    assert {pk for pk, d in by_hand.items() if d <= radius_m - 1} <= set(listed)
    assert not {pk for pk, d in by_hand.items() if d > radius_m + 1} & set(listed)
    assert [r.distance_m for r in rows] == pytest.approx([by_hand[pk] for pk in listed], abs=0.5)
    assert all(a.distance_m <= b.distance_m for a, b in itertools.pairwise(rows))
