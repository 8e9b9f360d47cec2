"""Slots: staff open a range, a person books one (exactly once), limits, notice, policy, withdrawal, API."""

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from onward.accounts.services import device_token_create, person_account_ensure
from onward.appointments import slots as slot_services
from onward.appointments.models import Appointment, AppointmentState, Slot, SlotState
from onward.appointments.selectors import slots_bookable_by_person
from onward.appointments.slots import SlotOpening, slot_book, slot_times, slot_withdraw, slots_open
from onward.appointments.tests.factories import AppointmentFactory, SlotFactory
from onward.audit.models import AuditEvent
from onward.notifications.models import OutboxMessage, Reminder
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory

TAKEN = "Someone else has just taken that time. Please choose another."


def _day(days: int = 5) -> dt.date:
    """A day that is not a bank holiday anywhere, `days` from today or later."""
    from onward.appointments.services import bank_holidays_on

    day = timezone.localdate() + dt.timedelta(days=days)
    while bank_holidays_on(day):
        day += dt.timedelta(days=1)
    return day


def _opening(**extra: Any) -> SlotOpening:
    values: dict[str, Any] = {
        "kind": "supervision",
        "day": _day(),
        "start": dt.time(10, 0),
        "end": dt.time(12, 0),
        "length_minutes": 30,
        "address": "Northgate office, 2 High Street",
    }
    values.update(extra)
    return SlotOpening(**values)


@pytest.fixture
def second(case: dict[str, Any]) -> Any:
    """A second person on the same practitioner's caseload."""
    person = CommunityPersonFactory(unit=case["org"]["office_n"])
    StaffAssignmentFactory(person=person, staff=case["practitioner"], role=AssignmentRole.PRACTITIONER)
    return person


def _slot_at(staff: Any, starts: dt.datetime, minutes: int = 30, **extra: Any) -> Slot:
    return SlotFactory(staff=staff, starts_at=starts, ends_at=starts + dt.timedelta(minutes=minutes), **extra)


def _account(person: Any) -> Any:
    return person_account_ensure(person)


# --- Generating slots -------------------------------------------------------------------------


def test_a_slot_is_booked_once_and_withdrawn_for_good():
    from onward.appointments.models import SLOT_TRANSITIONS

    assert SLOT_TRANSITIONS[SlotState.OPEN] == {SlotState.BOOKED, SlotState.WITHDRAWN}
    assert SLOT_TRANSITIONS[SlotState.BOOKED] == {SlotState.WITHDRAWN}
    assert not SLOT_TRANSITIONS[SlotState.WITHDRAWN]


def test_a_range_is_cut_into_whole_slots_in_london_time():
    day = dt.date(2026, 7, 1)
    times = slot_times(day, dt.time(10, 0), dt.time(12, 0), 30)
    assert [(timezone.localtime(s).strftime("%H:%M"), timezone.localtime(e).strftime("%H:%M")) for s, e in times] == [
        ("10:00", "10:30"),
        ("10:30", "11:00"),
        ("11:00", "11:30"),
        ("11:30", "12:00"),
    ]
    assert times[0][0].utcoffset() == dt.timedelta(hours=1)  # British Summer Time
    assert len(slot_times(day, dt.time(10, 0), dt.time(11, 50), 30)) == 3  # the part slot is left out
    assert slot_times(day, dt.time(10, 0), dt.time(10, 20), 30) == []


