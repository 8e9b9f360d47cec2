import datetime as dt
import json

import pytest
from django.utils import timezone
from markupsafe import escape

from onward.accounts.services import device_token_create, person_account_ensure
from onward.appointments.models import Appointment, AppointmentState
from onward.appointments.tests.factories import AppointmentFactory
from onward.audit.models import AuditEvent
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db


def _booking(day: dt.date, **extra: str) -> dict[str, str]:
    data = {
        "kind": "supervision",
        "day": day.isoformat(),
        "start": "10:00",
        "end": "10:45",
        "with_name": "",
        "address": "2 High Street",
        "video_url": "",
        "notes": "",
        "compulsory": "yes",
    }
    data.update(extra)
    return data


def _weekday_after(days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    return day


def test_staff_book_from_the_person_record_and_see_it_in_the_diary(case, staff_client):
    client = staff_client(case["practitioner"])
    person = case["person"]
    record = client.get(f"/staff/people/{person.pk}/").content.decode()
    assert "Appointments and attendance" in record
    day = _weekday_after(4)
    response = client.post(f"/staff/people/{person.pk}/appointments/new/", _booking(day, bank_holiday_ok="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get(person=person)
    assert appointment.staff == case["practitioner"]
    assert timezone.localtime(appointment.starts_at).hour == 10
    diary = client.get(f"/staff/appointments/?date={day.isoformat()}").content.decode()
    assert str(escape(person.full_name)) in diary
    week = client.get(f"/staff/appointments/?view=week&date={day.isoformat()}").content.decode()
    assert str(escape(person.full_name)) in week
    assert client.get(f"/staff/appointments/{appointment.pk}/").status_code == 200


def test_booking_on_a_bank_holiday_warns_first(case, staff_client):
    client = staff_client(case["practitioner"])
    person = case["person"]
    response = client.post(f"/staff/people/{person.pk}/appointments/new/", _booking(dt.date(2027, 12, 27)))
    assert response.status_code == 200
    assert "bank holiday" in response.content.decode()
    assert not Appointment.objects.exists()
    response = client.post(
        f"/staff/people/{person.pk}/appointments/new/", _booking(dt.date(2027, 12, 27), bank_holiday_ok="1")
    )
    assert response.status_code == 302
    assert Appointment.objects.count() == 1


def test_form_errors_are_shown(case, staff_client):
    client = staff_client(case["practitioner"])
    response = client.post(
        f"/staff/people/{case['person'].pk}/appointments/new/", _booking(_weekday_after(3), end="09:00", address="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end time must be after the start time" in body
    assert "Enter an address or a video link" in body


def test_staff_cancel_rearrange_and_record_attendance(case, staff_client):
    client = staff_client(case["practitioner"])
    future = AppointmentFactory(person=case["person"])
    client.post(f"/staff/appointments/{future.pk}/cancel/", {"reason": "Office closed"})
    future.refresh_from_db()
    assert future.state == AppointmentState.CANCELLED
    other = AppointmentFactory(person=case["person"])
    response = client.post(
        f"/staff/appointments/{other.pk}/rearrange/", {**_booking(_weekday_after(6)), "reason": "Clash"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state == AppointmentState.REARRANGED
    assert other.rearranged_to is not None
    past = AppointmentFactory(person=case["person"], starts_at=timezone.now() - dt.timedelta(hours=1))
    client.post(f"/staff/appointments/{past.pk}/attendance/", {"outcome": "attended", "reason": ""})
    past.refresh_from_db()
    assert past.state == AppointmentState.ATTENDED
    assert "Attended" in client.get(f"/staff/people/{case['person'].pk}/").content.decode()


def test_staff_outside_scope_are_refused(case, make_staff, staff_client):
    stranger = staff_client(make_staff(Role.PRACTITIONER, case["org"]["office_s"]))
    appointment = AppointmentFactory(person=case["person"])
    assert stranger.get(f"/staff/appointments/{appointment.pk}/").status_code == 403
    assert stranger.get(f"/staff/people/{case['person'].pk}/appointments/new/").status_code == 403
    assert stranger.post(f"/staff/appointments/{appointment.pk}/cancel/", {"reason": "x"}).status_code == 403


def test_the_person_sees_confirms_and_asks_to_rearrange(case, person_client):
    mine = AppointmentFactory(person=case["person"])
    theirs = AppointmentFactory(person=case["other"])
    client = person_client(case["person"])
    listing = client.get("/me/appointments/").content.decode()
    assert "Supervision with your probation practitioner" in listing
    assert client.get(f"/me/appointments/{theirs.pk}/").status_code == 403
    assert client.post(f"/me/appointments/{theirs.pk}/confirm/").status_code == 403
    client.post(f"/me/appointments/{mine.pk}/confirm/")
    mine.refresh_from_db()
    assert mine.confirmed_at is not None
    client.post(f"/me/appointments/{mine.pk}/rearrange/", {"note": "Work"})
    mine.refresh_from_db()
    assert mine.rearrange_request_note == "Work"
    assert AuditEvent.objects.filter(action="appointment.view_own", object_id=str(mine.pk)).exists() is False
    assert AuditEvent.objects.filter(action="appointment.view_own_for_confirm").exists()


def test_calendar_pages_issue_an_address(case, person_client, staff_client):
    response = person_client(case["person"]).post("/me/appointments/calendar/")
    assert "/calendar/" in response.content.decode()
    response = staff_client(case["practitioner"]).post("/staff/appointments/calendar/")
    assert "/calendar/" in response.content.decode()


def test_api_person_and_staff(case, staff_client):
    mine = AppointmentFactory(person=case["person"])
    issued = device_token_create(actor=person_account_ensure(case["person"]), name="Phone")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.token}"}
    from django.test import Client

    device = Client()
    listing = device.get("/api/v1/me/appointments", **headers).json()
    assert [a["id"] for a in listing["upcoming"]] == [mine.pk]
    confirmed = device.post(f"/api/v1/me/appointments/{mine.pk}/confirm", **headers).json()
    assert confirmed["confirmed"] is True
    other = AppointmentFactory(person=case["other"])
    assert device.post(f"/api/v1/me/appointments/{other.pk}/confirm", **headers).status_code == 404
    answer = device.post(
        f"/api/v1/me/appointments/{mine.pk}/rearrange-request",
        json.dumps({"note": "Work"}),
        content_type="application/json",
        **headers,
    )
    assert answer.json()["rearrange_requested"] is True

    staff = staff_client(case["practitioner"])
    starts = timezone.now() + dt.timedelta(days=3)
    booked = staff.post(
        f"/api/v1/people/{case['person'].pk}/appointments",
        json.dumps(
            {
                "kind": "drug_test",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + dt.timedelta(minutes=20)).isoformat(),
                "address": "Office",
            }
        ),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=staff.cookies["csrftoken"].value if "csrftoken" in staff.cookies else "",
    )
    assert booked.status_code == 201, booked.content
    day = timezone.localtime(starts).date().isoformat()
    diary = staff.get(f"/api/v1/diary?date={day}").json()
    assert booked.json()["id"] in [a["id"] for a in diary]
    assert staff.get(f"/api/v1/people/{case['other'].pk}/appointments").status_code == 404
