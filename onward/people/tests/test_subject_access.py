"""Subject access: one export with everything held about a person, from every app, for administrators only."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.test import Client

from onward.accounts.models import PinCredential
from onward.accounts.services import person_account_ensure
from onward.appointments.tests.factories import AppointmentFactory
from onward.audit.models import AuditEvent
from onward.checkins.tests.factories import CheckInMediaFactory, EnrolmentFactory
from onward.core.subject_access import EXEMPT, subject_access_covered, subject_access_sections
from onward.learning.models import Certificate
from onward.learning.tests.factories import CourseFactory
from onward.messaging.tests.factories import ConversationFactory, MessageFactory
from onward.notifications.services import notification_queue
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person
from onward.people.services import ConditionChoice, subject_access_export
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def test_every_table_that_points_at_a_person_is_in_the_export_or_says_why_not():
    covered = subject_access_covered()
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("onward."):
            continue
        points_at_person = any(
            isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Person
            for field in model._meta.concrete_fields
        )
        if points_at_person and model._meta.label not in covered and model._meta.label not in EXEMPT:
            missing.append(model._meta.label)
    assert not missing, f"Not in any subject access section: {missing}"
    assert {"record", "account", "check_ins", "messages", "appointments", "learning", "library"} <= set(
        subject_access_sections()
    )


@pytest.fixture
def world(org, make_staff):
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Asha", last_name="Patel")
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Ceri", last_name="Lloyd", phone="07700900555")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    account = person_account_ensure(person)
    other = CommunityPersonFactory(unit=org["office_n"], first_name="Bryn", last_name="Other")
    return {"admin": admin, "practitioner": practitioner, "person": person, "account": account, "other": other}


def _export(world):
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(actor=world["admin"], person=world["person"])))
    return archive, json.loads(archive.read("data.json"))


def test_the_export_holds_each_apps_data_and_files_and_nobody_elses(world, org, make_staff):
    person, other = world["person"], world["other"]
    LicenceVersionFactory(person=person, conditions=[ConditionChoice(code="curfew", details="7pm to 7am")])
    AppointmentFactory(person=person, notes="Bring your ID")
    AppointmentFactory(person=other, notes="Other persons appointment")
    enrolment = EnrolmentFactory(person=person)
    media = CheckInMediaFactory(checkin__enrolment=enrolment)
    conversation = ConversationFactory(person=person)
    MessageFactory(conversation=conversation, body="See you on Monday", author_user=world["practitioner"])
    MessageFactory(conversation=ConversationFactory(person=other), body="Not for Ceri")
    Certificate.objects.create(person=person, course=CourseFactory(title="Money basics"), code="ABCDEFGHJKLMNPQR")
    notification_queue(
        channel="sms", recipient=person.phone, person=person, subject="", body="Reminder text", idempotency_key="sa-1"
    )

    archive, data = _export(world)

    sections = data["sections"]
    assert data["person"] == person.reference
    assert sections["record"]["details"]["first_name"] == "Ceri"
    assert sections["record"]["licence"][0]["conditions"][0]["text"].endswith("7pm to 7am.")
    assert sections["record"]["staff"][0]["staff__last_name"] == "Patel"
    assert sections["appointments"]["appointments"][0]["notes"] == "Bring your ID"
    assert sections["check_ins"]["enrolment"]["face_template_held"] is True
    assert [c["id"] for c in sections["check_ins"]["check_ins"]] == [media.checkin_id]
    assert sections["messages"]["conversations"][0]["messages"][0]["body"] == "See you on Monday"
    assert sections["learning"]["certificates"][0]["course__title"] == "Money basics"
    assert sections["notifications"]["sent"][0]["body"] == "Reminder text"
    assert sections["account"]["username"] == world["account"].username
    names = archive.namelist()
    assert f"files/check-ins/{media.checkin_id}/{media.kind}-{media.pk}" in names
    assert archive.read(f"files/check-ins/{media.checkin_id}/{media.kind}-{media.pk}") == media.file.open().read()
    assert "README.txt" in names
    everything = archive.read("data.json").decode()
    for not_theirs in ("Other persons appointment", "Not for Ceri", "Bryn"):
        assert not_theirs not in everything


def test_secrets_are_never_in_the_export(world):
    PinCredential.objects.create(user=world["account"], pin_hash="pbkdf2_sha256$secret-hash")
    enrolment = EnrolmentFactory(person=world["person"])

    archive, data = _export(world)

    text = archive.read("data.json").decode()
    assert "secret-hash" not in text
    assert "pin_hash" not in text
    assert "template_encrypted" not in text
    assert bytes(enrolment.template_encrypted).hex() not in text
    assert data["sections"]["account"]["pin"]["set_at"]


def test_only_administrators_over_the_persons_area_may_export_and_it_is_audited(world, org, make_staff):
    with pytest.raises(PermissionDenied):
        subject_access_export(actor=world["practitioner"], person=world["person"])
    with pytest.raises(PermissionDenied):
        subject_access_export(actor=make_staff(Role.ADMINISTRATOR, org["south"]), person=world["person"])

    subject_access_export(actor=world["admin"], person=world["person"])

    event = AuditEvent.objects.get(action="person.subject_access_exported")
    assert event.person == world["person"]
    assert event.actor == world["admin"]
    assert "messages" in event.data["sections"]


def test_the_page_finds_the_person_then_downloads_the_zip(world, org, make_staff, staff_client):
    client = staff_client(world["admin"])
    found = client.get("/staff/subject-access/", {"reference": world["person"].crn.lower()})
    assert found.status_code == 200
    assert "Ceri Lloyd" in found.content.decode()

    download = client.post("/staff/subject-access/", {"reference": world["person"].crn})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert world["person"].reference in download["Content-Disposition"]
    assert "data.json" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()

    elsewhere = PersonFactory(unit=org["stn_wing"], first_name="Sion", last_name="Faraway")
    refused = client.get("/staff/subject-access/", {"reference": elsewhere.prison_number})
    assert refused.status_code == 400
    assert "Faraway" not in refused.content.decode()
    assert "We cannot find anyone" in refused.content.decode()
    assert Client().get("/staff/subject-access/").status_code == 302