@pytest.mark.django_db
def test_staff_open_a_range_and_opening_it_again_adds_nothing(case):
    opened = slots_open(actor=case["practitioner"], opening=_opening())
    assert len(opened.slots) == 4
    assert opened.already_open == 0
    assert Slot.objects.filter(staff=case["practitioner"], state=SlotState.OPEN).count() == 4
    event = AuditEvent.objects.get(action="appointment_slots.opened")
    assert event.data["slots"] == [s.pk for s in opened.slots]
    again = slots_open(actor=case["practitioner"], opening=_opening(end=dt.time(13, 0)))
    assert len(again.slots) == 2
    assert again.already_open == 4
    assert Slot.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"end": dt.time(9, 0)}, "The end time must be after the start time."),
        ({"end": dt.time(10, 15)}, "The time range is shorter than one slot."),
        ({"address": "", "video_url": ""}, "Enter an address or a video link."),
        ({"day": dt.date(2020, 1, 6)}, "The slots must start in the future."),
        ({"start": dt.time(0, 0), "end": dt.time(23, 45), "length_minutes": 15}, "That makes too many slots."),
    ],
)
def test_opening_refuses_ranges_that_make_no_sense(case, extra, message):
    with pytest.raises(ValidationError) as refused:
        slots_open(actor=case["practitioner"], opening=_opening(**extra))
    assert any(m.startswith(message) for m in refused.value.messages)
    assert not Slot.objects.exists()


@pytest.mark.django_db
def test_only_staff_who_supervise_the_person_can_open_slots_for_them(case, make_staff):
    org = case["org"]
    colleague = make_staff(Role.PRACTITIONER, org["office_n"])  # same office, not their worker
    senior = make_staff(Role.SENIOR, org["pdu_n"])  # sees the person, does not supervise them
    security = make_staff(Role.SECURITY, org["ngt"])
    for staff in (colleague, senior):
        with pytest.raises(PermissionDenied):
            slots_open(actor=staff, opening=_opening(for_person=case["person"]))
    with pytest.raises(PermissionDenied):
        slots_open(actor=security, opening=_opening())
    opened = slots_open(actor=case["practitioner"], opening=_opening(for_person=case["person"]))
    assert {s.for_person_id for s in opened.slots} == {case["person"].pk}


# --- Booking ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_a_slot_makes_an_ordinary_appointment_with_reminders(case):
    slot = SlotFactory(staff=case["practitioner"], office=case["org"]["office_n"])
    user = _account(case["person"])
    appointment = slot_book(actor=user, slot_id=slot.pk)
    slot.refresh_from_db()
    assert slot.state == SlotState.BOOKED
    assert slot.booked_by == case["person"]
    assert slot.appointment == appointment
    assert appointment.person == case["person"]
    assert appointment.staff == case["practitioner"]
    assert (appointment.starts_at, appointment.ends_at) == (slot.starts_at, slot.ends_at)
    assert appointment.state == AppointmentState.BOOKED
    assert (
        Reminder.objects.filter(kind="appointment", object_id=appointment.pk).count() == 2
    )  # 48 hours and 2 hours before
    booked = AuditEvent.objects.get(action="appointment.booked", object_id=str(appointment.pk))
    assert booked.data["slot"] == slot.pk
    assert booked.actor_role == "person"
    told = OutboxMessage.objects.get(user=case["practitioner"])
    assert case["person"].reference in told.subject
    assert OutboxMessage.objects.filter(recipient=case["person"].phone).exists()  # the person's confirmation


@pytest.mark.django_db
def test_a_slot_taken_between_reading_and_booking_goes_to_one_person_only(case, second, monkeypatch):
    """The conditional update: the other person's booking lands after this one read the slot as open."""
    slot = SlotFactory(staff=case["practitioner"])
    real_limit_check = slot_services._limit_check

    def other_person_books_first(*args: Any) -> None:
        real_limit_check(*args)
        Slot.objects.filter(pk=slot.pk).update(state=SlotState.BOOKED, booked_by=second, booked_at=timezone.now())

    monkeypatch.setattr(slot_services, "_limit_check", other_person_books_first)
    with pytest.raises(ValidationError) as refused:
        slot_book(actor=_account(case["person"]), slot_id=slot.pk)
    assert refused.value.messages == [TAKEN]
    assert not Appointment.objects.filter(person=case["person"]).exists()


