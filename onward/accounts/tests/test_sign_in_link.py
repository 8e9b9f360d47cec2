import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onward.accounts.models import SignInAttempt, SignInLink, SignInMethod
from onward.accounts.services import SignInRefused, person_account_ensure, sign_in_link_issue, sign_in_link_redeem
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(org):
    person = CommunityPersonFactory(unit=org["office_n"], date_of_birth=dt.date(1990, 3, 27))
    account = person_account_ensure(person)
    path = sign_in_link_issue(
        user=account, purpose="checkin", next_url="/me/", expires_at=timezone.now() + dt.timedelta(hours=72)
    )
    return {"person": person, "account": account, "path": path, "token": path.rstrip("/").rsplit("/", 1)[-1]}


def test_the_link_and_date_of_birth_sign_the_person_in_and_go_on(link):
    client = Client()
    page = client.get(link["path"])
    assert page.status_code == 200
    assert "What is your date of birth?" in page.content.decode()
    response = client.post(link["path"], {"day": "27", "month": "3", "year": "1990"})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert SignInAttempt.objects.filter(method=SignInMethod.LINK, succeeded=True, user=link["account"]).exists()
    # The link keeps working through its window (a person may come back to finish).
    assert sign_in_link_redeem(token=link["token"], date_of_birth=dt.date(1990, 3, 27))[0] == link["account"]


def test_only_a_digest_of_the_link_is_stored(link):
    assert not SignInLink.objects.filter(token_digest__contains=link["token"]).exists()


def test_wrong_dates_of_birth_lock_the_link(link, settings):
    client = Client()
    for _ in range(settings.SIGN_IN_LINK_FAILURE_LIMIT - 1):
        response = client.post(link["path"], {"day": "1", "month": "1", "year": "1990"})
        assert "date of birth is not right" in response.content.decode()
    response = client.post(link["path"], {"day": "1", "month": "1", "year": "1990"})
    assert "locked" in response.content.decode()
    with pytest.raises(SignInRefused) as refused:
        sign_in_link_redeem(token=link["token"], date_of_birth=dt.date(1990, 3, 27))
    assert refused.value.reason == "locked"
    assert SignInAttempt.objects.filter(method=SignInMethod.LINK, succeeded=False).count() == 6


def test_an_expired_link_says_what_to_do_instead(link):
    SignInLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    page = Client().get(link["path"])
    assert page.status_code == 410
    assert "Get a code to sign in" in page.content.decode()
    with pytest.raises(SignInRefused) as refused:
        sign_in_link_redeem(token=link["token"], date_of_birth=dt.date(1990, 3, 27))
    assert refused.value.reason == "expired"


def test_a_made_up_link_is_refused():
    response = Client().post("/me/link/not-a-real-token/", {"day": "27", "month": "3", "year": "1990"})
    assert response.status_code == 400
    assert "does not work" in response.content.decode()


def test_impossible_dates_get_a_plain_error(link):
    response = Client().post(link["path"], {"day": "31", "month": "2", "year": "1990"})
    assert response.status_code == 400
    assert "real date of birth" in response.content.decode()
    response = Client().post(link["path"], {"day": "x", "month": "", "year": "1990"})
    assert "as numbers" in response.content.decode()


def test_links_only_lead_to_this_site(link):
    with pytest.raises(ValueError, match="path"):
        sign_in_link_issue(
            user=link["account"], purpose="x", next_url="https://evil.example/", expires_at=timezone.now()
        )
    with pytest.raises(ValueError, match="path"):
        sign_in_link_issue(user=link["account"], purpose="x", next_url="//evil.example/", expires_at=timezone.now())
