"""The library: targeting, the approval rule, scheduled publishing, typo-tolerant search, Welsh with English
as the fallback, safe rendering, saves and ratings, and the pages."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.core.markdown import body_html
from onward.library import selectors, services
from onward.library.models import Audience, ContentVersion, ItemState, Rating, Revision, SavedItem
from onward.library.tests.factories import TopicFactory, draft_for, published_item
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory


@pytest.fixture
def editors(org: dict[str, Any], make_staff: Any) -> tuple[Any, Any]:
    return make_staff(Role.CONTENT_EDITOR, org["north"]), make_staff(Role.CONTENT_EDITOR, org["north"])


@pytest.fixture
def people(org: dict[str, Any]) -> dict[str, Any]:
    return {
        "northgate": PersonFactory(unit=org["wing_a"]),
        "southtown": PersonFactory(unit=org["stn_wing"]),
        "community": CommunityPersonFactory(unit=org["office_n"]),
    }


def _titles(views: list[selectors.ItemView]) -> set[str]:
    return {view.text.title for view in views}


# --- Targeting ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_custody_items_never_reach_the_community_and_one_prisons_item_never_another(org, editors, people):
    editor, approver = editors
    published_item(editor, approver, "For all prisons", audience=Audience.CUSTODY)
    published_item(editor, approver, "Northgate only", audience=Audience.CUSTODY, prisons=(org["ngt"],))
    published_item(editor, None, "Community only", audience=Audience.COMMUNITY)
    published_item(editor, approver, "Everyone", audience=Audience.BOTH)

    assert _titles(selectors.items_new(people["northgate"], "en-gb")) == {
        "For all prisons",
        "Northgate only",
        "Everyone",
    }
    assert _titles(selectors.items_new(people["southtown"], "en-gb")) == {"For all prisons", "Everyone"}
    assert _titles(selectors.items_new(people["community"], "en-gb")) == {"Community only", "Everyone"}


@pytest.mark.django_db
def test_search_applies_the_same_targeting(org, editors, people):
    editor, approver = editors
    published_item(editor, approver, "Northgate gym timetable", audience=Audience.CUSTODY, prisons=(org["ngt"],))
    assert _titles(selectors.items_search(people["northgate"], "gym timetable", "en-gb")) == {"Northgate gym timetable"}
    assert selectors.items_search(people["southtown"], "gym timetable", "en-gb") == []
    assert selectors.items_search(people["community"], "gym timetable", "en-gb") == []


@pytest.mark.django_db
def test_another_prisons_item_answers_404_on_its_page(org, editors, people, person_client):
    editor, approver = editors
    item = published_item(editor, approver, "Northgate only", audience=Audience.CUSTODY, prisons=(org["ngt"],))
    assert person_client(people["northgate"]).get(f"/me/library/items/{item.pk}/").status_code == 200
    assert person_client(people["southtown"]).get(f"/me/library/items/{item.pk}/").status_code == 404
    assert person_client(people["community"]).get(f"/me/library/items/{item.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_editor_can_only_choose_prisons_in_their_area(org, make_staff):
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    with pytest.raises(ValidationError):
        services.item_create(
            actor=editor, draft=draft_for("Southtown", audience=Audience.CUSTODY, prisons=(org["stn"],))
        )


# --- Approval -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_custody_items_need_a_second_editor_to_approve(editors):
    editor, approver = editors
    item = services.item_create(actor=editor, draft=draft_for("Visits", audience=Audience.CUSTODY))
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=editor, item=item)
    services.item_submit(actor=editor, item=item)
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=editor, item=item)  # not their own
    services.item_approve(actor=approver, item=item)
    published = services.item_publish(actor=editor, item=item)
    assert published.state == ItemState.PUBLISHED
    assert AuditEvent.objects.filter(action="library.item_approved", actor=approver).exists()


@pytest.mark.django_db
def test_an_approver_who_edits_cannot_then_approve_their_own_revision(editors):
    editor, approver = editors
    item = services.item_create(actor=editor, draft=draft_for("Visits", audience=Audience.BOTH))
    services.item_edit(actor=approver, item=item, draft=draft_for("Visits, changed", audience=Audience.BOTH))
    services.item_submit(actor=approver, item=item)
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=approver, item=item)
    services.item_approve(actor=editor, item=item)  # the first editor did not write this revision


@pytest.mark.django_db
def test_community_only_items_need_no_approval(editors):
    editor, _ = editors
    item = services.item_create(actor=editor, draft=draft_for("Jobcentre", audience=Audience.COMMUNITY))
    assert services.item_publish(actor=editor, item=item).state == ItemState.PUBLISHED


@pytest.mark.django_db
def test_editing_a_published_item_needs_approval_again_and_keeps_the_old_version_live(editors, people):
    editor, approver = editors
    item = published_item(editor, approver, "Canteen", audience=Audience.CUSTODY)
    services.item_edit(actor=editor, item=item, draft=draft_for("Canteen, new prices", audience=Audience.CUSTODY))
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=editor, item=item)
    assert _titles(selectors.items_new(people["northgate"], "en-gb")) == {"Canteen"}


@pytest.mark.django_db
def test_widening_a_community_item_to_custody_needs_approval(editors, people):
    editor, _ = editors
    item = published_item(editor, None, "Housing", audience=Audience.COMMUNITY)
    services.item_edit(actor=editor, item=item, draft=draft_for("Housing", audience=Audience.BOTH))
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=editor, item=item)
    assert selectors.items_new(people["northgate"], "en-gb") == []


@pytest.mark.django_db
def test_the_database_refuses_self_approval(editors):
    editor, _ = editors
    item = services.item_create(actor=editor, draft=draft_for("Visits", audience=Audience.CUSTODY))
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(item=item).update(approved_by=editor)


@pytest.mark.django_db
def test_the_workflow_refuses_moves_not_in_its_table_and_withdrawing_needs_a_reason(editors, people):
    editor, approver = editors
    item = services.item_create(actor=editor, draft=draft_for("Visits", audience=Audience.CUSTODY))
    with pytest.raises(ValidationError):
        services.item_return(actor=approver, item=item, reason="Not in review")
    item = published_item(editor, approver, "Gym", audience=Audience.CUSTODY)
    with pytest.raises(ValidationError):
        services.item_withdraw(actor=editor, item=item, reason=" ")
    services.item_withdraw(actor=editor, item=item, reason="Out of date")
    assert selectors.items_new(people["northgate"], "en-gb") == []


@pytest.mark.django_db
def test_people_and_other_staff_cannot_edit(org, make_staff, people):
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"])
    for actor in (key_worker, person_account_ensure(people["northgate"])):
        with pytest.raises(PermissionDenied):
            services.item_create(actor=actor, draft=draft_for("Anything"))


# --- Scheduled publishing -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_scheduled_item_goes_live_when_the_job_runs_after_its_time(editors, people):
    editor, _ = editors
    item = services.item_create(actor=editor, draft=draft_for("Bank holiday opening"))
    at = timezone.now() + timedelta(hours=2)
    assert services.item_publish(actor=editor, item=item, at=at).state == ItemState.SCHEDULED
    assert services.items_publish_due() == {"published": 0, "skipped": 0}
    assert selectors.items_new(people["community"], "en-gb") == []

    from onward.library.models import Item

    Item.objects.filter(pk=item.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert services.items_publish_due() == {"published": 1, "skipped": 0}
    assert _titles(selectors.items_new(people["community"], "en-gb")) == {"Bank holiday opening"}
    assert AuditEvent.objects.filter(
        action="library.item_published", actor=None, actor_system="library_publish_due"
    ).exists()


@pytest.mark.django_db
def test_the_publish_job_is_scheduled() -> None:
    from onward.jobs.schedule import periodic_jobs

    assert periodic_jobs()["library_publish_due"].function_path == "onward.library.services.items_publish_due"


# --- Search -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_an_article_despite_typos(editors, people):
    editor, _ = editors
    published_item(editor, None, "How to open a bank account", body="Banks ask for proof of who you are.")
    published_item(editor, None, "Getting ID after release", body="A birth certificate or a passport.")
    published_item(editor, None, "Back pain and exercise", body="Gentle stretches.")
    results = selectors.items_search(people["community"], "bnak acount", "en-gb")
    assert results[0].text.title == "How to open a bank account"
    assert selectors.items_search(people["community"], "pasport", "en-gb")[0].text.title == "Getting ID after release"
    assert selectors.items_search(people["community"], "zzzz qqqq", "en-gb") == []


@pytest.mark.django_db
def test_search_sees_new_publications_and_forgets_withdrawn_ones(editors, people):
    editor, _ = editors
    item = published_item(editor, None, "Foodbank vouchers")
    version = ContentVersion.objects.get().number
    assert _titles(selectors.items_search(people["community"], "foodbank", "en-gb")) == {"Foodbank vouchers"}
    services.item_withdraw(actor=editor, item=item, reason="Scheme ended")
    assert ContentVersion.objects.get().number > version
    assert selectors.items_search(people["community"], "foodbank", "en-gb") == []


@pytest.mark.django_db
def test_search_and_reading_in_welsh_with_english_as_the_fallback(editors, people):
    editor, _ = editors
    welsh = services.TextIn(title="Sut i agor cyfrif banc", body="Mae banciau yn gofyn am brawf adnabod.")
    published_item(editor, None, "How to open a bank account", body="Banks ask for ID.", welsh=welsh)
    published_item(editor, None, "Your curfew", body="Stay at home at night.")
    person = people["community"]

    assert _titles(selectors.items_new(person, "cy")) == {"Sut i agor cyfrif banc", "Your curfew"}
    assert _titles(selectors.items_search(person, "cyfrif bnac", "cy")) == {"Sut i agor cyfrif banc"}
    assert _titles(selectors.items_search(person, "curfew", "cy")) == {"Your curfew"}  # English where no Welsh
    assert _titles(selectors.items_search(person, "account", "en-gb")) == {"How to open a bank account"}


# --- Rendering ----------------------------------------------------------------------------------


def test_the_body_keeps_only_safe_markup():
    html = str(
        body_html(
            "# Title\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [good](https://www.gov.uk)"
            "\n\n<b onclick=x>hi</b>"
        )
    )
    assert "<script" not in html
    assert "<b " not in html
    assert 'href="javascript' not in html
    assert '<h2 class="govuk-heading-l">Title</h2>' in html
    assert 'href="https://www.gov.uk"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "&lt;b onclick=x&gt;" in html  # shown as text, never as markup


# --- Saves and ratings --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_saves_and_rates_only_items_they_may_read(org, editors, people):
    editor, approver = editors
    northgate = published_item(editor, approver, "Northgate only", audience=Audience.CUSTODY, prisons=(org["ngt"],))
    reader = person_account_ensure(people["northgate"])
    outsider = person_account_ensure(people["southtown"])

    services.item_save(actor=reader, item=northgate)
    services.item_rate(actor=reader, item=northgate, helped=False, reason="Too long")
    services.item_rate(actor=reader, item=northgate, helped=True)
    assert SavedItem.objects.filter(person=people["northgate"]).count() == 1
    assert list(Rating.objects.values_list("helped", "reason")) == [(True, "")]
    with pytest.raises(PermissionDenied):
        services.item_save(actor=outsider, item=northgate)
    with pytest.raises(PermissionDenied):
        services.item_rate(actor=outsider, item=northgate, helped=True)


@pytest.mark.django_db
def test_staff_cannot_save_or_rate(org, editors):
    editor, _ = editors
    item = published_item(editor, None, "Jobs")
    with pytest.raises(PermissionDenied):
        services.item_save(actor=editor, item=item)


# --- Pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_person_pages(org, editors, people, person_client):
    editor, _ = editors
    topic = TopicFactory(slug="money", name="Money")
    item = published_item(editor, None, "How to open a bank account", body="## What you need\n\n- ID", topics=(topic,))
    client = person_client(people["community"])
    home = client.get("/me/library/").content.decode()
    assert "How to open a bank account" in home
    assert "/me/library/topics/money/" in home
    assert "How to open a bank account" in client.get("/me/library/search/?q=bnak").content.decode()
    assert "How to open a bank account" in client.get("/me/library/topics/money/").content.decode()
    page = client.get(f"/me/library/items/{item.pk}/").content.decode()
    assert 'data-module="onward-read-aloud"' in page
    assert '<h3 class="govuk-heading-m">What you need</h3>' in page
    assert client.post(f"/me/library/items/{item.pk}/save/").status_code == 302
    assert "How to open a bank account" in client.get("/me/library/saved/").content.decode()
    assert (
        client.post(f"/me/library/items/{item.pk}/rate/", {"helped": "no", "reason": "Hard words"}).status_code == 302
    )
    assert Rating.objects.get().reason == "Hard words"


@pytest.mark.django_db
def test_two_editors_take_an_item_through_the_pages(org, editors, staff_client, people):
    editor, approver = editors
    client = staff_client(editor)
    response = client.post(
        "/staff/library/new/",
        {"kind": "article", "title": "Visits", "body": "Book a visit.", "audience": "custody", "where": "all"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item_url = response["Location"]
    client.post(item_url + "submit/")
    assert "cannot approve your own" in client.get(item_url).content.decode()
    client.post(item_url + "approve/")
    approver_client = staff_client(approver)
    approver_client.post(item_url + "approve/")
    assert "Preview of the newest draft" in approver_client.get(item_url + "preview/").content.decode()
    client.post(item_url + "publish/", {"when": "now"})
    assert _titles(selectors.items_new(people["northgate"], "en-gb")) == {"Visits"}


@pytest.mark.django_db
def test_a_pdf_is_checked_by_its_bytes_stored_privately_and_served_only_to_its_readers(
    org, editors, people, staff_client, person_client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    editor, _ = editors
    client = staff_client(editor)
    fields = {"kind": "pdf", "title": "Benefits form", "audience": "community", "where": "all"}
    fake = SimpleUploadedFile("form.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post("/staff/library/new/", {**fields, "upload": fake})
    assert response.status_code == 400
    assert "not a kind we can use" in response.content.decode()

    pdf = SimpleUploadedFile("form.pdf", b"%PDF-1.4 a small document", content_type="application/pdf")
    response = client.post("/staff/library/new/", {**fields, "upload": pdf})
    assert response.status_code == 302
    item_url = response["Location"]
    client.post(item_url + "publish/", {"when": "now"})
    item_id = int(item_url.rstrip("/").split("/")[-1])

    reader = person_client(people["community"])
    assert "Download the document (PDF)" in reader.get(f"/me/library/items/{item_id}/").content.decode()
    download = reader.get(f"/me/library/items/{item_id}/media/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert person_client(people["northgate"]).get(f"/me/library/items/{item_id}/media/").status_code == 404


@pytest.mark.django_db
def test_the_feedback_box_starts_empty_and_no_with_nothing_typed_sends_no_text(org, editors, people, person_client):
    editor, _ = editors
    item = published_item(editor, None, "How to open a bank account")
    client = person_client(people["community"])
    page = client.get(f"/me/library/items/{item.pk}/").content.decode()
    box = re.search(r'<textarea[^>]*name="reason"[^>]*>(.*?)</textarea>', page, re.S)
    assert box is not None
    assert box.group(1) == ""
    client.post(f"/me/library/items/{item.pk}/rate/", {"helped": "no", "reason": ""})
    assert list(Rating.objects.values_list("helped", "reason")) == [(False, "")]