@pytest.mark.django_db
def test_the_second_person_to_book_is_told_plainly(case, second):
    slot = SlotFactory(staff=case["practitioner"])
    slot_book(actor=_account(case["person"]), slot_id=slot.pk)
    with pytest.raises(ValidationError) as refused:
        slot_book(actor=_account(second), slot_id=slot.pk)
    assert refused.value.messages == [TAKEN]
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_same_slot_at_once_get_one_booking(case, second):
    slot = SlotFactory(staff=case["practitioner"])
    users = [_account(case["person"]), _account(second)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def book(user: Any) -> None:
        try:
            start.wait(timeout=10)
            slot_book(actor=user, slot_id=slot.pk)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["booked", TAKEN])
    assert Appointment.objects.count() == 1
    slot.refresh_from_db()
    assert slot.appointment is not None
    assert slot.appointment.person_id == slot.booked_by_id


@pytest.mark.django_db
def test_pressing_book_again_gives_back_the_same_appointment(case):
    slot = SlotFactory(staff=case["practitioner"])
    user = _account(case["person"])
    first = slot_book(actor=user, slot_id=slot.pk)
    again = slot_book(actor=user, slot_id=slot.pk)
    assert again.pk == first.pk
    assert Appointment.objects.count() == 1
    assert AuditEvent.objects.filter(action="appointment.booked").count() == 1


@pytest.mark.django_db
def test_a_person_may_hold_a_limited_number_of_self_booked_appointments_of_a_kind(case, settings):
    staff = case["practitioner"]
    starts = timezone.now() + dt.timedelta(days=3)
    first, second_slot, later = (_slot_at(staff, starts + dt.timedelta(hours=h)) for h in (0, 1, 2))
    drug_test = _slot_at(staff, starts + dt.timedelta(hours=3), 15, kind="drug_test")
    AppointmentFactory(person=case["person"])  # booked by staff: does not count
    user = _account(case["person"])
    slot_book(actor=user, slot_id=first.pk)
    with pytest.raises(ValidationError) as refused:
        slot_book(actor=user, slot_id=second_slot.pk)
    assert "You already have 1 of these appointments booked" in refused.value.messages[0]
    slot_book(actor=user, slot_id=drug_test.pk)  # another kind is fine
    settings.APPOINTMENT_SLOT_SELF_BOOKED_MAX_PER_KIND = 2
    slot_book(actor=user, slot_id=second_slot.pk)
    with pytest.raises(ValidationError):
        slot_book(actor=user, slot_id=later.pk)


@pytest.mark.django_db
def test_slots_in_the_past_or_inside_the_notice_period_cannot_be_booked(case, settings):
    staff = case["practitioner"]
    now = timezone.now()
    soon = SlotFactory(staff=staff, starts_at=now + dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=2))
    past = SlotFactory(staff=staff, starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=2))
    fine = SlotFactory(staff=staff, starts_at=now + dt.timedelta(hours=3), ends_at=now + dt.timedelta(hours=4))
    far = SlotFactory(staff=staff, starts_at=now + dt.timedelta(days=40), ends_at=now + dt.timedelta(days=40, hours=1))
    user = _account(case["person"])
    assert [s.pk for s in slots_bookable_by_person(user)] == [fine.pk]
    for slot in (soon, past):
        with pytest.raises(ValidationError) as refused:
            slot_book(actor=user, slot_id=slot.pk)
        assert "too soon" in refused.value.messages[0]
    assert not Appointment.objects.exists()
    settings.APPOINTMENT_SLOT_MIN_NOTICE_HOURS = 0
    assert soon.pk in [s.pk for s in slots_bookable_by_person(user)]
    assert far.pk not in [s.pk for s in slots_bookable_by_person(user)]
    slot_book(actor=user, slot_id=soon.pk)


@pytest.mark.django_db
def test_a_person_sees_and_books_only_slots_open_to_them(case, second, make_staff):
    practitioner = case["practitioner"]
    kept_for_second = SlotFactory(staff=practitioner, for_person=second)
    open_to_all = _slot_at(practitioner, kept_for_second.starts_at + dt.timedelta(hours=1))
    stranger_slot = SlotFactory(staff=make_staff(Role.PRACTITIONER, case["org"]["office_n"]))
    user = _account(case["person"])
    assert [s.pk for s in slots_bookable_by_person(user)] == [open_to_all.pk]
    assert {s.pk for s in slots_bookable_by_person(_account(second))} == {kept_for_second.pk, open_to_all.pk}
    for slot in (kept_for_second, stranger_slot):
        with pytest.raises(PermissionDenied):
            slot_book(actor=user, slot_id=slot.pk)
    assert not Appointment.objects.exists()
    # Staff cannot book a slot as if they were the person.
    with pytest.raises(PermissionDenied):
        slot_book(actor=practitioner, slot_id=open_to_all.pk)


