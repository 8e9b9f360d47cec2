"""A NUL character in an address's query is refused plainly, never a server error (PostgreSQL cannot take it)."""

import pytest


@pytest.mark.django_db
def test_a_nul_character_in_the_query_is_a_plain_400_and_an_api_422(client):
    page = client.get("/", {"q": "a\x00b"})
    assert page.status_code == 400
    api = client.get("/api/v1/me", {"q": "\x00"})
    assert api.status_code == 422
    assert api.json()["errors"] == [
        {
            "location": "query",
            "field": "q",
            "message": "This has a character that is not allowed. Take it out and try again.",
        }
    ]
    assert client.get("/", {"q": "ab"}).status_code == 200
