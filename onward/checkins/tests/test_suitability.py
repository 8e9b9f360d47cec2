"""Suitability for remote check-ins (issue 17): the outcome over every combination of answers, and the gate.

No remote check-in replaces face-to-face contact without a "suitable" screen approved by a senior
practitioner who did not make it; "supplement only" allows check-ins alongside contact only; "not
suitable" allows none. The gate is in the services, so the pages and the API are refused the same way.
"""

import itertools
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.models import Enrolment, MappaLevel, OfficeVisits, Review, State, Suitability
from onward.checkins.subject_access import checkins_section
from onward.checkins.suitability import RULES, ScreenAnswers, suitability_outcome
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory

FLAGS = ("very_high_rosh", "domestic_abuse", "sexual_offending", "youth_case", "child_protection")
EVERY_COMBINATION = [
    (dict(zip(FLAGS, flags, strict=True)), level)
    for flags in itertools.product([False, True], repeat=len(FLAGS))
    for level in MappaLevel.values
]
NONE_OF_THEM = ScreenAnswers(
    very_high_rosh=False,
    mappa_level=MappaLevel.NONE,
    domestic_abuse=False,
    sexual_offending=False,
    youth_case=False,
    child_protection=False,
)
SUPPLEMENT_ONLY = ScreenAnswers(**{**NONE_OF_THEM.__dict__, "domestic_abuse": True})
NOT_SUITABLE = ScreenAnswers(**{**NONE_OF_THEM.__dict__, "very_high_rosh": True})


def _expected(flags: dict[str, bool], level: str) -> tuple[str, set[str]]:
    """The rules written out by hand, apart from the table in suitability.py."""
    ruling_out = {
        "very_high_rosh": flags["very_high_rosh"],
        "mappa_level_3": level == "3",
        "youth_case": flags["youth_case"],
    }
    limiting = {
        "mappa_level_2": level == "2",
        "domestic_abuse": flags["domestic_abuse"],
        "sexual_offending": flags["sexual_offending"],
        "child_protection": flags["child_protection"],
    }
    out = {code for code, hit in ruling_out.items() if hit}
    limit = {code for code, hit in limiting.items() if hit}
    if out:
        return "not_suitable", out | limit
    if limit:
        return "supplement_only", limit
    return "suitable", set()


@pytest.mark.parametrize(("flags", "level"), EVERY_COMBINATION)
def test_outcome_for_every_combination_of_answers(flags: dict[str, bool], level: str) -> None:
    result = suitability_outcome(ScreenAnswers(mappa_level=level, **flags))
    outcome, reasons = _expected(flags, level)
    assert result.outcome == outcome
    assert set(result.reasons) == reasons
    # The reasons that decided the outcome come first.
    rank = {rule.code: rule.outcome for rule in RULES}
    if result.reasons:
        assert rank[result.reasons[0]] == outcome


def test_every_rule_is_reachable_and_an_unknown_mappa_level_is_refused() -> None:
    seen = {code for flags, level in EVERY_COMBINATION for code in _expected(flags, level)[1]}
    assert seen == {rule.code for rule in RULES}
    with pytest.raises(ValueError, match="MAPPA"):
        suitability_outcome(ScreenAnswers(**{**NONE_OF_THEM.__dict__, "mappa_level": "4"}))


