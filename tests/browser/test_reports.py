"""A senior practitioner reads the reports for their delivery unit, end to end in headless Chromium:
the menu leads there, the picker changes the unit, each figure is a chart with its table, and the page
passes `page_check` (axe-core included), at phone size too."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onward.accounts.models import SignInAttempt, SignInMethod
from onward.accounts.services import person_account_ensure
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory
from onward.reports.services import reports_refresh
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_reads_the_reports_for_their_unit(page: Page, org: dict[str, Any], make_staff: Any) -> None:
    senior = make_staff(Role.SENIOR, org["pdu_n"])
    for unit in ("office_n", "office_n", "office_n2"):
        person = CommunityPersonFactory(unit=org[unit])
        SignInAttempt.objects.create(
            method=SignInMethod.PIN, identifier="x", user=person_account_ensure(person), succeeded=True
        )
    reports_refresh()

    staff_sign_in(page, senior)
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_url("**/staff/reports/")
    page_check(page, phone=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_role("img", name="Sign-ins", exact=True)).to_be_visible()  # the chart, named by its <title>
    expect(page.get_by_role("table", name=re.compile("Sign-ins: the numbers"))).to_contain_text("3")

    page.get_by_label("Unit", exact=True).select_option(label="Northgate east office (Probation office)")
    page.get_by_role("button", name="Show reports").click()
    page_check(page)
    table = page.get_by_role("table", name=re.compile("Sign-ins: the numbers"))
    expect(table.get_by_role("row").last).to_contain_text("1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Sign-ins (CSV)").click()
    assert download.value.suggested_filename.startswith("onward-sign_ins-OFF-N2-")