@pytest.mark.django_db
def test_a_person_whose_worker_changed_no_longer_sees_the_old_workers_slots(case):
    slot = SlotFactory(staff=case["practitioner"])
    case["person"].assignments.update(ended_at=timezone.now())
    user = _account(case["person"])
    assert slots_bookable_by_person(user) == []
    with pytest.raises(PermissionDenied):
        slot_book(actor=user, slot_id=slot.pk)


# --- Withdrawing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_withdraw_an_open_slot_and_a_booked_one_with_a_reason(case, make_staff):
    practitioner = case["practitioner"]
    open_slot = SlotFactory(staff=practitioner)
    booked = _slot_at(practitioner, open_slot.starts_at + dt.timedelta(hours=2))
    appointment = slot_book(actor=_account(case["person"]), slot_id=booked.pk)

    with pytest.raises(PermissionDenied):
        slot_withdraw(actor=make_staff(Role.PRACTITIONER, case["org"]["office_n"]), slot=open_slot)
    slot_withdraw(actor=practitioner, slot=open_slot)
    open_slot.refresh_from_db()
    assert open_slot.state == SlotState.WITHDRAWN
    with pytest.raises(ValidationError):
        slot_withdraw(actor=practitioner, slot=open_slot)

    with pytest.raises(ValidationError) as refused:
        slot_withdraw(actor=practitioner, slot=booked)
    assert "Give a reason" in refused.value.messages[0]
    slot_withdraw(actor=practitioner, slot=booked, reason="Office closed for training")
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    assert appointment.outcome_reason == "Office closed for training"
    assert OutboxMessage.objects.filter(idempotency_key=f"appointment-cancelled:{appointment.pk}").exists()
    withdrawn = AuditEvent.objects.filter(action="appointment_slot.withdrawn").order_by("seq")
    assert [e.data["was"] for e in withdrawn] == ["open", "booked"]
    assert withdrawn.last().person_id == case["person"].pk  # type: ignore[union-attr]
    # The time can be opened again once withdrawn.
    slots_open(
        actor=practitioner,
        opening=_opening(
            day=timezone.localtime(open_slot.starts_at).date(),
            start=timezone.localtime(open_slot.starts_at).time(),
            end=timezone.localtime(open_slot.ends_at).time(),
        ),
    )


# --- Bank holidays ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_bank_holidays_are_judged_by_the_nation_of_the_office_or_person(case, settings):
    from onward.appointments.services import bank_holiday_divisions, bank_holidays_on

    office = case["org"]["office_n"]
    st_andrews = dt.date(2026, 11, 30)
    assert bank_holiday_divisions(office) == {"england-and-wales"}
    assert bank_holidays_on(st_andrews, bank_holiday_divisions(office)) == []
    settings.APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT = {"PDU-N": "scotland"}
    assert bank_holiday_divisions(office) == {"scotland"}  # inherited from the PDU above the office
    assert bank_holiday_divisions(case["org"]["office_s"]) == {"england-and-wales"}
    assert bank_holidays_on(st_andrews, bank_holiday_divisions(office)) == ["St Andrew’s Day (Scotland)"]