@pytest.fixture
def seniors(case: dict[str, Any], org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    return {
        "senior": case["senior"],
        "second_senior": make_staff(Role.SENIOR, org["pdu_n"]),
        "senior_elsewhere": make_staff(Role.SENIOR, org["pdu_s"]),
    }


def _screen(actor: Any, person: Any, answers: ScreenAnswers = NONE_OF_THEM) -> Any:
    return services.suitability_screen_record(actor=actor, person=person, answers=answers, rationale="Seen OASys.")


def _approve(actor: Any, screen: Any) -> Any:
    return services.suitability_screen_approve(actor=actor, screen=screen, rationale="Agreed after supervision.")


def _mode(case: dict[str, Any], enrolment: Enrolment, mode: str) -> Enrolment:
    return services.enrolment_mode_change(
        actor=case["practitioner"], enrolment=enrolment, office_visits=mode, reason="Weekly check-ins instead."
    )


@pytest.mark.django_db
def test_no_check_in_replaces_contact_without_an_approved_suitable_screen(case, seniors):
    person = case["person"]
    enrolment = EnrolmentFactory(person=person)
    with pytest.raises(ValidationError, match="after a suitability screen"):
        _mode(case, enrolment, OfficeVisits.REPLACES)
    screen = _screen(case["practitioner"], person)
    assert screen.outcome == Suitability.SUITABLE
    with pytest.raises(ValidationError, match="waiting for a senior practitioner"):
        _mode(case, enrolment, OfficeVisits.REPLACES)
    _approve(seniors["senior"], screen)
    assert _mode(case, enrolment, OfficeVisits.REPLACES).office_visits == OfficeVisits.REPLACES
    assert services.checkin_modes_allowed(person) == [OfficeVisits.REPLACES, OfficeVisits.SUPPLEMENTS]


@pytest.mark.django_db
def test_a_screen_approved_by_the_one_who_made_it_is_refused(case, seniors):
    screen = _screen(seniors["senior"], case["person"])
    with pytest.raises(ValidationError, match="You made this screen"):
        _approve(seniors["senior"], screen)
    screen.refresh_from_db()
    assert not screen.approved
    assert _approve(seniors["second_senior"], screen).approved_by == seniors["second_senior"]


@pytest.mark.django_db
def test_only_a_senior_covering_the_persons_unit_approves(case, seniors):
    screen = _screen(case["practitioner"], case["person"])
    with pytest.raises(PermissionDenied):
        _approve(case["practitioner"], screen)
    with pytest.raises(PermissionDenied):
        _approve(seniors["senior_elsewhere"], screen)
    with pytest.raises(PermissionDenied):
        _screen(case["other_practitioner"], case["person"])
    assert _approve(seniors["senior"], screen).approved


@pytest.mark.django_db
def test_supplement_only_allows_check_ins_alongside_contact_only(case, seniors):
    person = case["person"]
    enrolment = EnrolmentFactory(person=person)
    screen = _screen(case["practitioner"], person, SUPPLEMENT_ONLY)
    assert (screen.outcome, screen.reasons) == (Suitability.SUPPLEMENT_ONLY, ["domestic_abuse"])
    _approve(seniors["senior"], screen)
    with pytest.raises(ValidationError, match="only be used alongside face-to-face contact"):
        _mode(case, enrolment, OfficeVisits.REPLACES)
    assert _mode(case, enrolment, OfficeVisits.SUPPLEMENTS).office_visits == OfficeVisits.SUPPLEMENTS


@pytest.mark.django_db
def test_a_not_suitable_screen_blocks_enrolment_and_stops_running_check_ins(case, seniors):
    person = case["person"]
    enrolment = EnrolmentFactory(person=person)
    _screen(case["practitioner"], person, NOT_SUITABLE)
    enrolment.refresh_from_db()
    assert not enrolment.active
    assert "not suitable" in enrolment.status_reason
    limited = AuditEvent.objects.get(action="checkin.suitability_limited")
    assert (limited.data["before"]["active"], limited.data["after"]["active"]) == (True, False)
    with pytest.raises(ValidationError, match="not suitable"):
        services.enrolment_restart(actor=case["practitioner"], enrolment=enrolment, reason="Try again")
    details = services.EnrolmentDetails(
        schedule="weekly", office_visits=OfficeVisits.SUPPLEMENTS, office_visits_reason="Alongside visits"
    )
    with pytest.raises(ValidationError, match="not suitable"):
        services.enrolment_save(actor=case["practitioner"], person=person, details=details)
    # A new person: refused before the photo is even looked at.
    other = CommunityPersonFactory(unit=person.unit)
    _screen(case["practitioner"], other, NOT_SUITABLE)
    with pytest.raises(ValidationError, match="not suitable"):
        services.enrolment_save(actor=case["practitioner"], person=other, details=details, photo=b"not a photo")
    assert not Enrolment.objects.filter(person=other).exists()


@pytest.mark.django_db
def test_a_new_screen_replaces_the_old_one_and_check_ins_go_back_to_supplementing(case, seniors):
    person = case["person"]
    enrolment = EnrolmentFactory(person=person)
    first = _screen(case["practitioner"], person)
    _approve(seniors["senior"], first)
    _mode(case, enrolment, OfficeVisits.REPLACES)
    second = _screen(case["practitioner"], person)  # the same answers, but not approved yet
    enrolment.refresh_from_db()
    assert enrolment.office_visits == OfficeVisits.SUPPLEMENTS
    assert enrolment.active
    with pytest.raises(ValidationError, match="newer screen"):
        services.suitability_screen_approve(actor=seniors["second_senior"], screen=first, rationale="Late approval")
    _approve(seniors["senior"], second)
    assert _mode(case, enrolment, OfficeVisits.REPLACES).office_visits == OfficeVisits.REPLACES
    assert [s.pk for s in person.checkin_screens.all()] == [second.pk, first.pk]  # history kept, newest first


@pytest.mark.django_db
def test_screens_and_approvals_are_audited_with_their_rationale(case, seniors):
    screen = _screen(case["practitioner"], case["person"], SUPPLEMENT_ONLY)
    _approve(seniors["senior"], screen)
    screened = AuditEvent.objects.get(action="checkin.suitability_screened")
    assert (screened.actor_id, screened.reason) == (case["practitioner"].pk, "Seen OASys.")
    assert screened.data["outcome"] == "supplement_only"
    assert screened.data["reasons"] == ["domestic_abuse"]
    approved = AuditEvent.objects.get(action="checkin.suitability_approved")
    assert (approved.actor_id, approved.reason) == (seniors["senior"].pk, "Agreed after supervision.")


@pytest.mark.django_db
def test_a_rationale_is_needed(case):
    with pytest.raises(ValidationError) as refused:
        services.suitability_screen_record(
            actor=case["practitioner"], person=case["person"], answers=NONE_OF_THEM, rationale="  "
        )
    assert "rationale" in refused.value.message_dict


# --- After the review --------------------------------------------------------------------------


@pytest.fixture
def reviewed(case: dict[str, Any]) -> Any:
    checkin = CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]), state=State.SUBMITTED)
    services.checkin_review_record(
        actor=case["practitioner"], checkin=checkin, decision="match_with_concern", notes="Talked about his ex-partner."
    )
    checkin.refresh_from_db()
    return checkin


