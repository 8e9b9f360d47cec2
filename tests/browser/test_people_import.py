"""People in bulk, in headless Chromium: a senior uploads a file with a mistake, reads every problem, uploads
the corrected file, checks the preview and confirms it."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onward.organisations.models import Role
from onward.people.models import Person
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "prison_number,crn,first_name,last_name,date_of_birth,status,unit_code,address_line_1,town,postcode"
# Synthetic people for the north PDU's offices; the first file has an impossible date on line 3.
ROWS = [
    ",X700101,Synthetic,Importone,1980-01-01,licence,OFF-N,1 Quarry Street,Leeds,LS1 3ED",
    ",X700102,Synthetic,Importtwo,1981-02-{day},licence,OFF-N2,,,",
]


def _file(day: str) -> dict[str, Any]:
    text = "\n".join([HEADER, ROWS[0], ROWS[1].format(day=day)]) + "\n"
    return {"name": "people.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_a_senior_imports_people_after_fixing_the_file(page: Page, org: Any, make_staff: Any) -> None:
    senior = make_staff(Role.SENIOR, org["pdu_n"], first_name="Sally", last_name="Seniortest")
    staff_sign_in(page, senior)
    page.goto("/staff/")
    page.get_by_role("link", name="Import people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people from a file")
    page_check(page, phone=True)

    page.get_by_label("File of people").set_input_files(_file(day="30"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("There is 1 problem in the file")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Enter a real date")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("3")
    page_check(page)
    assert not Person.objects.exists()

    page.get_by_label("File of people").set_input_files(_file(day="28"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what the import will do")
    expect(page.get_by_role("main")).to_contain_text("Importone")
    expect(page.get_by_role("main")).to_contain_text("X700102")
    page_check(page, phone=True)
    assert not Person.objects.exists()

    page.get_by_role("button", name="Import these people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people from a file")
    expect(page.get_by_role("main")).to_contain_text("2 people added, 0 updated, 0 already up to date")
    page_check(page)
    assert sorted(Person.objects.values_list("crn", flat=True)) == ["X700101", "X700102"]
    assert Person.objects.get(crn="X700101").address_precision_m == 100
