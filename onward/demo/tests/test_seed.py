"""`manage.py seed_demo` builds the demo on an empty database, once, and never in production."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from onward.accounts.models import User
from onward.appointments.models import Appointment
from onward.audit.models import AuditEvent
from onward.core.actors import UserKind
from onward.demo.seed import DEMO_COMMUNITY_PHONE, DEMO_PRISON_NUMBER, DEMO_STAFF
from onward.directory.models import Service
from onward.library.models import Item
from onward.messaging.models import Message
from onward.organisations.models import OrgUnit, StaffRole
from onward.people.models import Person

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_seed_demo_builds_the_demo_on_an_empty_database_and_only_once() -> None:
    assert not OrgUnit.objects.exists()
    assert _run("seed_demo") == "Demo data created."

    assert set(StaffRole.objects.values_list("user__username", "role")) == {(e, r) for e, _f, _l, r, _u in DEMO_STAFF}
    assert Person.objects.count() == 60
    assert User.objects.filter(kind=UserKind.PERSON).count() == 60
    assert Person.objects.get(prison_number=DEMO_PRISON_NUMBER).account.pin is not None
    assert Appointment.objects.filter(person__phone=DEMO_COMMUNITY_PHONE).count() == 4
    assert Message.objects.filter(conversation__person__prison_number=DEMO_PRISON_NUMBER).count() == 4
    assert Service.objects.exists()
    assert Item.objects.exists()
    events = AuditEvent.objects.count()
    assert events > 0

    assert _run("seed_demo") == "Demo data is already there."
    assert Person.objects.count() == 60
    assert AuditEvent.objects.count() == events


def test_demo_totp_prints_the_current_code_of_a_demo_staff_member() -> None:
    _run("seed_demo")
    code = _run("demo_totp", "practitioner@onward.example")
    assert len(code) == 6
    assert code.isdigit()
    with pytest.raises(CommandError, match="No demo authenticator"):
        _run("demo_totp", "nobody@onward.example")


def test_seed_demo_refuses_to_run_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        _run("seed_demo")
    assert not OrgUnit.objects.exists()