def _exported_review(person: Any) -> dict[str, Any]:
    return checkins_section(person).data["check_ins"][0]["review"][0]


@pytest.mark.django_db
def test_a_sensitive_review_keeps_its_notes_out_of_the_persons_export(case, reviewed):
    assert _exported_review(case["person"])["notes"] == "Talked about his ex-partner."
    services.review_follow_up_record(
        actor=case["practitioner"], review=reviewed.review, sensitive=True, helped_manage_risk="yes"
    )
    exported = _exported_review(case["person"])
    assert "notes" not in exported
    assert "sensitive" not in exported
    assert exported["decision"] == "match_with_concern"
    assert "ex-partner" not in json.dumps(checkins_section(case["person"]).data, default=str)
    review = Review.objects.get(pk=reviewed.review.pk)
    assert (review.sensitive, review.helped_manage_risk, review.follow_up_by) == (True, "yes", case["practitioner"])


@pytest.mark.django_db
def test_the_follow_up_is_audited_once_and_checked(case, reviewed):
    for _ in range(2):  # the second time changes nothing and writes nothing
        services.review_follow_up_record(
            actor=case["practitioner"], review=reviewed.review, sensitive=False, helped_manage_risk="not_sure"
        )
    events = AuditEvent.objects.filter(action="checkin.review_follow_up")
    assert events.count() == 1
    assert events.get().data == {
        "before": {"sensitive": False, "helped_manage_risk": ""},
        "after": {"sensitive": False, "helped_manage_risk": "not_sure"},
    }
    with pytest.raises(ValidationError):
        services.review_follow_up_record(
            actor=case["practitioner"], review=reviewed.review, sensitive=False, helped_manage_risk="maybe"
        )
    with pytest.raises(PermissionDenied):
        services.review_follow_up_record(
            actor=case["other_practitioner"], review=reviewed.review, sensitive=True, helped_manage_risk="no"
        )


