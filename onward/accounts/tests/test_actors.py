"""Who may act: staff only after their second factor (failing closed), people as themselves, the system never."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from onward.accounts.actors import SystemActor, signed_in_user, staff_verified_by
from onward.accounts.models import User
from onward.accounts.services import person_account_ensure
from onward.accounts.tests.factories import StaffFactory, StaffRoleFactory, TOTPDeviceFactory
from onward.core.permissions import can, registered_actions, require
from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(org):
    user = StaffFactory()
    StaffRoleFactory(user=user, role=Role.ADMINISTRATOR, unit=org["north"])
    return user


def test_a_staff_user_object_without_the_verified_flag_is_refused(administrator):
    loaded = User.objects.get(pk=administrator.pk)  # as a job or a command would load them: no flag at all
    assert not hasattr(loaded, "is_verified")
    assert not can(loaded, "admin.site")
    assert not can(loaded, "staff.home")
    with pytest.raises(PermissionDenied):
        require(loaded, "audit.search")


def test_a_staff_user_whose_flag_says_not_verified_is_refused(administrator):
    administrator.is_verified = lambda: False  # signed in with a password, code not yet entered
    assert not can(administrator, "admin.site")


def test_a_staff_user_past_their_second_factor_is_allowed(administrator):
    verified = staff_verified_by(administrator, TOTPDeviceFactory(user=administrator))
    assert can(verified, "admin.site")
    assert can(verified, "audit.search")


def test_only_a_staff_members_own_confirmed_device_verifies_them(org, administrator):
    someone_else = TOTPDeviceFactory(user=StaffFactory())
    with pytest.raises(ValueError, match="confirmed authenticators"):
        staff_verified_by(administrator, someone_else)
    with pytest.raises(ValueError, match="confirmed authenticators"):
        staff_verified_by(administrator, TOTPDeviceFactory(user=administrator, confirmed=False))
    person = person_account_ensure(PersonFactory(unit=org["wing_a"]))
    with pytest.raises(ValueError, match="Only staff"):
        staff_verified_by(person, TOTPDeviceFactory(user=person))
    assert not can(administrator, "admin.site")


def test_people_need_no_second_factor(org):
    person = PersonFactory(unit=org["wing_a"])
    user = User.objects.get(pk=person_account_ensure(person).pk)
    assert can(user, "person.self", person)


def test_the_system_is_refused_every_action():
    system = SystemActor("retention_run")
    assert str(system) == "system (retention_run)"
    allowed = [action for action in sorted(registered_actions()) if can(system, action)]
    assert allowed == []
    with pytest.raises(ValueError, match="name of the job"):
        SystemActor(" ")


def test_a_view_gets_its_signed_in_user_and_an_anonymous_visitor_is_refused(administrator):
    request = RequestFactory().get("/")
    request.user = administrator
    assert signed_in_user(request) is administrator
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in_user(request)
