"""The staff pages (day on the map, curfew and zones typed without a map, a night's variation) and the person's page."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.curfew.evaluation import FixIn, fixes_ingest
from onward.curfew.models import CurfewTerms, CurfewVariation, Zone
from onward.curfew.tests.conftest import HOME, KEEP_OUT

pytestmark = pytest.mark.django_db
NIGHT = datetime(2026, 6, 10, 20, 0, tzinfo=UTC)


def test_the_day_page_draws_zones_and_fixes_on_a_plain_grid(
    case: dict[str, Any], terms: Any, staff_client: Any
) -> None:
    person = case["person"]
    fixes_ingest(
        actor=person_account_ensure(person),
        person=person,
        device="synthetic-phone",
        fixes=[FixIn(NIGHT, *HOME, 15.0), FixIn(NIGHT + timedelta(minutes=10), *KEEP_OUT, 20.0)],
        now=NIGHT + timedelta(hours=1),
    )
    page = staff_client(case["practitioner"]).get(f"/staff/people/{person.pk}/location/2026-06-10/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('class="onward-map__fix') == 2
    assert "onward-map__fix--against" in body
    assert body.count("onward-map__zone onward-map__zone--") == 2  # the home circle and the exclusion zone
    assert "Synthetic victim" in body  # staff see their own name for the zone
    assert "19:00" in body or "20:00" in body  # the curfew's part of the day
    assert "Evidence pack (ZIP)" in body


def test_a_zone_typed_as_a_centre_and_radius_issues_a_new_version(case: dict[str, Any], staff_client: Any) -> None:
    person = case["person"]
    form = {
        "address": "1 Synthetic Street\nLeeds",
        "latitude": str(HOME[0]),
        "longitude": str(HOME[1]),
        **{f"start_{d}": "19:00" for d in range(7)},
        **{f"end_{d}": "07:00" for d in range(7)},
        "zone-kind": "exclusion",
        "zone-applies": "always",
        "zone-label": "Synthetic victim's street",
        "zone-description": "The streets around the market",
        "zone-centre": f"{KEEP_OUT[0]}, {KEEP_OUT[1]}",
        "zone-radius_m": "250",
    }
    response = staff_client(case["practitioner"]).post(f"/staff/people/{person.pk}/curfew/", form)
    assert response.status_code == 302
    terms = CurfewTerms.objects.get(person=person)
    assert terms.windows.count() == 7
    zone = Zone.objects.get(terms=terms, kind="exclusion")
    assert zone.radius_m == 250
    assert zone.geojson["geometry"]["type"] == "Point"


def test_a_zone_typed_wrong_is_refused_in_plain_words(case: dict[str, Any], staff_client: Any) -> None:
    response = staff_client(case["practitioner"]).post(
        f"/staff/people/{case['person'].pk}/curfew/",
        {
            "zone-kind": "exclusion",
            "zone-applies": "always",
            "zone-label": "Synthetic",
            "zone-description": "Synthetic area",
            "zone-corners": "53.79, -1.55\nnot a point",
        },
    )
    assert response.status_code == 200
    assert "Write each point as latitude, longitude" in response.content.decode()
    assert not CurfewTerms.objects.exists()


def test_a_variation_is_approved_from_the_page(case: dict[str, Any], terms: Any, staff_client: Any) -> None:
    night = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = staff_client(case["practitioner"]).post(
        f"/staff/people/{case['person'].pk}/curfew/variations/",
        {"night": night, "start": "23:00", "end": "08:00", "reason": "Late shift"},
    )
    assert response.status_code == 302
    assert CurfewVariation.objects.get().reason == "Late shift"


def test_the_person_reads_their_curfew_and_zones_in_words_never_a_point(
    case: dict[str, Any], terms: Any, person_client: Any
) -> None:
    body = person_client(case["person"]).get("/me/curfew/").content.decode()
    assert "Monday to Sunday, 19:00 to 07:00" in body
    assert "The streets around the market" in body
    assert "about 600 m across" in body
    assert "Synthetic victim" not in body
    assert f"{KEEP_OUT[0]}" not in body


def test_a_tile_server_is_allowed_as_an_image_source_only_when_set(settings: Any) -> None:
    from onward.core.middleware import content_security_policy

    settings.MAP_TILE_URL = ""
    assert "img-src 'self' data:;" in content_security_policy()
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"  # a made-up tile server
    assert "img-src 'self' data: https://*.tiles.example.org;" in content_security_policy()
