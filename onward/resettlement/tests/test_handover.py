"""Release and handover: the checklist says what is missing; at release the plan stays the person's,
open prison-owned needs pass to probation, the practitioner reads it and its PDF; the person's pack."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from onward.appointments.tests.factories import AppointmentFactory
from onward.learning.tests.factories import pdf_text
from onward.people.models import Status
from onward.people.services import ReleaseDetails, person_release, person_update
from onward.resettlement.handover import release_checklist
from onward.resettlement.models import Need, NeedStatus, PlanAction, PlanEvent, PlanEventKind
from onward.resettlement.needs import Owner
from onward.resettlement.services import action_add, assessment_record, need_status_change

pytestmark = pytest.mark.django_db


def _plan(world: dict[str, Any]) -> None:
    person, pom = world["person"], world["pom"]
    assessment_record(
        actor=pom, person=person, kind="pre_release", need_codes=["no_bank_account", "no_id", "travel_home", "no_cv"]
    )
    action_add(actor=pom, person=person, need=Need.objects.get(code="no_bank_account"), text="Bank visit on Tuesday")
    action_add(actor=world["user"], person=person, text="Ring my sister about the spare room")


def _release(world: dict[str, Any]) -> Any:
    details = ReleaseDetails(
        release_date=timezone.localdate(),
        status=Status.LICENCE,
        supervising_unit=world["org"]["office_n"],
        address="2 New Road, Northgate",
        practitioner=world["practitioner"],
    )
    return person_release(actor=world["pom"], person=world["person"], details=details)


def test_the_checklist_shows_what_is_missing_until_it_is_done(plan_world):
    _plan(plan_world)
    person = plan_world["person"]
    missing = {item.code for item in release_checklist(person).missing}
    assert {"id", "bank_account", "travel", "appointment", "practitioner"} <= missing
    assert "medication" not in missing  # no such need was found
    for code in ("no_id", "no_bank_account", "travel_home"):
        need_status_change(actor=plan_world["pom"], need=Need.objects.get(code=code), status=NeedStatus.MET)
    AppointmentFactory(person=person, starts_at=timezone.now() + dt.timedelta(days=3))
    missing = {item.code for item in release_checklist(person).missing}
    assert {"id", "bank_account", "travel", "appointment"}.isdisjoint(missing)


def test_the_plan_survives_release_and_passes_open_prison_needs_to_probation(plan_world, staff_client):
    _plan(plan_world)
    need_ids = set(Need.objects.values_list("pk", flat=True))
    released = _release(plan_world)
    assert set(Need.objects.filter(person=released).values_list("pk", flat=True)) == need_ids
    assert PlanAction.objects.filter(person=released).count() == 2
    bank = Need.objects.get(code="no_bank_account")
    assert bank.owner == Owner.PROBATION
    assert Need.objects.get(code="no_cv").owner == Owner.PERSON  # the person's own stay theirs
    handed = PlanEvent.objects.get(kind=PlanEventKind.HANDED_OVER)
    assert handed.data["practitioner"] == plan_world["practitioner"].pk
    assert "id" in handed.data["checklist_missing"]

    client = staff_client(plan_world["practitioner"])
    page = client.get(f"/staff/people/{released.pk}/plan/").content.decode()
    assert "Bank visit on Tuesday" in page
    assert "Handed over at release" in page
    pdf = client.get(f"/staff/people/{released.pk}/plan/handover.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Has no bank account" in text
    assert "Bank visit on Tuesday" in text
    assert "MISSING" in text


def test_the_plan_survives_a_transfer_to_another_prison(plan_world, make_staff, staff_client):
    _plan(plan_world)
    person = plan_world["person"]
    receiving = make_staff("pom", plan_world["org"]["stn"])
    person_update(actor=plan_world["pom"], person=person, fields={"unit": plan_world["org"]["stn_wing"]})
    page = staff_client(receiving).get(f"/staff/people/{person.pk}/plan/").content.decode()
    assert "Bank visit on Tuesday" in page
    # Who sees it follows the unit: the old prison's key worker (no assignment) no longer does.
    assert staff_client(plan_world["keyworker"]).get(f"/staff/people/{person.pk}/plan/").status_code == 403


def test_the_person_downloads_their_release_pack_with_appointments_and_the_public_address(
    plan_world, person_client, settings
):
    settings.PUBLIC_BASE_URL = "https://onward.example.gov.uk"
    _plan(plan_world)
    released = _release(plan_world)
    AppointmentFactory(
        person=released,
        staff=plan_world["practitioner"],
        starts_at=timezone.now() + dt.timedelta(days=2),
        address="Northgate probation office, 1 High Street",
    )
    response = person_client(released).get("/me/plan/release-pack.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "https://onward.example.gov.uk/" in text
    assert "Northgate probation office" in text
    assert "Pat Smith" in text
    assert "Get a code to sign in" in text