# --- Through the pages and the API --------------------------------------------------------------


def _screen_form(**answers: str) -> dict[str, str]:
    form = dict.fromkeys(FLAGS, "no")
    return {**form, "mappa_level": "none", "rationale": "Read the OASys and spoke to the police.", **answers}


@pytest.mark.django_db
def test_the_pages_screen_approve_and_gate_the_enrolment(case, seniors, staff_client):
    person = case["person"]
    EnrolmentFactory(person=person)
    practitioner = staff_client(case["practitioner"])
    url = reverse("checkins:suitability", kwargs={"person_id": person.pk})
    empty = practitioner.post(url, {"rationale": ""})
    assert empty.status_code == 400
    assert "There is a problem" in empty.content.decode()
    assert practitioner.post(url, _screen_form()).status_code == 302
    screen = person.checkin_screens.get()
    page = practitioner.get(url).content.decode()
    assert "Suitable" in page
    assert "Approve this screen" not in page
    enrolment_url = reverse("checkins:enrolment", kwargs={"person_id": person.pk})
    enrolment_form = {
        "schedule": "weekly",
        "window_hours": "72",
        "contact_preference": "sms",
        "office_visits": "replaces",
        "office_visits_reason": "Weekly check-ins instead of visits.",
    }
    refused = practitioner.post(enrolment_url, enrolment_form)
    assert refused.status_code == 400
    assert "waiting for a senior practitioner" in refused.content.decode()
    approve_url = reverse("checkins:suitability_approve", kwargs={"person_id": person.pk, "screen_id": screen.pk})
    assert practitioner.post(approve_url, {"rationale": "Fine"}).status_code == 403
    senior = staff_client(seniors["senior"])
    assert "Approve this screen" in senior.get(url).content.decode()
    assert senior.post(approve_url, {"rationale": ""}).status_code == 400
    assert senior.post(approve_url, {"rationale": "Stable, engaged, low risk."}).status_code == 302
    assert practitioner.post(enrolment_url, enrolment_form).status_code == 302
    assert Enrolment.objects.get(person=person).office_visits == OfficeVisits.REPLACES
    record = practitioner.get(reverse("people:person_detail", kwargs={"person_id": person.pk})).content.decode()
    assert "Suitability for remote check-ins" in record
    assert "Check-ins can replace some office visits." in record


@pytest.mark.django_db
def test_the_senior_who_screened_cannot_approve_on_the_page(case, seniors, staff_client):
    senior = staff_client(seniors["senior"])
    url = reverse("checkins:suitability", kwargs={"person_id": case["person"].pk})
    assert senior.post(url, _screen_form(youth_case="yes")).status_code == 302
    screen = case["person"].checkin_screens.get()
    assert screen.outcome == Suitability.NOT_SUITABLE
    page = senior.get(url).content.decode()
    assert "Approve this screen" not in page
    assert "another senior practitioner must approve it" in page
    approve_url = reverse(
        "checkins:suitability_approve", kwargs={"person_id": case["person"].pk, "screen_id": screen.pk}
    )
    refused = senior.post(approve_url, {"rationale": "I agree with myself"})
    assert refused.status_code == 400
    assert "You made this screen" in refused.content.decode()


