"""GOV.UK Notify: the real client against a local fake server, and the callbacks we receive."""

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import jwt
import pytest
from django.test import Client

from onward.appointments.models import AppointmentState
from onward.appointments.tests.factories import AppointmentFactory
from onward.notifications.delivery import outbox_deliver
from onward.notifications.models import InboundSms, OutboxMessage, OutboxStatus
from onward.notifications.notify import phone_variants

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"onward_test-{SERVICE_ID}-{SECRET}"
CALLBACK_TOKEN = "callback-secret-0123456789"


class FakeNotify(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeNotify.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        answer = json.dumps({"id": "11111111-2222-3333-4444-555555555555", "reference": body.get("reference")})
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_notify(settings: Any) -> Iterator[list[dict[str, Any]]]:
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNotify.received = []
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.NOTIFY_SMS_TEMPLATE_ID = "sms-template-id"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "email-template-id"
    settings.SMS_CHANNEL = "onward.notifications.notify.NotifySmsChannel"
    settings.EMAIL_CHANNEL = "onward.notifications.notify.NotifyEmailChannel"
    yield FakeNotify.received
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_sms_goes_to_notify_in_its_request_shape(fake_notify):
    message = OutboxMessage.objects.create(channel="sms", recipient="07700900001", body="Reminder: drug test")
    assert outbox_deliver(message.pk) == "sent"
    [request] = fake_notify
    assert request["path"] == "/v2/notifications/sms"
    assert request["body"] == {
        "phone_number": "07700900001",
        "template_id": "sms-template-id",
        "personalisation": {"body": "Reminder: drug test"},
        "reference": f"outbox-{message.pk}",
    }
    token = request["headers"]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    message.refresh_from_db()
    assert message.provider_reference == "11111111-2222-3333-4444-555555555555"


@pytest.mark.django_db
def test_email_goes_to_notify_with_subject_and_body(fake_notify):
    message = OutboxMessage.objects.create(channel="email", recipient="p@example.org", subject="Hello", body="Text")
    assert outbox_deliver(message.pk) == "sent"
    [request] = fake_notify
    assert request["path"] == "/v2/notifications/email"
    assert request["body"]["email_address"] == "p@example.org"
    assert request["body"]["personalisation"] == {"subject": "Hello", "body": "Text"}


@pytest.mark.django_db
def test_without_an_api_key_the_attempt_fails_and_is_retried(settings):
    settings.SMS_CHANNEL = "onward.notifications.notify.NotifySmsChannel"
    settings.NOTIFY_API_KEY = ""
    message = OutboxMessage.objects.create(channel="sms", recipient="07700900001", body="x")
    assert outbox_deliver(message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "NOTIFY_API_KEY" in message.last_error


def _post(path: str, payload: dict[str, Any], token: str | None = CALLBACK_TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post(path, json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.django_db
def test_delivery_callbacks_are_recorded_and_a_wrong_token_is_refused(settings):
    settings.NOTIFY_CALLBACK_BEARER_TOKEN = CALLBACK_TOKEN
    message = OutboxMessage.objects.create(channel="sms", recipient="07700900001", body="x", status="sent")
    payload = {
        "id": "abc",
        "reference": f"outbox-{message.pk}",
        "status": "delivered",
        "completed_at": "2026-11-27T10:00:00.000000Z",
    }
    assert _post("/notify/delivery-status/", payload, token="wrong").status_code == 401
    assert _post("/notify/delivery-status/", payload, token=None).status_code == 401
    message.refresh_from_db()
    assert message.delivery_status == ""
    assert _post("/notify/delivery-status/", payload).status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == "delivered"
    assert message.delivery_status_at.isoformat().startswith("2026-11-27T10:00:00")


@pytest.mark.django_db
def test_callbacks_refuse_everything_when_no_token_is_configured(settings):
    settings.NOTIFY_CALLBACK_BEARER_TOKEN = ""
    assert _post("/notify/delivery-status/", {"status": "delivered"}, token="").status_code == 401


@pytest.mark.django_db
def test_an_inbound_yes_confirms_the_next_appointment(case, settings):
    settings.NOTIFY_CALLBACK_BEARER_TOKEN = CALLBACK_TOKEN
    appointment = AppointmentFactory(person=case["person"])
    payload = {
        "id": "in-1",
        "source_number": "447700123456",
        "destination_number": "07860000000",
        "message": "Yes",
        "date_received": "2026-11-27T10:00:00.000000Z",
    }
    response = _post("/notify/inbound-sms/", payload)
    assert response.json() == {"matched": True, "understood_as": "confirm"}
    appointment.refresh_from_db()
    assert appointment.confirmed_at is not None
    assert appointment.state == AppointmentState.BOOKED
    # Notify retries: the same message counts once.
    assert _post("/notify/inbound-sms/", payload).status_code == 200
    assert InboundSms.objects.count() == 1


@pytest.mark.django_db
def test_an_inbound_r_asks_to_rearrange_and_unknown_numbers_match_no_one(case, settings):
    settings.NOTIFY_CALLBACK_BEARER_TOKEN = CALLBACK_TOKEN
    appointment = AppointmentFactory(person=case["person"])
    base = {"destination_number": "07860000000", "date_received": "2026-11-27T10:00:00Z"}
    _post("/notify/inbound-sms/", {**base, "id": "in-2", "source_number": "07700123456", "message": "R please"})
    appointment.refresh_from_db()
    assert appointment.rearrange_requested_at is not None
    answer = _post("/notify/inbound-sms/", {**base, "id": "in-3", "source_number": "07999999999", "message": "yes"})
    assert answer.json() == {"matched": False, "understood_as": ""}


def test_phone_variants():
    assert phone_variants("+44 7700 900001") == sorted(
        {"07700900001", "+447700900001", "447700900001", "+44 7700 900001"}
    )
