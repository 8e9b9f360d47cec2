"""The staff pages: the prison's list, a person's criteria, recording the sentence, deciding, the HDC case
and temporary release, through the real pages."""

import datetime as dt

import pytest
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.opportunities.models import Decision, HdcCase, RotlAbsence, RotlGrant, Sentence
from onward.opportunities.tests.factories import SentenceFactory
from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory


@pytest.fixture
def pom_client(org, make_staff, staff_client):
    return staff_client(make_staff(Role.POM, org["ngt"]))


@pytest.mark.django_db
def test_the_list_shows_the_prisons_people_with_their_status(org, pom_client):
    today = timezone.localdate()
    eligible = PersonFactory(unit=org["wing_a"], last_name="Eligibleperson")
    SentenceFactory(person=eligible, sentenced_on=today - dt.timedelta(days=200), term_months=24)
    excluded = PersonFactory(unit=org["wing_b"], last_name="Excludedperson")
    SentenceFactory(
        person=excluded, sentenced_on=today - dt.timedelta(days=200), term_months=24, liable_to_removal=True
    )
    PersonFactory(unit=org["stn_wing"], last_name="Elsewhereperson")
    page = pom_client.get("/staff/early-release/").content.decode()
    assert page.index("Eligibleperson") < page.index("Excludedperson")
    assert "Elsewhereperson" not in page
    assert "Not yet considered" in page
    only = pom_client.get("/staff/early-release/?status=not_eligible").content.decode()
    assert "Excludedperson" in only
    assert "Eligibleperson" not in only


@pytest.mark.django_db
def test_the_person_page_shows_every_rule_with_its_source_and_check_by_hand(org, pom_client):
    person = PersonFactory(unit=org["wing_a"])
    SentenceFactory(person=person, sentenced_on=timezone.localdate() - dt.timedelta(days=100))
    response = pom_client.get(f"/staff/people/{person.pk}/early-release/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Criminal Justice Act 2003 s.246(2)(a)" in page
    assert 'data-testid="criterion-presumed_unsuitable"' in page
    assert "Check by hand" in page
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_VIEW_OPPORTUNITIES, person=person).exists()


@pytest.mark.django_db
def test_recording_the_sentence_through_the_page(org, pom_client):
    person = PersonFactory(unit=org["wing_a"], hdc_eligibility_date=None)
    form = {
        "sentence_type": "sds",
        "sentenced_on": (timezone.localdate() - dt.timedelta(days=60)).isoformat(),
        "term_months": "18",
        "term_days": "0",
        "remand_days": "10",
        "security_category": "C",
        "offence_categories": ["harassment"],
        "sds40_excluded": "no",
        "sex_offender_registration": "no",
        "liable_to_removal": "",
        "recalled_from_hdc": "no",
        "failed_to_return": "no",
        "sole_carer": "yes",
    }
    response = pom_client.post(f"/staff/people/{person.pk}/early-release/sentence/", form)
    assert response.status_code == 302
    sentence = Sentence.objects.get(person=person)
    assert (sentence.term_months, sentence.remand_days, sentence.offence_categories) == (18, 10, ["harassment"])
    assert sentence.liable_to_removal is None
    assert sentence.sds40_excluded is False
    assert sentence.sole_carer is True
    person.refresh_from_db()
    assert person.conditional_release_date is not None
    bad = pom_client.post(f"/staff/people/{person.pk}/early-release/sentence/", {**form, "sentenced_on": "soon"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_deciding_moving_the_case_and_temporary_release_through_the_pages(org, pom_client):
    today = timezone.localdate()
    person = PersonFactory(unit=org["wing_a"])
    SentenceFactory(person=person, sentenced_on=today - dt.timedelta(days=200), term_months=24, security_category="D")
    base = f"/staff/people/{person.pk}/early-release"
    refused = pom_client.post(f"{base}/decide/", {"scheme": "hdc", "outcome": "refused", "reason": ""})
    assert refused.status_code == 400
    assert "Write why it was refused." in refused.content.decode()
    assert pom_client.post(f"{base}/decide/", {"scheme": "hdc", "outcome": "put_forward"}).status_code == 302
    case = HdcCase.objects.get(person=person)
    assert pom_client.post(f"{base}/hdc/{case.pk}/", {"target": "address", "notes": "Low risk"}).status_code == 302
    moved = pom_client.post(
        f"{base}/hdc/{case.pk}/",
        {"target": "decision", "notes": "Checked", "address": "1 Park Row", "postcode": "LS1 4AP"},
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.stage == "decision"
    assert Decision.objects.get(person=person).ruleset.version >= 1
    granted = pom_client.post(
        f"{base}/rotl/",
        {
            "rotl_type": "rdr",
            "risk_assessment": "Low",
            "conditions": "Work only",
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert granted.status_code == 302
    grant = RotlGrant.objects.get(person=person)
    now = timezone.localtime()
    out = pom_client.post(
        f"{base}/rotl/{grant.pk}/out/",
        {
            "out_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_back_at": (now + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert out.status_code == 302
    absence = RotlAbsence.objects.get(person=person)
    back = pom_client.post(
        f"{base}/absences/{absence.pk}/back/", {"returned_at": (now + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")}
    )
    assert back.status_code == 302
    absence.refresh_from_db()
    assert absence.returned_at is not None
    page = pom_client.get(f"{base}/").content.decode()
    assert "Work only" in page
    assert "Home circumstances check" in page or "Decision" in page


@pytest.mark.django_db
def test_the_staff_record_has_an_early_release_section(org, pom_client):
    person = PersonFactory(unit=org["wing_a"])
    SentenceFactory(person=person, sentenced_on=timezone.localdate() - dt.timedelta(days=100))
    page = pom_client.get(f"/staff/people/{person.pk}/").content.decode()
    assert f"/staff/people/{person.pk}/early-release/" in page
