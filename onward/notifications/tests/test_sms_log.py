"""The text message log and the outbox admin hide codes and links, show delivery, and audit every look."""

import pytest

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.notifications.masking import secrets_masked
from onward.notifications.tests.factories import OutboxMessageFactory
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db

SIGN_IN = "Your Onward sign-in code is 483920. It works for 10 minutes. Do not share it."
LINK = "Sign in to Onward: http://127.0.0.1:8000/me/link/pZ3-synthetic_Token-xyz/ (works once)."
ACTIVATION = "Your activation code is QRST7WXY23."


@pytest.mark.parametrize(
    ("text", "secret"),
    [(SIGN_IN, "483920"), (LINK, "pZ3-synthetic_Token-xyz"), (LINK, "http://"), (ACTIVATION, "QRST7WXY23")],
)
def test_codes_and_links_are_hidden(text, secret):
    masked = secrets_masked(text)
    assert secret not in masked
    assert "hidden]" in masked


def test_ordinary_words_times_and_dates_stay():
    text = "Your appointment is on 5 December 2026 at 10:30 with PDU-N. Call 0300 123 4567."
    assert secrets_masked(text) == text


def test_the_log_hides_codes_and_links_shows_delivery_and_audits_each_view(org, make_staff, staff_client):
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    client = staff_client(admin)
    OutboxMessageFactory(body=SIGN_IN, delivery_status="delivered")
    OutboxMessageFactory(body=LINK, delivery_status="permanent-failure")
    before = AuditEvent.objects.filter(action=AuditAction.NOTIFICATIONS_SMS_LOG_VIEWED).count()
    for _ in range(2):
        page = client.get("/staff/notifications/sms-log/").content.decode()
        assert "483920" not in page
        assert "pZ3-synthetic_Token-xyz" not in page
        assert "[code hidden]" in page
        assert "[link hidden]" in page
        assert "delivered" in page
        assert "permanent-failure" in page
    views = AuditEvent.objects.filter(action=AuditAction.NOTIFICATIONS_SMS_LOG_VIEWED, actor=admin)
    assert views.count() - before == 2


def test_the_outbox_admin_hides_codes_and_links_and_audits_each_look(org, make_staff, staff_client):
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    client = staff_client(admin)
    message = OutboxMessageFactory(body=SIGN_IN, subject="Your Onward sign-in code")
    listing = client.get("/admin/notifications/outboxmessage/")
    page = client.get(f"/admin/notifications/outboxmessage/{message.pk}/change/")
    assert listing.status_code == page.status_code == 200
    assert "483920" not in listing.content.decode() + page.content.decode()
    assert "[code hidden]" in page.content.decode()
    looks = AuditEvent.objects.filter(action=AuditAction.NOTIFICATIONS_OUTBOX_VIEWED, actor=admin)
    assert looks.count() == 2
