"""The plan's pages: staff assess and manage; the person reads a to-do list, ticks and adds."""

import pytest

from onward.resettlement.models import Need, NeedStatus, PlanAction
from onward.resettlement.services import action_add, assessment_record

pytestmark = pytest.mark.django_db


def test_staff_record_an_assessment_and_see_the_needs_by_pathway(plan_world, staff_client):
    client = staff_client(plan_world["pom"])
    person = plan_world["person"]
    form = client.get(f"/staff/people/{person.pk}/plan/assess/")
    assert form.status_code == 200
    assert "Has no bank account" in form.content.decode()
    response = client.post(
        f"/staff/people/{person.pk}/plan/assess/", {"kind": "reception", "needs": ["no_bank_account", "no_id"]}
    )
    assert response.status_code == 302
    page = client.get(f"/staff/people/{person.pk}/plan/").content.decode()
    assert "Money and ID" in page
    assert "Has no photo ID" in page
    assert "Assessment recorded" in page  # the history


def test_an_assessment_without_its_kind_is_refused_in_plain_words(plan_world, staff_client):
    client = staff_client(plan_world["pom"])
    response = client.post(f"/staff/people/{plan_world['person'].pk}/plan/assess/", {"needs": ["no_id"]})
    assert response.status_code == 400
    assert "Choose which assessment this is." in response.content.decode()
    assert not Need.objects.exists()


def test_staff_change_a_need_and_add_an_action(plan_world, staff_client):
    person = plan_world["person"]
    assessment_record(actor=plan_world["pom"], person=person, kind="reception", need_codes=["no_id"])
    need = Need.objects.get()
    client = staff_client(plan_world["pom"])
    client.post(f"/staff/people/{person.pk}/plan/needs/{need.pk}/", {"status": "in_progress", "owner": "prison"})
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS
    client.post(
        f"/staff/people/{person.pk}/plan/actions/",
        {"need": need.pk, "text": "Apply for a birth certificate", "owner": "person", "due_on": "2027-01-15"},
    )
    action = PlanAction.objects.get()
    assert (action.text, action.owner, str(action.due_on)) == ("Apply for a birth certificate", "person", "2027-01-15")


def test_the_person_sees_their_to_do_list_ticks_one_off_and_adds_their_own(plan_world, person_client):
    person = plan_world["person"]
    assessment_record(actor=plan_world["pom"], person=person, kind="reception", need_codes=["no_cv"])
    todo = action_add(actor=plan_world["pom"], person=person, need=Need.objects.get(), text="Go to the CV class")
    client = person_client(person)
    page = client.get("/me/plan/").content.decode()
    assert "Go to the CV class" in page
    assert "Write your CV" in page  # the need in plain words
    client.post(f"/me/plan/actions/{todo.pk}/", {"done": "yes"})
    todo.refresh_from_db()
    assert todo.done_at is not None
    added = client.post("/me/plan/to-do/", {"text": "Ring my sister", "due_on": ""})
    assert added.status_code == 302
    assert PlanAction.objects.filter(person=person, text="Ring my sister", owner="person").exists()
    home = client.get("/me/").content.decode()
    assert "You have 1 thing to do." in home


def test_a_bad_to_do_is_refused_and_the_words_typed_are_kept(plan_world, person_client):
    client = person_client(plan_world["person"])
    response = client.post("/me/plan/to-do/", {"text": "See the nurse", "due_on": "31/02/2027"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a real date" in page
    assert 'value="See the nurse"' in page
    assert not PlanAction.objects.exists()


def test_a_person_cannot_tick_another_persons_action(plan_world, person_client):
    other = plan_world["other"]
    theirs = action_add(actor=plan_world["other_user"], person=other, text="Their own to-do")
    response = person_client(plan_world["person"]).post(f"/me/plan/actions/{theirs.pk}/", {"done": "yes"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_at is None


def test_the_staff_record_links_to_the_plan(plan_world, staff_client):
    page = staff_client(plan_world["pom"]).get(f"/staff/people/{plan_world['person'].pk}/").content.decode()
    assert f"/staff/people/{plan_world['person'].pk}/plan/" in page
