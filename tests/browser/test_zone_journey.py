"""Zones end to end in headless Chromium: a practitioner draws an exclusion zone on the map, a fix from the
person's device inside it raises an alert, the alert is on the practitioner's alerts page, and the evidence
pack downloads with its PDF and the fix.

The map tiles come from a tile server outside the machine: the test answers for it with one blank tile.
"""

import csv
import io
import re
import zipfile
from typing import Any

import pytest
import shapely
from django.utils import timezone
from playwright.sync_api import Browser, Page, Route, expect
from pytest_django.live_server_helper import LiveServer
from shapely.geometry import shape

from onward.accounts.services import device_token_create, person_account_ensure
from onward.curfew.models import Zone
from onward.organisations.models import Role
from onward.people.licence_catalogue import catalogue_ensure
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TILES = "https://tiles.example/{z}/{x}/{y}.png"


def _blank_tile() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (242, 242, 242)).save(out, format="PNG")
    return out.getvalue()


def test_a_drawn_exclusion_zone_a_fix_inside_it_an_alert_and_its_evidence_pack(
    page: Page, browser: Browser, live_server: LiveServer, org: dict[str, Any], make_staff: Any, settings: Any
) -> None:
    settings.MAP_TILE_URL = TILES
    tile = _blank_tile()

    def tile_server(route: Route) -> None:
        route.fulfill(status=200, content_type="image/png", body=tile)

    page.route("https://tiles.example/**", tile_server)
    # Browser tests flush the database after each test, which empties the condition catalogue its migration
    # loaded; the curfew and zone conditions the licence will carry must be there again.
    catalogue_ensure()
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Synthetic", last_name="Zonejourney")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)

    # The practitioner draws the zone: four clicks on the map, then "Use this area".
    staff_sign_in(page, practitioner)
    page.goto(f"/staff/people/{person.pk}/curfew/")
    tiles = page.locator("#zone-map .onward-map__tiles")
    expect(tiles.locator("img.leaflet-tile-loaded").first).to_be_attached()
    box = tiles.bounding_box()
    assert box is not None
    middle_x, middle_y = box["width"] / 2, box["height"] / 2
    for dx, dy in [(-20, -20), (20, -20), (20, 20), (-20, 20)]:
        tiles.click(position={"x": middle_x + dx, "y": middle_y + dy})
    expect(page.locator("#zone-map path.leaflet-interactive")).to_be_attached()
    page.get_by_role("button", name="Use this area").click()
    expect(page.get_by_role("status")).to_contain_text("Area drawn with 4 corners")
    page.get_by_label("Kind of zone").select_option(label="Must keep out")
    page.get_by_label("Name for staff").fill("Synthetic victim's street")
    page.get_by_label("What the person is told (plain words, never a victim's address)").fill(
        "The streets around the market"
    )
    page.get_by_role("button", name="Issue a new licence version with these").click()
    expect(page.get_by_text("The curfew and zones are set.")).to_be_visible()
    expect(page.get_by_text("Synthetic victim's street")).to_be_visible()
    page_check(page)

    # One accurate fix inside it from the person's device, through the open fix format.
    zone = Zone.objects.get(person=person, kind="exclusion")
    assert zone.geojson["geometry"]["type"] == "Polygon"
    inside = shapely.point_on_surface(shape(zone.geojson["geometry"]))
    token = device_token_create(actor=person_account_ensure(person), name="Synthetic phone").token
    device = browser.new_context(base_url=live_server.url)
    sent = device.request.post(
        "/api/v1/location/fixes",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "device": "synthetic-phone",
            "fixes": [
                {
                    "time": timezone.now().isoformat(),  # after the zone was issued
                    "latitude": inside.y,
                    "longitude": inside.x,
                    "accuracy_m": 10,
                    "source": "gps",
                }
            ],
        },
    )
    assert sent.status == 200, sent.text()
    assert sent.json()["accepted"] == 1
    device.close()

    # The alert is on the practitioner's alerts page, and leads to the fixes and the evidence pack.
    page.goto("/staff/alerts/")
    expect(page.get_by_role("table")).to_contain_text("Zonejourney")
    page.get_by_role("link", name=re.compile("Zone")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zone")
    page_check(page)
    page.get_by_role("link", name="Fixes on the map").click()
    page_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Evidence pack (ZIP)").click()
    path = download_info.value.path()
    with zipfile.ZipFile(path) as pack:
        names = set(pack.namelist())
        assert {"summary.pdf", "fixes.csv", "zones.geojson", "manifest.json"} <= names
        assert pack.read("summary.pdf").startswith(b"%PDF")
        rows = list(csv.DictReader(io.StringIO(pack.read("fixes.csv").decode())))
    assert len(rows) == 1
    assert float(rows[0]["accuracy_m"]) == 10
    assert abs(float(rows[0]["latitude"]) - inside.y) < 1e-6
