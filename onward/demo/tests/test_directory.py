"""The demo directory: every type of service, and a food bank close to the demo person's home."""

import pytest

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.demo.directory import DEMO_SERVICES, demo_directory_seed
from onward.directory import selectors
from onward.directory.models import Category, Service
from onward.directory.selectors import Origin
from onward.location.address import to_bng
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db
ALED_HOME = (53.8008, -1.5491)  # the demo person on licence (onward/demo/seed.py)


def test_the_demo_directory_has_a_food_bank_near_the_demo_persons_home(org, make_staff):
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    assert demo_directory_seed(editor) == len(DEMO_SERVICES)
    assert set(Service.objects.values_list("category", flat=True)) == set(Category.values)
    assert AuditEvent.objects.filter(action="directory.service_created").count() == len(DEMO_SERVICES)
    person = person_account_ensure(CommunityPersonFactory(unit=org["office_n"]))
    rows = selectors.service_search(person, category=Category.FOOD, origin=Origin(*to_bng(*ALED_HOME)))
    assert rows[0].service.name == "Quarry Street Community Pantry"
    assert rows[0].distance_m is not None
    assert rows[0].distance_m < 500
    assert rows[0].service.description_cy
    assert len(rows) >= 4
