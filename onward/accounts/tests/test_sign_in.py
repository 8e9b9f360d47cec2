"""Sign-in for staff (password + authenticator) and for people (PIN, one-time code, activation code)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from onward.accounts.models import ActivationCode, PinCredential, SignInAttempt, SignInMethod
from onward.accounts.services import (
    SignInRefused,
    activation_code_issue,
    one_time_code_send,
    one_time_code_verify,
    person_pin_set,
    person_pin_sign_in,
)
from onward.accounts.tests.factories import (
    TEST_PASSWORD,
    sign_in_codes_send_queued,
    totp_code,
)
from onward.audit.models import AuditEvent
from onward.notifications.models import OutboxMessage
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


# --- Staff ------------------------------------------------------------------------------------


def test_staff_needs_password_and_code_before_any_staff_page(org, make_staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30  # seconds after the first wrong code
    user = make_staff(Role.PRACTITIONER, org["office_n"])
    client = Client()
    assert client.get("/staff/").status_code == 302  # not signed in: sent to sign in
    response = client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    assert response["Location"] == "/sign-in/code/"
    # Password alone is not enough: the caseload still refuses.
    assert client.get("/staff/").status_code in (302, 403)
    device = user.totpdevice_set.get()
    response = client.post("/sign-in/code/", {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    # django-otp slows guessing down: straight after a wrong code, even the right one must wait.
    response = client.post("/sign-in/code/", {"code": totp_code(device)})
    assert re.search(r"Wait (2[0-9]|30) seconds", response.content.decode())
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # as if the wait were over
    response = client.post("/sign-in/code/", {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"  # a practitioner starts on their caseload
    assert client.get("/staff/").status_code == 200
    methods = list(SignInAttempt.objects.filter(user=user).values_list("method", "succeeded"))
    assert (SignInMethod.STAFF_PASSWORD, True) in methods
    assert (SignInMethod.STAFF_TOTP, False) in methods
    assert (SignInMethod.STAFF_TOTP, True) in methods


@pytest.mark.parametrize(
    ("role", "unit", "landing"),
    [(Role.CONTENT_EDITOR, "north", "/staff/library/"), (Role.ADMINISTRATOR, "north", "/staff/audit/")],
)
def test_staff_start_on_a_page_their_role_can_open(org, make_staff, role, unit, landing):
    user = make_staff(role, org[unit])
    client = Client()
    client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    response = client.post("/sign-in/code/", {"code": totp_code(user.totpdevice_set.get())})
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_staff_wrong_password_is_recorded_and_says_what_to_do(org, make_staff):
    user = make_staff(Role.PRACTITIONER, org["office_n"])
    response = Client().post("/sign-in/", {"email": user.username, "password": "wrong password here"})
    assert response.status_code == 400
    assert "email address or password is not right" in response.content.decode()
    attempt = SignInAttempt.objects.get(identifier=user.username)
    assert not attempt.succeeded
    assert attempt.reason == "wrong_credentials"


def test_staff_account_locks_after_repeated_failures(org, make_staff, settings):
    user = make_staff(Role.PRACTITIONER, org["office_n"])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"email": user.username, "password": "not the password"})
    # Now even the right password is refused, with a message that says what to do.
    response = client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    assert response.status_code in (400, 403)
    assert "locked" in response.content.decode()
    assert "/sign-in/code/" not in response.get("Location", "")


def test_pending_staff_session_cannot_skip_to_code_page():
    assert Client().get("/sign-in/code/")["Location"] == "/sign-in/"


def test_people_cannot_sign_in_on_the_staff_page(org):
    person = PersonFactory(unit=org["wing_a"])
    from onward.accounts.services import person_account_ensure

    account = person_account_ensure(person)
    account.set_password(TEST_PASSWORD)
    account.save()
    response = Client().post("/sign-in/", {"email": account.username + "@x.example", "password": TEST_PASSWORD})
    assert response.status_code == 400


# --- People in custody: PIN -------------------------------------------------------------------


@pytest.fixture
def custody_person(org, make_staff):
    person = PersonFactory(unit=org["wing_a"])
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person_pin_set(actor=worker, person=person, pin="4321")
    return person


def test_pin_sign_in_works_and_is_recorded(custody_person):
    user = person_pin_sign_in(prison_number=custody_person.prison_number.lower(), pin="4321")
    assert user.person == custody_person
    assert SignInAttempt.objects.filter(user=user, method=SignInMethod.PIN, succeeded=True).exists()


def test_after_five_wrong_pins_each_try_waits_longer_but_never_for_long(custody_person, clock, settings):
    settings.PERSON_PIN_WAIT_FIRST_MINUTES = 1
    settings.PERSON_PIN_WAIT_MAX_MINUTES = 15
    for attempt in range(1, 6):
        with pytest.raises(SignInRefused) as refused:
            person_pin_sign_in(prison_number=custody_person.prison_number, pin="0000")
        assert refused.value.reason == ("waiting" if attempt == 5 else "wrong_credentials")
    assert "Wait 1 minute" in refused.value.message
    # While it waits, even the right PIN is not checked.
    with pytest.raises(SignInRefused) as refused:
        person_pin_sign_in(prison_number=custody_person.prison_number, pin="4321")
    assert refused.value.reason == "waiting"
    assert PinCredential.objects.get(user__person=custody_person).is_locked
    # Each further wrong PIN doubles the wait, up to the most there is.
    waits = []
    for _ in range(6):
        clock.move(minutes=16)
        with pytest.raises(SignInRefused) as refused:
            person_pin_sign_in(prison_number=custody_person.prison_number, pin="0000")
        credential = PinCredential.objects.get(user__person=custody_person)
        waits.append(round((credential.wait_until - clock.now).total_seconds() / 60))
    assert waits == [2, 4, 8, 15, 15, 15]
    # The person is never locked out for long: after the wait, the right PIN works and the count restarts.
    clock.move(minutes=15, seconds=1)
    assert person_pin_sign_in(prison_number=custody_person.prison_number, pin="4321").person == custody_person
    assert PinCredential.objects.get(user__person=custody_person).failed_attempts == 0
    assert AuditEvent.objects.filter(action="account.pin_locked", person=custody_person).count() == 1


def test_a_success_resets_the_count_of_wrong_tries(custody_person):
    for _ in range(4):
        with pytest.raises(SignInRefused):
            person_pin_sign_in(prison_number=custody_person.prison_number, pin="0000")
    person_pin_sign_in(prison_number=custody_person.prison_number, pin="4321")
    with pytest.raises(SignInRefused) as refused:
        person_pin_sign_in(prison_number=custody_person.prison_number, pin="0000")
    assert refused.value.reason == "wrong_credentials"  # not locked: the count started again


def test_staff_reset_unlocks_the_pin_and_is_audited(custody_person, org, make_staff):
    for _ in range(5):
        with pytest.raises(SignInRefused):
            person_pin_sign_in(prison_number=custody_person.prison_number, pin="0000")
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person_pin_set(actor=worker, person=custody_person, pin="8642", reason="Forgot PIN")
    assert person_pin_sign_in(prison_number=custody_person.prison_number, pin="8642").person == custody_person
    event = AuditEvent.objects.filter(action="account.pin_reset", person=custody_person).get()
    assert event.actor == worker
    assert event.reason == "Forgot PIN"
    assert event.actor_role == Role.KEY_WORKER


def test_pin_is_stored_hashed(custody_person):
    credential = PinCredential.objects.get(user__person=custody_person)
    assert "4321" not in credential.pin_hash
    from django.contrib.auth.hashers import check_password

    assert check_password("4321", credential.pin_hash)


def test_staff_at_another_prison_cannot_reset_the_pin(custody_person, org, make_staff):
    from django.core.exceptions import PermissionDenied

    other = make_staff(Role.KEY_WORKER, org["stn"])
    with pytest.raises(PermissionDenied):
        person_pin_set(actor=other, person=custody_person, pin="1111")


def test_unknown_prison_number_gives_the_same_answer_as_a_wrong_pin(custody_person):
    with pytest.raises(SignInRefused) as unknown:
        person_pin_sign_in(prison_number="Z9999ZZ", pin="4321")
    with pytest.raises(SignInRefused) as wrong:
        person_pin_sign_in(prison_number=custody_person.prison_number, pin="9999")
    assert unknown.value.message == wrong.value.message


def test_pin_sign_in_page_asks_to_wait_with_a_clear_message(custody_person, clock):
    client = Client()
    for _ in range(5):
        response = client.post("/me/sign-in/", {"prison_number": custody_person.prison_number, "pin": "0000"})
    assert response.status_code == 400
    assert "Wait 1 minute and try again, or ask a member of staff to reset it" in response.content.decode()
    response = client.post("/me/sign-in/", {"prison_number": custody_person.prison_number, "pin": "4321"})
    assert "Wait 1 minute" in response.content.decode()
    clock.move(minutes=1, seconds=1)
    response = client.post("/me/sign-in/", {"prison_number": custody_person.prison_number, "pin": "4321"})
    assert response.status_code == 302


def test_pin_sign_in_page_validates_the_prison_number_format():
    response = Client().post("/me/sign-in/", {"prison_number": "12345", "pin": "12"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "A1234BC" in body
    assert "4 to 6 numbers" in body


# --- People in the community: activation and one-time codes ------------------------------------


@pytest.fixture
def released(org, make_staff):
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900123", email="aled@example.org")
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role="practitioner")
    return person, practitioner


def test_activation_code_signs_in_once(released):
    person, practitioner = released
    code = activation_code_issue(actor=practitioner, person=person)
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    assert not ActivationCode.objects.filter(code_digest__contains=code.replace("-", "")).exists()  # stored hashed
    client = Client()
    response = client.post("/me/activate/", {"code": code.lower()})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    response = Client().post("/me/activate/", {"code": code})
    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_activation_code_expires_after_seven_days(released):
    person, practitioner = released
    code = activation_code_issue(actor=practitioner, person=person)
    ActivationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().post("/me/activate/", {"code": code})
    assert "expired" in response.content.decode()
    record = ActivationCode.objects.get()
    assert record.used_at is None
    assert (record.expires_at - record.created_at) <= dt.timedelta(days=7)


def test_a_new_activation_code_replaces_the_old_one(released):
    person, practitioner = released
    first = activation_code_issue(actor=practitioner, person=person)
    activation_code_issue(actor=practitioner, person=person)
    response = Client().post("/me/activate/", {"code": first})
    assert response.status_code == 400


def test_one_time_code_by_sms_signs_in(released):
    person, _ = released
    client = Client()
    response = client.post("/me/sign-in/code/", {"contact": "07700 900123"})
    assert response["Location"] == "/me/sign-in/code/enter/"
    assert sign_in_codes_send_queued() == 1
    message = OutboxMessage.objects.get(person=person, channel="sms")
    assert message.recipient == "07700900123"
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    response = client.post("/me/sign-in/code/enter/", {"code": code})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    assert SignInAttempt.objects.filter(method=SignInMethod.ONE_TIME_CODE, succeeded=True, user__person=person).exists()


def test_one_time_code_wrong_five_times_burns_it(released):
    person, _ = released
    one_time_code_send(contact="aled@example.org")
    message = OutboxMessage.objects.get(person=person, channel="email")
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SignInRefused):
            one_time_code_verify(contact="aled@example.org", code=wrong)
    with pytest.raises(SignInRefused):
        one_time_code_verify(contact="aled@example.org", code=code)


def test_unknown_contact_reads_the_same_and_sends_nothing(db):
    client = Client()
    response = client.post("/me/sign-in/code/", {"contact": "07700900999"})
    assert response["Location"] == "/me/sign-in/code/enter/"
    assert sign_in_codes_send_queued() == 1
    assert not OutboxMessage.objects.exists()
    assert SignInAttempt.objects.filter(reason="unknown_contact").exists()


def test_people_in_custody_get_no_one_time_codes(org):
    PersonFactory(unit=org["wing_a"], phone="07700900555")
    one_time_code_send(contact="07700900555")
    assert not OutboxMessage.objects.exists()


def test_sign_out_ends_the_session(released):
    person, practitioner = released
    code = activation_code_issue(actor=practitioner, person=person)
    client = Client()
    client.post("/me/activate/", {"code": code})
    assert client.get("/me/").status_code == 200
    client.post("/sign-out/")
    assert client.get("/me/").status_code == 302


def test_shared_devices_in_custody_sign_out_sooner(custody_person, settings):
    client = Client()
    client.post("/me/sign-in/", {"prison_number": custody_person.prison_number, "pin": "4321"})
    assert client.session.get_expiry_age() == settings.CUSTODY_SESSION_IDLE_MINUTES * 60
    assert settings.CUSTODY_SESSION_IDLE_MINUTES < settings.SESSION_IDLE_MINUTES


def test_a_wrong_pin_is_never_written_back_into_the_page(custody_person):
    response = Client().post("/me/sign-in/", {"prison_number": custody_person.prison_number, "pin": "97531"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "97531" not in body
    assert custody_person.prison_number in body  # the prison number is kept, so they need not type it again


def test_device_tokens_need_a_name_and_work_only_for_people(custody_person, org, make_staff):
    from onward.accounts.models import DeviceToken
    from onward.accounts.services import device_token_create, device_token_use, person_account_ensure

    account = person_account_ensure(custody_person)
    with pytest.raises(ValueError, match="name"):
        device_token_create(actor=account, name="   ")
    issued = device_token_create(actor=account, name="Cell tablet")
    use = device_token_use(issued.token)
    assert use is not None
    assert use.user == account
    staff = make_staff(Role.KEY_WORKER, org["ngt"])
    DeviceToken.objects.filter(pk=issued.record.pk).update(user=staff)  # a token row that is not a person's
    assert device_token_use(issued.token) is None
