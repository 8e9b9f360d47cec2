"""The reports page, its CSV downloads and the API: who may see them, and what they hold."""

import csv
import io
from typing import Any

import pytest
from django.utils import timezone

from onward.accounts.models import SignInAttempt, SignInMethod
from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.people.tests.factories import CommunityPersonFactory
from onward.reports.models import UnitCost
from onward.reports.months import month_add, month_key, month_start
from onward.reports.services import reports_refresh

THIS_MONTH = month_key(month_start(timezone.localdate()))
LAST_MONTH = month_key(month_add(month_start(timezone.localdate()), -1))


@pytest.fixture
def counted(org: dict[str, Any]) -> dict[str, Any]:
    """Three sign-ins this month by two people in the Northgate PDU, one in the south; counted."""
    ann, ben = CommunityPersonFactory(unit=org["office_n"]), CommunityPersonFactory(unit=org["office_n2"])
    dee = CommunityPersonFactory(unit=org["office_s"])
    for person in (ann, ann, ben, dee):
        SignInAttempt.objects.create(
            method=SignInMethod.PIN, identifier="x", user=person_account_ensure(person), succeeded=True
        )
    reports_refresh()
    return org


def query(org: dict[str, Any], unit: str, first: str = LAST_MONTH, last: str = THIS_MONTH) -> str:
    return f"unit={org[unit].pk}&date_from={first}&date_to={last}"


@pytest.mark.django_db
def test_a_senior_sees_every_figure_with_its_chart_and_table(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    response = client.get(f"/staff/reports/?{query(counted, 'pdu_n')}")
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Sign-ins",
        "Check-ins done on time, late or missed",
        "Face checks by engine version",
        "Attendance at appointments",
        "Request turnaround",
        "Accommodation on release",
        "Home detention curfew (HDC) take-up",
        "Release on temporary licence (ROTL) take-up",
        "Cost per person per day",
    ):
        assert title in page
    # a chart for each monthly figure and the costs; no face checks yet, so no chart of them
    assert page.count('class="onward-chart"') == 11
    assert "Nothing to show for these months." in page
    assert 'aria-labelledby="chart-sign_ins-title" aria-describedby="chart-sign_ins-desc"' in page
    assert "Figures up to" in page
    # HDC and ROTL take-up are figures like the others
    assert 'id="figure-hdc_take_up"' in page
    assert 'id="figure-rotl_take_up"' in page
    assert "not available yet" not in page
    # the published costs, with the one read only in a press report marked for checking
    assert "Check by hand" in page
    assert "£141.71" in page
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_VIEWED, data__unit="PDU-N").count() == 1


@pytest.mark.django_db
def test_the_page_opens_on_the_first_unit_and_the_last_six_months(
    counted: Any, make_staff: Any, staff_client: Any
) -> None:
    response = staff_client(make_staff("senior", counted["pdu_n"])).get("/staff/reports/")
    assert response.status_code == 200
    assert "Northgate PDU" in response.content.decode()