@pytest.mark.django_db
def test_staff_booking_warns_of_a_bank_holiday_only_in_the_persons_or_offices_nation(case, staff_client, settings):
    client = staff_client(case["practitioner"])
    form = {
        "kind": "supervision",
        "day": "2027-11-30",  # St Andrew's Day: a bank holiday in Scotland only
        "start": "10:00",
        "end": "10:45",
        "with_name": "",
        "address": "2 High Street",
        "video_url": "",
        "notes": "",
        "compulsory": "yes",
    }
    url = f"/staff/people/{case['person'].pk}/appointments/new/"
    assert client.post(url, form).status_code == 302  # an English office: no warning
    settings.APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT = {"PDU-N": "scotland"}
    warned = client.post(url, {**form, "start": "11:00", "end": "11:45"})
    assert warned.status_code == 200
    assert "St Andrew" in warned.content.decode()
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_opening_slots_on_a_bank_holiday_warns_first(case, staff_client):
    client = staff_client(case["practitioner"])
    form = {
        "kind": "supervision",
        "for_person": "",
        "day": "2027-12-27",
        "start": "10:00",
        "end": "12:00",
        "length": "30",
        "address": "2 High Street",
        "video_url": "",
    }
    response = client.post("/staff/appointments/slots/new/", form)
    assert response.status_code == 200
    assert "bank holiday" in response.content.decode()
    assert "(England and Wales)" in response.content.decode()
    assert not Slot.objects.exists()
    response = client.post("/staff/appointments/slots/new/", {**form, "bank_holiday_ok": "1"})
    assert response.status_code == 302
    assert Slot.objects.count() == 4
    event = AuditEvent.objects.get(action="appointment_slots.opened")
    assert event.data["bank_holidays"]


