"""The installed web app: its manifest, its service worker, and the layout that points to both."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_manifest_is_served_as_a_web_app_manifest() -> None:
    response = Client().get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Onward"
    assert manifest["start_url"] == "/me/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes


def test_every_icon_in_the_manifest_is_served() -> None:
    client = Client()
    manifest = json.loads(client.get("/manifest.webmanifest").content)

    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response["Content-Type"] == icon["type"]


def test_the_png_icons_are_the_sizes_the_manifest_says() -> None:
    from PIL import Image

    for size in (192, 512):
        path = finders.find(f"onward/icon-{size}.png")
        assert path is not None
        with Image.open(str(path)) as image:
            assert image.size == (size, size)


def test_the_service_worker_is_served_from_the_root_as_javascript_and_not_cached() -> None:
    response = Client().get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'addEventListener("push"' in script
    assert 'addEventListener("notificationclick"' in script
    assert 'const NOTIFICATION_ICON = "/static/onward/icon-192.' in script
    # The values are JavaScript, not escaped HTML.
    assert "&#34;" not in script
    assert "&quot;" not in script


def test_every_page_links_the_manifest_and_names_the_service_worker() -> None:
    body = Client().get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert '<meta name="onward-service-worker" content="/sw.js">' in body
