"""A new enrolment starts with a way that reaches the person (issue 12): their checked phone by text,
else their checked email, else notifications on their phone; "in the app only" when nothing else does.
The invitation goes by the chosen way, or another that reaches them."""

import re
from typing import Any

import pytest
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.checkins import services
from onward.checkins.tests.factories import EnrolmentFactory
from onward.notifications.models import OutboxMessage
from onward.notifications.tests.factories import PushSubscriptionFactory
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


def _person(org: dict[str, Any], **contacts: Any) -> Any:
    return CommunityPersonFactory(unit=org["office_n"], **{"phone": "", "email": "", **contacts})


def test_a_checked_phone_is_the_default(org: dict[str, Any]) -> None:
    assert services.contact_preference_default(_person(org, phone="07700900123")) == "sms"


def test_a_checked_email_when_there_is_no_checked_phone(org: dict[str, Any]) -> None:
    person = _person(org, phone="07700900124", email="barack@example.org")
    person.phone_verified_at = None
    person.save()
    assert services.contact_preference_default(person) == "email"


def test_phone_notifications_when_there_is_no_checked_phone_or_email(org: dict[str, Any], settings: Any) -> None:
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "private-key-for-a-test", "public-key-for-a-test"
    settings.VAPID_SUBJECT = "mailto:onward-team@example.org"
    person = _person(org)
    assert services.contact_preference_default(person) == "in_app"
    PushSubscriptionFactory(user=person_account_ensure(person))
    assert services.contact_preference_default(person) == "push"


def test_the_enrolment_form_starts_with_the_way_that_reaches_them(
    org: dict[str, Any], make_staff: Any, staff_client: Any
) -> None:
    practitioner = make_staff("practitioner", org["office_n"])
    reachable = _person(org, phone="07700900125")
    unreachable = _person(org)
    for person in (reachable, unreachable):
        StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    client = staff_client(practitioner)

    page = client.get(f"/staff/people/{reachable.pk}/check-ins/").content.decode()
    assert re.search(r'<option value="sms" selected>', page)
    assert 'data-testid="not-reachable"' not in page

    page = client.get(f"/staff/people/{unreachable.pk}/check-ins/").content.decode()
    assert re.search(r'<option value="in_app" selected>', page)
    assert 'data-testid="not-reachable"' in page  # staff are told the invitation will stay in the app


def test_the_invitation_goes_another_way_when_the_chosen_one_cannot_reach_them(org: dict[str, Any]) -> None:
    person = _person(org, phone="07700900126", email="michelle@example.org")
    person.phone_verified_at = None  # the phone was never checked: texting it could reach a stranger
    person.save()
    enrolment = EnrolmentFactory(person=person, contact_preference="sms")
    services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    sent = OutboxMessage.objects.filter(person=person).exclude(channel="in_app")
    assert [(m.channel, m.recipient) for m in sent] == [("email", "michelle@example.org")]


def test_in_the_app_only_sends_nothing_else(org: dict[str, Any]) -> None:
    person = _person(org, phone="07700900127")
    enrolment = EnrolmentFactory(person=person, contact_preference="in_app")
    services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    assert list(OutboxMessage.objects.filter(person=person).values_list("channel", flat=True)) == ["in_app"]