@pytest.mark.django_db
def test_rearranging_onto_a_bank_holiday_warns_first(case, staff_client):
    appointment = AppointmentFactory(person=case["person"], staff=case["practitioner"])
    client = staff_client(case["practitioner"])
    form = {
        "reason": "Person asked",
        "kind": "supervision",
        "day": "2027-12-27",
        "start": "10:00",
        "end": "10:45",
        "with_name": "",
        "address": "2 High Street",
        "video_url": "",
        "notes": "",
        "compulsory": "yes",
    }
    response = client.post(f"/staff/appointments/{appointment.pk}/rearrange/", form)
    assert response.status_code == 200
    assert "bank holiday" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    response = client.post(f"/staff/appointments/{appointment.pk}/rearrange/", {**form, "bank_holiday_ok": "1"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.REARRANGED


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_open_slots_on_the_page_and_see_them_listed(case, staff_client):
    client = staff_client(case["practitioner"])
    page = client.get("/staff/appointments/slots/new/").content.decode()
    assert case["person"].full_name in page  # the caseload to keep slots for
    assert case["other"].full_name not in page
    day = _day()
    response = client.post(
        "/staff/appointments/slots/new/",
        {
            "kind": "drug_test",
            "for_person": str(case["person"].pk),
            "day": day.isoformat(),
            "start": "14:00",
            "end": "15:00",
            "length": "20",
            "address": "2 High Street",
            "video_url": "",
        },
    )
    assert response.status_code == 302
    assert Slot.objects.filter(for_person=case["person"], kind="drug_test").count() == 3
    listing = client.get("/staff/appointments/slots/").content.decode()
    assert "14:00–14:20" in listing
    assert "14:40–15:00" in listing
    bad = client.post("/staff/appointments/slots/new/", {"kind": "supervision", "length": "30"})
    assert bad.status_code == 400
    assert "Enter the date" in bad.content.decode()


@pytest.mark.django_db
def test_the_person_books_on_the_page_and_pressing_twice_books_once(case, second, person_client):
    slot = SlotFactory(staff=case["practitioner"])
    client = person_client(case["person"])
    listing = client.get("/me/appointments/book/").content.decode()
    assert f"/me/appointments/book/{slot.pk}/" in listing
    assert client.get(f"/me/appointments/book/{slot.pk}/").status_code == 200
    first = client.post(f"/me/appointments/book/{slot.pk}/")
    again = client.post(f"/me/appointments/book/{slot.pk}/")
    appointment = Appointment.objects.get()
    assert first["Location"] == again["Location"] == f"/me/appointments/{appointment.pk}/"
    assert "Supervision" in client.get("/me/appointments/").content.decode()

    other = person_client(second)
    taken = other.post(f"/me/appointments/book/{slot.pk}/", follow=True)
    assert TAKEN in taken.content.decode().replace("&#39;", "'")
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_staff_withdraw_a_booked_slot_on_the_page(case, staff_client):
    slot = SlotFactory(staff=case["practitioner"])
    appointment = slot_book(actor=_account(case["person"]), slot_id=slot.pk)
    client = staff_client(case["practitioner"])
    assert client.get(f"/staff/appointments/slots/{slot.pk}/withdraw/").status_code == 200
    missing = client.post(f"/staff/appointments/slots/{slot.pk}/withdraw/", {"reason": ""})
    assert missing.status_code == 400
    done = client.post(f"/staff/appointments/slots/{slot.pk}/withdraw/", {"reason": "Off sick"})
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED


# --- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_staff_open_list_withdraw_and_the_person_lists_and_books(case, second, staff_client):
    staff = staff_client(case["practitioner"])
    day = _day()
    opened = staff.post(
        "/api/v1/appointment-slots",
        json.dumps(
            {
                "kind": "supervision",
                "date": day.isoformat(),
                "start": "10:00",
                "end": "11:00",
                "length_minutes": 30,
                "address": "2 High Street",
            }
        ),
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert len(body["slots"]) == 2
    assert body["bank_holidays"] == []
    first_id, second_id = (s["id"] for s in body["slots"])
    assert [s["id"] for s in staff.get("/api/v1/appointment-slots").json()] == [first_id, second_id]
    kept = staff.post(
        "/api/v1/appointment-slots",
        json.dumps(
            {
                "kind": "supervision",
                "date": day.isoformat(),
                "start": "10:00",
                "end": "11:00",
                "length_minutes": 30,
                "address": "x",
                "for_person_id": case["other"].pk,
            }
        ),
        content_type="application/json",
    )
    assert kept.status_code == 404  # not a person the caller can see

    device = Client()
    token = device_token_create(actor=_account(case["person"]), name="Phone").token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = device.get("/api/v1/me/appointment-slots", **headers).json()
    assert [s["id"] for s in listed] == [first_id, second_id]
    assert "for_person_id" not in listed[0]
    booked = device.post(f"/api/v1/me/appointment-slots/{first_id}/book", **headers)
    assert booked.status_code == 201
    repeat = device.post(f"/api/v1/me/appointment-slots/{first_id}/book", **headers)
    assert repeat.json()["id"] == booked.json()["id"]

    other_device = Client()
    other_token = device_token_create(actor=_account(second), name="Phone").token
    taken = other_device.post(
        f"/api/v1/me/appointment-slots/{first_id}/book", HTTP_AUTHORIZATION=f"Bearer {other_token}"
    )
    assert taken.status_code == 400
    assert taken.json()["detail"] == TAKEN
    stranger = CommunityPersonFactory(unit=case["org"]["office_n"])
    stranger_token = device_token_create(actor=_account(stranger), name="Phone").token
    refused = Client().post(
        f"/api/v1/me/appointment-slots/{second_id}/book", HTTP_AUTHORIZATION=f"Bearer {stranger_token}"
    )
    assert refused.status_code == 404

    no_reason = staff.post(
        f"/api/v1/appointment-slots/{first_id}/withdraw", json.dumps({}), content_type="application/json"
    )
    assert no_reason.status_code == 400
    withdrawn = staff.post(
        f"/api/v1/appointment-slots/{first_id}/withdraw",
        json.dumps({"reason": "Office closed"}),
        content_type="application/json",
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["state"] == "withdrawn"
    assert Appointment.objects.get(pk=booked.json()["id"]).state == AppointmentState.CANCELLED


@pytest.mark.django_db
def test_slot_operations_are_in_the_openapi_document(case, staff_client):
    document = staff_client(case["practitioner"]).get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert "get" in paths["/api/v1/me/appointment-slots"]
    assert "post" in paths["/api/v1/me/appointment-slots/{slot_id}/book"]
    assert {"get", "post"} <= set(paths["/api/v1/appointment-slots"])
    assert "post" in paths["/api/v1/appointment-slots/{slot_id}/withdraw"]
    schemas = document["components"]["schemas"]
    assert {"OpenSlotOut", "StaffSlotOut", "SlotOpenIn", "SlotsOpenedOut", "SlotWithdrawIn"} <= set(schemas)
