"""A person's in-app notices: on their home page (unread ones) and in their inbox, where they mark them read."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.notifications.models import Channel, OutboxMessage, OutboxStatus
from onward.notifications.selectors import inbox_for, inbox_unread
from onward.notifications.services import inbox_mark_read, notification_queue
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


def _notice(person: Any, n: int, **kwargs: Any) -> OutboxMessage:
    account = person_account_ensure(person)
    return notification_queue(
        channel=Channel.IN_APP,
        recipient=str(account.pk),
        user=account,
        person=person,
        subject=f"Synthetic notice {n}",
        body=f"Synthetic body {n}: see https://onward.example/me/",
        idempotency_key=f"synthetic-notice:{person.pk}:{n}",
        **kwargs,
    )


@pytest.fixture
def person(org: dict[str, Any]) -> Any:
    return CommunityPersonFactory(unit=org["office_n"])


def test_the_home_page_shows_unread_notices_and_the_inbox_marks_them_read(person, person_client):
    first, second = _notice(person, 1), _notice(person, 2)
    OutboxMessage.objects.filter(pk=first.pk).update(created_at=first.created_at - dt.timedelta(hours=1))
    other = CommunityPersonFactory(unit=person.unit)
    _notice(other, 3)
    client = person_client(person)
    home = client.get("/me/").content.decode()
    assert "You have 2 new messages." in home
    assert "Synthetic notice 2" in home
    assert "Synthetic notice 3" not in home  # someone else's
    inbox = client.get("/me/inbox/").content.decode()
    assert inbox.index("Synthetic notice 2") < inbox.index("Synthetic notice 1")  # newest first
    assert 'href="https://onward.example/me/"' in inbox
    assert client.post("/me/inbox/read/", {"notice": str(second.pk)}).status_code == 302
    assert list(inbox_unread(person_account_ensure(person))) == [first]
    assert client.post("/me/inbox/read/").status_code == 302
    assert not inbox_unread(person_account_ensure(person)).exists()
    assert "You have no new messages." in client.get("/me/").content.decode()
    assert AuditEvent.objects.filter(action="notifications.inbox_read").count() == 2


def test_a_person_cannot_mark_someone_elses_notice_read(person):
    other = CommunityPersonFactory(unit=person.unit)
    theirs = _notice(other, 1)
    assert inbox_mark_read(actor=person_account_ensure(person), message_ids=[theirs.pk]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_staff_have_no_inbox_and_failed_notices_are_not_shown(person, make_staff, org, staff_client):
    staff = make_staff(Role.PRACTITIONER, org["office_n"])
    staff.is_verified = lambda: True
    with pytest.raises(PermissionDenied):
        inbox_mark_read(actor=staff)
    assert staff_client(staff).get("/me/inbox/").status_code == 403
    failed = _notice(person, 9)
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED)
    assert list(inbox_for(person_account_ensure(person))) == []
    assert list(inbox_for(staff)) == []


def test_the_inbox_is_in_welsh_for_a_welsh_speaker(person, person_client):
    _notice(person, 1)
    client = person_client(person)
    client.cookies["django_language"] = "cy"
    page = client.get("/me/inbox/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Eich negeseuon gan Onward" in page
