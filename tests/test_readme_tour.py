"""The README's tour, step by step, on the demo data (`onward/demo`): what a newcomer does after `make run`.

Each step goes through the pages a newcomer uses (the real sign-in with the demo password and the
demo authenticator's code, the record, the enrolment form as it comes, the job command the README
gives, the administrator's text message log, the invitation's link and a date of birth). If the README's
words stop being true (the invitation does not reach Aled, his home page does not say what to do),
this test fails.
"""

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from onward.accounts.tests.factories import totp_code
from onward.checkins.models import CheckIn, State
from onward.checkins.tests.factories import questionnaire_ensure
from onward.demo.seed import DEMO_PASSWORD, DEMO_PIN, DEMO_PRISON_NUMBER, demo_seed, demo_totp_device
from onward.notifications.models import OutboxMessage
from onward.people.models import Person

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[1] / "README.md"
FIXTURES = Path(__file__).resolve().parents[1] / "onward" / "biometrics" / "tests" / "fixtures"


def _staff(email: str) -> Client:
    """Signed in as the README says: the demo password, then the demo authenticator's current code."""
    client = Client()
    answer = client.post("/sign-in/", {"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 302, answer.content[:300]
    device = demo_totp_device(email)
    assert device is not None
    answer = client.post("/sign-in/code/", {"code": totp_code(device)})
    assert answer.status_code == 302, answer.content[:300]
    return client


def _text(answer: Any) -> str:
    assert answer.status_code == 200, answer.status_code
    return html.unescape(answer.content.decode())


def _link(page: str, words: str) -> str:
    found = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(words), page)
    assert found, f"no link {words!r}"
    return found.group(1)


def _selected(page: str, name: str) -> str:
    select = re.search(r'<select[^>]*name="' + name + r'"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"\s+selected', select.group(1))
    return chosen.group(1) if chosen else re.search(r'<option value="([^"]*)"', select.group(1)).group(1)


@pytest.fixture
def demo() -> None:
    assert demo_seed()
    questionnaire_ensure()


def test_the_readme_still_tells_the_check_in_tour_this_test_follows() -> None:
    readme = " ".join(README.read_text(encoding="utf-8").split())  # wherever the lines break
    for words in (
        'open Aled Pryce\'s record (CRN X100001), choose "Check-ins", and enrol him with a photo of a face',
        '"How we tell them" starts at "Text message"',
        "manage.py run_job checkins_create_due",
        "The invitation is in `var/sms.log`: open its link",
        "give Aled's date of birth",
        "his home page now leads with his check-in due and a button to start it",
        'check-in is in the practitioner\'s "Check-ins to review"',
    ):
        assert words in readme, words


def test_the_remote_check_in_tour_works_as_the_readme_says(demo: None) -> None:
    aled = Person.objects.get(crn="X100001")

    # As the practitioner, open Aled Pryce's record (CRN X100001) and choose "Check-ins".
    practitioner = _staff("practitioner@onward.example")
    caseload = _text(practitioner.get("/staff/", {"q": "X100001"}))
    record = _text(practitioner.get(_link(caseload, "Pryce, Aled")))
    enrolment_url = _link(record, "Check-ins\n")  # the record's button, not the menu's "Check-ins to review"
    assert re.fullmatch(r"/staff/people/\d+/check-ins/", enrolment_url)
    form = _text(practitioner.get(enrolment_url))

    # The form comes ready to reach him: by text, as his phone is checked (not "in the app only").
    assert _selected(form, "contact_preference") == "sms"
    with (FIXTURES / "obama_1.jpg").open("rb") as photo:
        answer = practitioner.post(
            enrolment_url,
            {
                "photo": photo,
                "schedule": _selected(form, "schedule"),
                "window_hours": "72",
                "contact_preference": _selected(form, "contact_preference"),
                "office_visits": _selected(form, "office_visits"),
                "office_visits_reason": "Trying remote check-ins with Aled",
            },
        )
    assert answer.status_code == 302, _text(answer)[:2000]

    # Make today's check-in at once with the README's command.
    call_command("run_job", "checkins_create_due")
    checkin = CheckIn.objects.get(person=aled)
    assert checkin.state == State.CREATED

    # The invitation is what the worker writes to var/sms.log (the worker is not run here: it closes the
    # test database's connection), so it is read from the outbox the worker sends from.
    invitation = OutboxMessage.objects.filter(channel="sms", person=aled).latest("pk")
    found = re.search(r"https?://[^\s<\"]+(/me/link/[^\s<\"]+/)", invitation.body)
    assert found, "no check-in link in the invitation"
    # The administrator's text message log shows that it is there, never the link itself.
    log = _text(_staff("admin@onward.example").get("/staff/notifications/sms-log/"))
    assert found.group(1) not in log

    # Open its link and give Aled's date of birth.
    phone = Client()
    link = found.group(1)
    assert "Day" in _text(phone.get(link))
    dob = aled.date_of_birth
    answer = phone.post(link, {"day": dob.day, "month": dob.month, "year": dob.year})
    assert answer.status_code == 302
    assert answer.url.endswith("/me/check-in/")

    # His home page leads with it, with a button to start.
    home = _text(phone.get("/me/"))
    do_now = home.split('id="do-now"')[1].split('id="coming-up"')[0]
    assert "Mae'n amser gwneud eich gwiriad" in do_now  # "Your check-in is due": Aled reads Onward in Welsh
    assert 'href="/me/check-in/"' in do_now

    # Answer the questions, send a photo, and send the check-in.
    page = _text(phone.get("/me/check-in/"))
    answers = {"step": "answers"}
    for question in checkin.questionnaire.questions.filter(required=True):
        choices = question.choice_list("en")
        answers[question.key] = choices[0][0] if choices else "Fine, thank you"
    assert phone.post("/me/check-in/", answers).status_code == 302
    with (FIXTURES / "obama_2.jpg").open("rb") as photo:
        assert phone.post("/me/check-in/", {"step": "media", "media": photo}).status_code == 302
    page = _text(phone.get("/me/check-in/"))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    sent = phone.post("/me/check-in/", {"step": "submit", "idempotency_key": key})
    assert sent.status_code == 302
    assert "/sent/" in sent.url
    checkin.refresh_from_db()
    assert checkin.state == State.SUBMITTED

    # The check-in is in the practitioner's "Check-ins to review".
    queue = _text(practitioner.get("/staff/check-ins/"))
    assert "Pryce" in queue


def test_the_people_s_home_pages_say_what_to_do_next(demo: None) -> None:
    """The README's two people: Aled's home leads with his appointment to confirm and his new message;
    Daniel's (signed in with prison number and PIN) with his new message, and offers no check-in."""
    aled = Person.objects.get(crn="X100001")
    client = Client()
    client.force_login(aled.account, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    home = _text(client.get("/me/", HTTP_ACCEPT_LANGUAGE="en"))
    do_now, rest = home.split('id="do-now"')[1].split('id="coming-up"')
    assert "Licence ends" in rest.split('id="other"')[1]  # the rest comes last
    assert "New messages" in do_now  # "Hi Aled, see you on Tuesday at 10."
    assert "Tell us you will go" in do_now  # his appointment in two days, not confirmed yet
    assert "Licence ends" in rest
    assert do_now.index("New messages") < do_now.index("Tell us you will go")

    daniel = Client()
    answer = daniel.post("/me/sign-in/", {"prison_number": DEMO_PRISON_NUMBER, "pin": DEMO_PIN})
    assert answer.status_code == 302
    home = _text(daniel.get("/me/"))
    do_now = home.split('id="do-now"')[1].split('id="coming-up"')[0]
    assert "New messages" in do_now
    assert "The staff working with you" in do_now
    assert "/me/check-in/" not in home  # in custody: no check-in tab
