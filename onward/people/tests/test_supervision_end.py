from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from onward.accounts.models import DeviceToken
from onward.accounts.services import device_token_create, person_account_ensure
from onward.audit.models import AuditEvent
from onward.checkins import services as checkins
from onward.checkins.models import Enrolment
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, StaffAssignment, Status
from onward.people.services import person_supervision_end
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory

FIXTURES = Path(__file__).resolve().parents[2] / "biometrics" / "tests" / "fixtures"

pytestmark = pytest.mark.django_db(transaction=True)


def test_ending_supervision_deletes_the_face_template_and_stops_devices(org, make_staff):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    practitioner.is_verified = lambda: True  # as after the second factor
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    enrolment = checkins.enrolment_save(
        actor=practitioner,
        person=person,
        photo=(FIXTURES / "obama_1.jpg").read_bytes(),
        details=checkins.EnrolmentDetails(schedule="weekly", office_visits="supplements", office_visits_reason="Pilot"),
    )
    photo_name = enrolment.reference_photo.name
    assert enrolment.has_template
    assert default_storage.exists(photo_name)
    device_token_create(actor=person_account_ensure(person), name="Phone")

    with pytest.raises(ValidationError):
        person_supervision_end(actor=practitioner, person=person, reason="  ")
    ended = person_supervision_end(actor=practitioner, person=person, reason="Licence expired")

    assert ended.status == Status.ENDED
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    assert not enrolment.has_template
    assert not enrolment.reference_photo
    assert not default_storage.exists(photo_name)
    assert not DeviceToken.objects.filter(user__person=person, revoked_at__isnull=True).exists()
    assert not StaffAssignment.objects.filter(person=person, ended_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="checkin.template_deleted", person=person).exists()
    assert AuditEvent.objects.get(action="person.supervision_ended").reason == "Licence expired"


def test_only_their_practitioner_team_may_end_supervision(org, make_staff):
    other = make_staff(Role.PRACTITIONER, org["office_s"])
    other.is_verified = lambda: True
    person = CommunityPersonFactory(unit=org["office_n"])
    with pytest.raises(PermissionDenied):
        person_supervision_end(actor=other, person=person, reason="Wrong team")


def test_the_end_supervision_page(org, make_staff, staff_client):
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    client = staff_client(practitioner)
    record = client.get(f"/staff/people/{person.pk}/").content.decode()
    assert "End supervision" in record
    assert f"/staff/people/{person.pk}/check-ins/" in record  # the way to enrol them for check-ins
    response = client.post(f"/staff/people/{person.pk}/end-supervision/", {"reason": ""})
    assert response.status_code == 400
    assert "Enter why supervision is ending" in response.content.decode()
    response = client.post(f"/staff/people/{person.pk}/end-supervision/", {"reason": "Licence expired"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Status.ENDED
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"])
    assert staff_client(key_worker).get(f"/staff/people/{person.pk}/end-supervision/").status_code == 403


def test_ending_supervision_ends_open_web_sessions_and_open_check_ins(org, make_staff, person_client):
    """The apps above people react to SupervisionEnded in the same transaction."""
    from django.urls import reverse
    from django.utils import timezone

    from onward.checkins.models import CheckIn, State
    from onward.checkins.tests.factories import EnrolmentFactory, questionnaire_ensure

    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    practitioner.is_verified = lambda: True
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    client = person_client(person)
    assert client.get("/me/").status_code == 200
    questionnaire_ensure()
    checkin, _created = checkins.checkin_create(
        enrolment=EnrolmentFactory(person=person), due_date=timezone.localdate()
    )
    assert checkin.state == State.CREATED

    person_supervision_end(actor=practitioner, person=person, reason="Licence expired")

    signed_out = client.get("/me/")
    assert signed_out.status_code == 302  # the session opened before no longer works
    assert signed_out["Location"].startswith(reverse("accounts:person_sign_in"))
    assert CheckIn.objects.get(pk=checkin.pk).state == State.CANCELLED
    assert AuditEvent.objects.filter(action="account.access_ended", person=person).exists()


def test_a_failing_subscriber_undoes_the_whole_change(org, make_staff, monkeypatch):
    """Subscribers run inside the announcer's transaction: if one fails, supervision has not ended."""
    from onward.core import events
    from onward.people.events import SupervisionEnded

    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    practitioner.is_verified = lambda: True
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    device_token_create(actor=person_account_ensure(person), name="Phone")

    def broken(event: SupervisionEnded) -> None:
        raise RuntimeError("a subscriber failed")

    monkeypatch.setitem(events._SUBSCRIBERS, SupervisionEnded, [*events.subscribers_of(SupervisionEnded), broken])
    with pytest.raises(RuntimeError):
        person_supervision_end(actor=practitioner, person=person, reason="Licence expired")
    person.refresh_from_db()
    assert person.status != Status.ENDED
    assert DeviceToken.objects.filter(user__person=person, revoked_at__isnull=True).count() == 1
    assert not AuditEvent.objects.filter(action="person.supervision_ended").exists()


def test_subscribers_run_lowest_app_first():
    from onward.core.events import subscribers_of
    from onward.people.events import SupervisionEnded

    apps = [function.__module__.split(".")[1] for function in subscribers_of(SupervisionEnded)]
    assert apps == ["accounts", "notifications", "checkins"]
