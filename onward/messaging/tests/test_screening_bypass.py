"""The ways round a word list an outside test found (issue 15), tried over HTTP as a person in custody; ordinary
messages that must still go through; and the tools security use to try a message against their list."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from onward.audit.models import AuditEvent
from onward.messaging.models import Message, MessageState, ScreeningPolicy, WordList
from onward.messaging.services import conversation_for_person, message_send, term_add
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db

# Each was delivered on main at 5bcba29 while "parcel" was held.
ATTACKS = {
    "zero-width space": "par\u200bcel",
    "soft hyphen": "par\u00adcel",
    "word joiner": "dr\u2060one",
    "Cyrillic a": "p\u0430rcel",
    "right-to-left override": "\u202elecrap\u202c",
    "spaced letters": "p a r c e l",
    "dotted letters": "p.a.r.c.e.l",
    "hyphenated letters": "p-a-r-c-e-l",
    "digit for a letter": "sp1ce",
    "plural": "parcels",
    "phone number with dots": "07700.900.123",
    "fullwidth letters": "\uff50\uff41\uff52\uff43\uff45\uff4c",
    "capital I for l": "parceI",
    "symbol for a letter": "$pice",
}

# Ordinary messages from people in custody: none may be held by a realistic prison list.
ORDINARY = [
    "I'll be there at 10",
    "See you at 4pm on the 1st of May.",
    "Can we talk about my course on Monday?",
    "Mum said the housing form is done, thank you for your help.",
    "My release date is 12 March 2027 and I'm a bit worried about it.",
    "I got 10 out of 10 on the maths quiz!",
    "He'll be fine, we'd said it's OK.",
    "I did 10, 20, 30 press-ups this morning.",
    "Is it ok if I ring at 10:30?",
    "The canteen sheet cost £12.50 this week.",
    "Dinner was chips, beans and a yoghurt.",
    "I'm reading a book called Modern Times for the reading group.",
    "Please tell my probation officer the copes class went well.",
    "Can I get a job in the kitchen or the gardens?",
    "Thanks, Miss. Have a good weekend x x x",
]

REALISTIC_TERMS = [
    ("word", "parcel"),
    ("word", "drone"),
    ("word", "spice"),
    ("word", "mamba"),
    ("word", "burner"),
    ("word", "shank"),
    ("word", "subby"),
    ("word", "dinky"),
    ("word", "cop"),
    ("word", "lo"),
    ("phrase", "over the wall"),
    ("phrase", "throw over"),
    ("phrase", "sim card"),
    ("pattern", "uk_phone_number"),
    ("pattern", "bank_sort_code"),
    ("pattern", "bank_account_number"),
    ("pattern", "email_address"),
]


@pytest.fixture
def screened(msg_world: dict[str, Any]) -> dict[str, Any]:
    w = msg_world
    for kind, text in REALISTIC_TERMS:
        if not w["word_list"].terms.filter(kind=kind, text=text).exists():
            term_add(actor=w["security"], word_list=w["word_list"], kind=kind, text=text)
    w["word_list"].refresh_from_db()
    return w


@pytest.mark.parametrize("body", ATTACKS.values(), ids=ATTACKS.keys())
def test_each_way_round_the_list_is_held_over_http(screened: dict[str, Any], person_client: Any, body: str) -> None:
    w = screened
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    sent = person_client(w["person"]).post(f"/me/messages/{conversation.pk}/", {"body": body})
    assert sent.status_code == 302
    message = Message.objects.get(conversation=conversation)
    assert message.body == body
    assert message.state == MessageState.HELD
    assert message.matched_terms


def test_ordinary_messages_are_delivered_over_http(screened: dict[str, Any], person_client: Any) -> None:
    w = screened
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    client = person_client(w["person"])
    for body in ORDINARY:
        assert client.post(f"/me/messages/{conversation.pk}/", {"body": body}).status_code == 302
        message = Message.objects.filter(conversation=conversation).latest("pk")
        assert message.body == body
        assert message.state == MessageState.DELIVERED, (body, message.matched_terms)
        assert message.matched_terms == []


def test_direction_overrides_are_held_even_when_the_policy_is_to_flag(
    screened: dict[str, Any], person_client: Any, staff_client: Any
) -> None:
    w = screened
    WordList.objects.filter(pk=w["word_list"].pk).update(policy=ScreeningPolicy.FLAG)
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    flagged = message_send(actor=w["person_user"], conversation=conversation, body="a parcel")
    assert flagged.state == MessageState.DELIVERED  # the list's policy is followed for ordinary matches
    reversed_text = message_send(actor=w["person_user"], conversation=conversation, body="see \u202egnidlom\u202c")
    assert reversed_text.state == MessageState.HELD
    assert reversed_text.matched_terms == [{"term": "hidden_direction_characters", "kind": "control", "category": ""}]
    security = staff_client(w["security"])
    queue = security.get("/staff/message-review/").content.decode()
    assert "Hidden direction characters" in queue
    page = security.get(f"/staff/message-review/{reversed_text.pk}/").content.decode()
    assert "change the direction of the text" in page
    assert "<bdi>see \u202egnidlom\u202c</bdi>" in page
    assert "<bdi>see gnidlom</bdi>" in page  # as screening read it, without the hidden characters


def test_a_reviewer_sees_what_an_override_hides(screened: dict[str, Any], staff_client: Any) -> None:
    w = screened
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    held = message_send(actor=w["person_user"], conversation=conversation, body="\u202elecrap\u202c")
    assert {m["term"] for m in held.matched_terms} == {"parcel", "hidden_direction_characters"}
    page = staff_client(w["security"]).get(f"/staff/message-review/{held.pk}/").content.decode()
    assert "parcel, Hidden characters that change the direction of the text" in page


def test_message_text_is_isolated_on_every_page_that_shows_it(
    screened: dict[str, Any], person_client: Any, staff_client: Any
) -> None:
    w = screened
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    message_send(actor=w["keyworker"], conversation=conversation, body="Room 3 at 2")
    person_page = person_client(w["person"]).get(f"/me/messages/{conversation.pk}/").content.decode()
    assert "<bdi>Room 3 at 2</bdi>" in person_page
    staff_page = staff_client(w["keyworker"]).get(f"/staff/messages/{conversation.pk}/").content.decode()
    assert "<bdi>Room 3 at 2</bdi>" in staff_page
    held = message_send(actor=w["person_user"], conversation=conversation, body="the drone")
    security = staff_client(w["security"])
    review = security.get(f"/staff/message-review/{held.pk}/").content.decode()
    assert "<bdi>the drone</bdi>" in review
    queue = security.get("/staff/message-review/").content.decode()
    assert "<bdi>drone</bdi>" in queue


# --- manage.py screening_check ------------------------------------------------------------------


def _check(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("screening_check", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_the_command_prints_json_with_the_canonical_form(screened: dict[str, Any]) -> None:
    held = _check("NGT", "Send the p.a.r.c.e.l to 07700 900 123")
    assert held["held"] is True
    assert held["matched"] == ["parcel", "uk_phone_number"]
    assert held["canonical"] == "send the parcel to 07700 900 123"
    ordinary = _check("ngt", "I'll be there at 10")
    assert ordinary == {"held": False, "matched": [], "canonical": "i ll be there at 10"}
    assert _check("NGT-A", "a dr\u2060one at dawn")["held"] is True  # a wing is screened by its prison's list
    event = AuditEvent.objects.filter(action="word_list.tried").latest("seq")
    assert event.data["test"] is True
    assert event.data["matched"] == ["drone"]
    assert "dawn" not in json.dumps(event.data)  # a test's text is not kept, only its length and digest
    assert not Message.objects.exists()


def test_the_command_names_a_unit_it_cannot_find(screened: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="No prison or delivery unit has the code XYZ"):
        _check("XYZ", "parcel")
    with pytest.raises(CommandError, match="has no word list"):
        _check("STN", "parcel")


# --- Try a message (the word list page) ----------------------------------------------------------


def test_security_try_a_message_and_see_why(screened: dict[str, Any], staff_client: Any) -> None:
    w = screened
    security = staff_client(w["security"])
    url = f"/staff/word-lists/{w['word_list'].pk}/try/"
    assert url in security.get(f"/staff/word-lists/{w['word_list'].pk}/").content.decode()
    assert security.get(url).status_code == 200
    page = security.post(url, {"text": "any SP1CE or a p\u0430rcel?"}).content.decode()
    assert "Held for review" in page
    assert "<bdi>spice</bdi>" in page
    assert "<bdi>parcel</bdi>" in page
    assert "<bdi>any spıce or a parcel</bdi>" in page
    ordinary = security.post(url, {"text": "See you at 4pm"}).content.decode()
    assert "Delivered" in ordinary
    assert "Nothing on the list" in ordinary
    empty = security.post(url, {"text": ""})
    assert empty.status_code == 400
    assert "Enter a message to try." in empty.content.decode()
    assert AuditEvent.objects.filter(action="word_list.tried", actor=w["security"]).count() == 2
    assert not Message.objects.exists()


def test_only_those_who_keep_the_list_may_try_it(screened: dict[str, Any], staff_client: Any, make_staff: Any) -> None:
    w = screened
    url = f"/staff/word-lists/{w['word_list'].pk}/try/"
    for user in (w["keyworker"], w["other_security"], make_staff(Role.SENIOR, w["org"]["pdu_n"])):
        client = staff_client(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "parcel"}).status_code == 403
    assert not AuditEvent.objects.filter(action="word_list.tried").exists()