@pytest.mark.django_db
def test_the_csv_holds_the_numbers_of_the_table(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    response = client.get(f"/staff/reports/sign_ins.csv?{query(counted, 'pdu_n')}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"onward-sign_ins-PDU-N-{LAST_MONTH}-to-{THIS_MONTH}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Unit", "Month", "Sign-ins", "People"]
    assert [row[2:] for row in rows[1:]] == [["0", "0"], ["3", "2"]]  # last month, then this month
    assert {row[0] for row in rows[1:]} == {"Northgate PDU"}
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_DOWNLOADED).count() == 1


@pytest.mark.django_db
def test_the_costs_csv_lists_every_cost_with_its_source(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    rows = list(
        csv.reader(io.StringIO(client.get(f"/staff/reports/costs.csv?{query(counted, 'pdu_n')}").content.decode()))
    )
    assert rows[0][:3] == ["Kind", "Pence per day", "Valid from"]
    assert len(rows) == 1 + UnitCost.objects.count() == 5
    custody = [row for row in rows if row[1] == "14171"]
    assert custody
    assert custody[0][5] == "no: check by hand"


@pytest.mark.django_db
def test_a_cell_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    counted: Any, make_staff: Any, staff_client: Any
) -> None:
    counted["pdu_n"].name = "=HYPERLINK(1)"
    counted["pdu_n"].save()
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    rows = list(
        csv.reader(io.StringIO(client.get(f"/staff/reports/sign_ins.csv?{query(counted, 'pdu_n')}").content.decode()))
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


@pytest.mark.django_db
def test_an_unknown_figure_is_not_found(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    assert client.get(f"/staff/reports/nothing.csv?{query(counted, 'pdu_n')}").status_code == 404


@pytest.mark.django_db
def test_a_senior_sees_only_their_own_units(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    page = client.get("/staff/reports/").content.decode()
    assert "Northgate east office" in page
    assert "Southtown PDU" not in page
    assert "HMP Northgate" not in page
    for unit in ("pdu_s", "north", "ngt"):
        assert client.get(f"/staff/reports/?{query(counted, unit)}").status_code == 400
        assert client.get(f"/staff/reports/sign_ins.csv?{query(counted, unit)}").status_code == 400
        assert client.get(f"/api/v1/reports?{query(counted, unit)}").status_code == 404
    read = set(AuditEvent.objects.filter(action__startswith="report.").values_list("data__unit", flat=True))
    assert read == {"PDU-N"}  # the page opened on their own unit; nothing else was read


@pytest.mark.django_db
def test_an_administrator_sees_the_region_they_hold(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("administrator", counted["north"]))
    response = client.get(f"/api/v1/reports?{query(counted, 'north')}")
    assert response.status_code == 200
    sign_ins = next(f for f in response.json()["figures"] if f["code"] == "sign_ins")
    assert sign_ins["rows"][-1] == {"label": sign_ins["rows"][-1]["label"], "values": [3, 2]}  # Dee is in the south


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["practitioner", "key_worker", "pom", "security", "content_editor"])
def test_staff_without_the_senior_role_see_no_reports(
    counted: Any, make_staff: Any, staff_client: Any, role: str
) -> None:
    client = staff_client(make_staff(role, counted["pdu_n"]))
    assert client.get(f"/staff/reports/?{query(counted, 'pdu_n')}").status_code == 403
    assert client.get(f"/staff/reports/sign_ins.csv?{query(counted, 'pdu_n')}").status_code == 403
    assert client.get(f"/api/v1/reports?{query(counted, 'pdu_n')}").status_code == 403


@pytest.mark.django_db
def test_a_person_sees_no_reports(counted: Any, person_client: Any) -> None:
    client = person_client(CommunityPersonFactory(unit=counted["office_n"]))
    assert client.get(f"/staff/reports/?{query(counted, 'pdu_n')}").status_code == 403
    assert client.get(f"/staff/reports/sign_ins.csv?{query(counted, 'pdu_n')}").status_code == 403
    assert client.get(f"/api/v1/reports?{query(counted, 'pdu_n')}").status_code == 401  # staff sessions only
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


@pytest.mark.django_db
def test_the_api_gives_the_same_figures_as_the_page(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    body = client.get(f"/api/v1/reports?{query(counted, 'pdu_n')}").json()
    assert body["unit_name"] == "Northgate PDU"
    assert body["date_from"] == LAST_MONTH
    assert body["date_to"] == THIS_MONTH
    sign_ins = next(f for f in body["figures"] if f["code"] == "sign_ins")
    assert sign_ins["columns"] == ["Sign-ins", "People"]
    assert [row["values"] for row in sign_ins["rows"]] == [[0, 0], [3, 2]]
    assert {c["kind"] for c in body["costs_in_force"]} == {"supervision", "tag", "custody"}
    assert "not_yet_available" not in body
    assert {"hdc_take_up", "rotl_take_up"} <= {f["code"] for f in body["figures"]}
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_READ_BY_API).count() == 1


@pytest.mark.django_db
def test_the_last_month_must_not_come_before_the_first(counted: Any, make_staff: Any, staff_client: Any) -> None:
    client = staff_client(make_staff("senior", counted["pdu_n"]))
    backwards = query(counted, "pdu_n", first=THIS_MONTH, last=LAST_MONTH)
    response = client.get(f"/staff/reports/?{backwards}")
    assert response.status_code == 400
    assert "The last month must be the same as or after the first month" in response.content.decode()
    assert client.get(f"/api/v1/reports?{backwards}").status_code == 400
    assert client.get(f"/api/v1/reports?{query(counted, 'pdu_n', first='1999-01')}").status_code == 400


@pytest.mark.django_db
def test_an_administrator_adds_a_newer_cost_and_the_page_uses_it(
    counted: Any, make_staff: Any, staff_client: Any
) -> None:
    admin = make_staff("administrator", counted["north"])
    client = staff_client(admin)
    response = client.post(
        "/admin/reports/unitcost/add/",
        {
            "kind": "tag",
            "pence_per_day": "2500",
            "valid_from": "2020-04-01",
            "source_title": "A newer published cost",
            "source_url": "https://example.org/cost",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert AuditEvent.objects.filter(action=AuditAction.ADMIN_UNITCOST_ADDED, actor=admin).exists()
    body = client.get(f"/api/v1/reports?{query(counted, 'north')}").json()
    tag = next(c for c in body["costs_in_force"] if c["kind"] == "tag")
    assert tag["pence_per_day"] == 2500
    assert tag["confirmed"] is False


@pytest.mark.django_db
def test_the_staff_menu_offers_reports_only_to_those_who_may_see_them(
    counted: Any, make_staff: Any, staff_client: Any
) -> None:
    senior = staff_client(make_staff("senior", counted["pdu_n"])).get("/staff/").content.decode()
    practitioner = staff_client(make_staff("practitioner", counted["office_n"])).get("/staff/").content.decode()
    assert 'href="/staff/reports/"' in senior
    assert 'href="/staff/reports/"' not in practitioner
