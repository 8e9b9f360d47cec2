"""Through the gate, in headless Chromium (issue 16): prison staff add a person at reception and record the
immediate-needs assessment; the plan shows the needs; an ID application is tracked and a document uploaded
(a renamed program refused first); the release checklist shows what is missing; the POM records the release
with a community phone; the probation practitioner finds the plan and the document, books the first
appointment; the person sees it on their home page and downloads their document.

Nothing waits on a clock: every step waits for the page to show its result. The people are synthetic.
"""

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from onward.accounts.services import person_account_ensure
from onward.appointments.models import Appointment
from onward.organisations.models import Role
from onward.people.models import Person, Status
from onward.resettlement.models import Application, ApplicationStatus, Document
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


def test_reception_to_release_to_the_first_community_appointment(
    page: Page, org: dict[str, Any], make_staff: Any, live_server: Any
) -> None:
    pom = make_staff(Role.POM, org["ngt"], first_name="Priya", last_name="Gatepom")
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Paula", last_name="Gateprac")
    letter = _pdf()

    # 1. Reception: the POM adds the person to a wing of the prison.
    staff_sign_in(page, pom)
    page.goto("/staff/")
    page.get_by_role("button", name="Add a person").click()
    page.wait_for_url("**/staff/people/new/")
    page.get_by_label("First name").fill("Synthetic")
    page.get_by_label("Last name").fill("Gatecase")
    page.get_by_label("Date of birth").fill("21 07 1990")
    page.get_by_label("Prison number").fill("A7016GC")
    page.get_by_label("Status").select_option("sentenced")
    page.get_by_label("Prison, wing or probation office").select_option(label="HMP Northgate: A wing")
    page.get_by_role("button", name="Add person").click()
    person = Person.objects.get(prison_number="A7016GC")
    page.wait_for_url(f"**/staff/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Synthetic Gatecase")

    # 2. The immediate-needs assessment at reception, then the plan by pathway.
    page.get_by_role("link", name="Resettlement plan").click()
    page.wait_for_url(f"**/staff/people/{person.pk}/plan/")
    page.get_by_role("button", name="Record an assessment").click()
    expect(page.get_by_label("Which assessment")).to_have_value("reception")
    page.get_by_label("Has no photo ID").check()
    page.get_by_label("Has no bank account").check()
    page.get_by_label("Needs medication on release").check()
    page.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(f"**/staff/people/{person.pk}/plan/")
    expect(page.get_by_text("Assessment 1 recorded.")).to_be_visible()
    expect(page.get_by_test_id("need-no_id")).to_contain_text("Has no photo ID")
    expect(page.get_by_test_id("need-no_bank_account")).to_contain_text("Has no bank account")
    page_check(page)

    # 3. An ID application, tracked: started, then sent off.
    page.get_by_role("link", name="Documents and ID applications").click()
    page.wait_for_url(f"**/staff/people/{person.pk}/documents/")
    page.get_by_label("What for").select_option(label="Provisional driving licence")
    page.get_by_label("Who is doing it").select_option("prison")
    page.get_by_role("button", name="Start application").click()
    expect(page.get_by_text("Application added.")).to_be_visible()
    row = page.get_by_test_id("application-provisional_licence")
    expect(row).to_contain_text("Not started")
    row.get_by_label("New status").select_option(label="Sent off")
    row.get_by_role("button", name="Update Provisional driving licence").click()
    expect(page.get_by_text("Application updated.")).to_be_visible()
    expect(page.get_by_test_id("application-provisional_licence")).to_contain_text("Sent off")
    page_check(page, phone=True)

    # 4. A document: a program renamed as a PDF is refused in plain words; a real letter is kept.
    page.get_by_label("Kind").select_option("letter")
    page.get_by_label("Title").fill("Housing offer letter")
    page.get_by_label("File").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 200}
    )
    page.get_by_role("button", name="Add document").click()
    expect(page.get_by_role("alert")).to_contain_text("You can only use a photo (JPEG or PNG) or a PDF.")
    assert not Document.objects.exists()
    page.get_by_label("Kind").select_option("letter")
    page.get_by_label("Title").fill("Housing offer letter")
    page.get_by_label("File").set_input_files({"name": "letter.pdf", "mimeType": "application/pdf", "buffer": letter})
    page.get_by_role("button", name="Add document").click()
    expect(page.get_by_text("Document saved.")).to_be_visible()
    expect(page.get_by_test_id("documents")).to_contain_text("Housing offer letter")

    # 5. The release checklist shows what is missing.
    page.get_by_role("link", name="Back to the plan").click()
    checklist = page.get_by_test_id("release-checklist")
    for label in ("ID", "Bank account", "Medication", "Community practitioner allocated", "First appointment booked"):
        expect(checklist.get_by_role("listitem").filter(has_text=label).first).to_contain_text("Missing")
    expect(page.get_by_role("table")).to_contain_text("Application moved on")  # the need's history

    # 6. Release, with the phone they will use in the community (checked in person).
    page.goto(f"/staff/people/{person.pk}/")
    page.get_by_role("button", name="Record release").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record release")
    page.get_by_label("Release date").fill(timezone.localdate().strftime("%d %m %Y"))
    page.get_by_label("Released on").select_option("licence")
    page.get_by_label("Supervised by").select_option(label="Northgate office")
    page.get_by_label("Probation practitioner").select_option(label="Paula Gateprac")
    page.get_by_label("Address line 1").fill("2 New Road")
    page.get_by_label("Postcode").fill("LS1 3ED")
    page.get_by_label("Mobile phone number in the community").fill("07700 900123")
    page.get_by_label("Confirmed in person (for example, I watched a text arrive)").check()
    page.get_by_role("button", name="Record release", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Release recorded")
    expect(page.get_by_role("main")).to_contain_text("Paula Gateprac")
    person.refresh_from_db()
    assert person.status == Status.LICENCE
    assert person.phone_verified_at is not None

    # 7. The practitioner has the plan, the application and the document, and books the first appointment.
    staff_sign_in(page, practitioner)
    page.goto(f"/staff/people/{person.pk}/plan/")
    expect(page.get_by_role("table")).to_contain_text("Handed over at release")
    page.get_by_role("link", name="Documents and ID applications").click()
    expect(page.get_by_test_id("application-provisional_licence")).to_contain_text("Sent off")
    with page.expect_download() as download:
        page.get_by_role("link", name="Housing offer letter").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"/staff/people/{person.pk}/")
    page.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    day = _ordinary_weekday(timezone.localdate() + dt.timedelta(days=3))
    page.get_by_label("Type of appointment").select_option("supervision")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("10:45")
    page.get_by_label("Address").fill("Northgate probation office, 2 High Street")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your diary")
    expect(page.get_by_role("table")).to_contain_text("Synthetic Gatecase")
    assert Appointment.objects.filter(person=person).count() == 1
    page.goto(f"/staff/people/{person.pk}/plan/")
    checklist = page.get_by_test_id("release-checklist")
    expect(checklist.get_by_role("listitem").filter(has_text="First appointment booked")).to_contain_text("Ready")

    # 8. The person sees the appointment on their home page and downloads their document.
    _person_sign_in(page, person, live_server.url)
    page.goto("/me/")
    expect(page.get_by_role("main")).to_contain_text("10:00")
    page_check(page, phone=True)
    page.goto("/me/documents/")
    expect(page.get_by_test_id("my-application")).to_contain_text("Sent off")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Housing offer letter").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == letter
    page_check(page, phone=True)
    assert Application.objects.get(person=person).status == ApplicationStatus.SUBMITTED


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _ordinary_weekday(day: dt.date) -> dt.date:
    """A weekday that is no bank holiday (the booking page would warn first)."""
    from onward.appointments.services import bank_holidays_on

    while day.weekday() >= 5 or bank_holidays_on(day):
        day += dt.timedelta(days=1)
    return day


def _person_sign_in(page: Page, person: Person, base_url: str) -> None:
    """A person's session (their sign-in pages have their own browser tests), handed to the browser."""
    client = Client()
    client.force_login(person_account_ensure(person), backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