@pytest.mark.django_db
def test_the_review_page_records_the_follow_up(case, staff_client, reviewed):
    client = staff_client(case["practitioner"])
    page = client.get(reverse("checkins:review", kwargs={"checkin_id": reviewed.pk})).content.decode()
    assert "Did this check-in help you manage their risk?" in page
    url = reverse("checkins:review_follow_up", kwargs={"checkin_id": reviewed.pk})
    assert client.post(url, {"helped_manage_risk": "no", "sensitive": "on"}).status_code == 302
    review = Review.objects.get(checkin=reviewed)
    assert (review.helped_manage_risk, review.sensitive) == ("no", True)


def _api(client: Any, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(f"/api/v1{path}")
    call = getattr(client, method)
    return call(f"/api/v1{path}", json.dumps(payload or {}), content_type="application/json")


@pytest.mark.django_db
def test_the_api_goes_through_the_same_gate(case, seniors, staff_client):
    person = case["person"]
    EnrolmentFactory(person=person)
    practitioner = staff_client(case["practitioner"])
    mode = {"office_visits": "replaces", "reason": "Weekly check-ins instead."}
    refused = _api(practitioner, "put", f"/people/{person.pk}/check-ins/office-visits", mode)
    assert refused.status_code == 400
    assert "suitability screen" in refused.json()["detail"]
    screen_body = {
        "very_high_rosh": False,
        "mappa_level": "1",
        "domestic_abuse": False,
        "sexual_offending": False,
        "youth_case": False,
        "child_protection": False,
        "rationale": "Low risk, settled at home.",
    }
    made = _api(practitioner, "post", f"/people/{person.pk}/check-in-suitability", screen_body)
    assert made.status_code == 201
    current = made.json()["current"]
    assert (current["outcome"], current["approved"]) == ("suitable", False)
    assert made.json()["modes_allowed"] == ["supplements"]
    approve = f"/people/{person.pk}/check-in-suitability/{current['id']}/approve"
    assert _api(practitioner, "post", approve, {"rationale": "Fine"}).status_code == 403
    senior = staff_client(seniors["senior"])
    approved = _api(senior, "post", approve, {"rationale": "Agreed."})
    assert approved.status_code == 200
    assert approved.json()["current"]["approved_by_id"] == seniors["senior"].pk
    changed = _api(practitioner, "put", f"/people/{person.pk}/check-ins/office-visits", mode)
    assert changed.status_code == 200
    assert changed.json()["office_visits"] == "replaces"
    # Out of scope: the same 404 as a person who does not exist.
    outside = staff_client(case["other_practitioner"])
    assert _api(outside, "get", f"/people/{person.pk}/check-in-suitability").status_code == 404
    # A senior's own screen cannot be approved by them through the API either.
    again = _api(senior, "post", f"/people/{person.pk}/check-in-suitability", screen_body)
    refused = _api(
        senior,
        "post",
        f"/people/{person.pk}/check-in-suitability/{again.json()['current']['id']}/approve",
        {"rationale": "Mine."},
    )
    assert refused.status_code == 400
    assert "You made this screen" in refused.json()["detail"]


@pytest.mark.django_db
def test_the_api_records_the_follow_up(case, staff_client, reviewed):
    client = staff_client(case["practitioner"])
    response = _api(
        client, "put", f"/check-ins/{reviewed.pk}/follow-up", {"helped_manage_risk": "yes", "sensitive": True}
    )
    assert response.status_code == 200
    assert response.json() == {"checkin_id": reviewed.pk, "helped_manage_risk": "yes", "sensitive": True}
    not_yet = CheckInFactory(enrolment=reviewed.enrolment, state=State.SUBMITTED)
    body = {"helped_manage_risk": "yes", "sensitive": False}
    assert _api(client, "put", f"/check-ins/{not_yet.pk}/follow-up", body).status_code == 400
