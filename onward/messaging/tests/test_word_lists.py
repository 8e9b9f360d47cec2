"""Keeping word lists: who may, what a term may be, uploads with bad lines, and that a change reaches the
very next message through the list's revision."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onward.audit.models import AuditEvent
from onward.messaging.models import MessageState, ScreeningPolicy, Term, TermKind, WordList
from onward.messaging.services import (
    conversation_for_person,
    message_send,
    term_add,
    term_clean,
    term_remove,
    terms_upload,
    word_list_create,
    word_list_policy_set,
)
from onward.messaging.tests.factories import TermFactory, WordListFactory
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_a_new_term_holds_the_next_message(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    before = message_send(actor=w["person_user"], conversation=conversation, body="Bring the trainers")
    assert before.state == MessageState.DELIVERED
    revision = w["word_list"].revision
    term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.WORD, text="Trainers")
    assert WordList.objects.get().revision != revision
    after = message_send(actor=w["person_user"], conversation=conversation, body="Bring the TRAINERS")
    assert after.state == MessageState.HELD
    assert after.matched_terms[0]["term"] == "Trainers"  # the term as it is on the list
    term_remove(actor=w["security"], term=Term.objects.get(text="Trainers"), reason="Allowed again")
    again = message_send(actor=w["person_user"], conversation=conversation, body="Bring the trainers")
    assert again.state == MessageState.DELIVERED


def test_the_policy_change_decides_hold_or_flag(msg_world: dict[str, Any]) -> None:
    w = msg_world
    conversation = conversation_for_person(actor=w["person_user"], person=w["person"])
    with pytest.raises(ValidationError):
        word_list_policy_set(actor=w["security"], word_list=w["word_list"], policy=ScreeningPolicy.FLAG, reason=" ")
    word_list_policy_set(
        actor=w["security"], word_list=w["word_list"], policy=ScreeningPolicy.FLAG, reason="Too many holds"
    )
    sent = message_send(actor=w["person_user"], conversation=conversation, body="a parcel came")
    assert sent.state == MessageState.DELIVERED
    assert sent.flag == "screening"
    event = AuditEvent.objects.get(action="word_list.policy_changed")
    assert event.data == {"before": {"policy": "hold"}, "after": {"policy": "flag"}}
    assert event.reason == "Too many holds"


def test_security_of_another_prison_cannot_see_or_change_the_list(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    other = w["other_security"]
    for change in (
        lambda: term_add(actor=other, word_list=w["word_list"], kind=TermKind.WORD, text="trainers"),
        lambda: term_remove(actor=other, term=Term.objects.get(text="parcel"), reason="no"),
        lambda: word_list_policy_set(actor=other, word_list=w["word_list"], policy="flag", reason="no"),
        lambda: terms_upload(actor=other, word_list=w["word_list"], content=b"trainers\n"),
        lambda: word_list_create(actor=other, unit=w["org"]["ngt"], policy="hold"),
    ):
        with pytest.raises(PermissionDenied):
            change()
    with pytest.raises(PermissionDenied):
        term_add(actor=w["keyworker"], word_list=w["word_list"], kind=TermKind.WORD, text="trainers")
    client = staff_client(other)
    list_id = w["word_list"].pk
    assert client.get(f"/staff/word-lists/{list_id}/").status_code == 403
    assert client.post(f"/staff/word-lists/{list_id}/terms/new/", {"kind": "word", "text": "x1"}).status_code == 403
    assert "HMP Northgate" not in client.get("/staff/word-lists/").content.decode()
    assert Term.objects.count() == 3


def test_terms_are_checked(msg_world: dict[str, Any]) -> None:
    assert term_clean("word", "  Parcel ") == ("word", "Parcel")
    assert term_clean("phrase", "over   the  wall") == ("phrase", "over the wall")
    assert term_clean("pattern", "uk_phone_number") == ("pattern", "uk_phone_number")
    for kind, text in [
        ("pattern", r"(a+)+$"),  # staff never type a regular expression
        ("pattern", ""),
        ("word", "two words"),
        ("word", "x"),
        ("word", "!!"),
        ("word", "a" * 101),
        ("phrase", "<b>bold</b>"),
        ("phrase", "bell\x07ring"),
        ("regex", "parcel"),
    ]:
        with pytest.raises(ValidationError):
            term_clean(kind, text)


def test_a_term_already_on_the_list_is_refused(msg_world: dict[str, Any]) -> None:
    w = msg_world
    with pytest.raises(ValidationError):
        term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.WORD, text="PARCEL")
    with pytest.raises(ValidationError):
        term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.PATTERN, text="uk_phone_number")
    added = term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.WORD, text="café", category="x")
    event = AuditEvent.objects.get(action="word_list.term_added")
    assert event.data == {"before": None, "after": {"kind": "word", "text": "café", "category": "x"}}
    assert added.added_by == w["security"]
    with pytest.raises(ValidationError):
        term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.WORD, text="CAFE")


def test_removing_a_term_needs_a_reason_and_is_audited(msg_world: dict[str, Any]) -> None:
    w = msg_world
    term = Term.objects.get(text="parcel")
    with pytest.raises(ValidationError):
        term_remove(actor=w["security"], term=term, reason="")
    term_remove(actor=w["security"], term=term, reason="Post room asked")
    event = AuditEvent.objects.get(action="word_list.term_removed")
    assert event.data["before"] == {"kind": "word", "text": "parcel", "category": ""}
    assert event.data["after"] is None
    assert event.actor_role == "security"


def test_an_upload_adds_terms_and_counts_duplicates(msg_world: dict[str, Any]) -> None:
    w = msg_world
    content = "\n".join(
        [
            "kind,text,category",
            "trainers",
            "Parcel",  # already on the list
            "over the fence",
            "trainers",  # twice in the file
            "# a comment",
            "",
            "pattern,bank_sort_code,finance",
            'phrase,"meet me, outside",violence',
            '"burner phone"',
        ]
    ).encode()
    revision = w["word_list"].revision
    result = terms_upload(actor=w["security"], word_list=w["word_list"], content=content)
    assert (result.added, result.duplicates) == (5, 2)
    assert set(Term.objects.values_list("kind", "text", "category")) >= {
        ("word", "trainers", ""),
        ("phrase", "over the fence", ""),
        ("pattern", "bank_sort_code", "finance"),
        ("phrase", "meet me, outside", "violence"),
        ("phrase", "burner phone", ""),
    }
    assert WordList.objects.get().revision != revision
    event = AuditEvent.objects.get(action="word_list.terms_uploaded")
    assert event.data["before"] == {"terms": 3}
    assert event.data["after"] == {"terms": 8}


def test_an_upload_with_bad_lines_adds_nothing_and_names_them(msg_world: dict[str, Any]) -> None:
    w = msg_world
    content = b"trainers\nsomething,else\npattern,(a+)+\n\nword,two words\nfine phrase\n"
    with pytest.raises(ValidationError) as raised:
        terms_upload(actor=w["security"], word_list=w["word_list"], content=content)
    problems = raised.value.messages
    assert [p.split(":")[0] for p in problems] == ["Line 2", "Line 3", "Line 5"]
    assert Term.objects.count() == 3
    with pytest.raises(ValidationError, match="UTF-8"):
        terms_upload(actor=w["security"], word_list=w["word_list"], content=b"\xff\xfeparcel")
    with pytest.raises(ValidationError, match="KB or smaller"):
        terms_upload(actor=w["security"], word_list=w["word_list"], content=b"a" * (512 * 1024 + 1))
    with pytest.raises(ValidationError, match="no terms"):
        terms_upload(actor=w["security"], word_list=w["word_list"], content=b"\n# only a comment\n")


def test_a_delivery_units_risk_words_start_with_the_defaults(
    msg_world: dict[str, Any], make_staff: Any, settings: Any
) -> None:
    w = msg_world
    senior = make_staff(Role.SENIOR, w["org"]["pdu_n"])
    with pytest.raises(PermissionDenied):
        word_list_create(actor=w["security"], unit=w["org"]["pdu_n"], policy="flag")
    risk = word_list_create(actor=senior, unit=w["org"]["pdu_n"], policy="flag")
    assert risk.terms.count() == len(settings.MESSAGING_DEFAULT_RISK_TERMS)
    term_add(actor=senior, word_list=risk, kind=TermKind.PHRASE, text="no way out")
    conversation = conversation_for_person(actor=w["community_user"], person=w["community"])
    sent = message_send(actor=w["community_user"], conversation=conversation, body="There is no way out")
    assert sent.flag == "risk"
    assert sent.state == MessageState.DELIVERED  # in the community a message is never held
    with pytest.raises(PermissionDenied):
        term_add(actor=senior, word_list=w["word_list"], kind=TermKind.WORD, text="trainers")


def test_the_pages_add_upload_search_and_remove(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    client = staff_client(w["security"])
    list_id = w["word_list"].pk
    index = client.get("/staff/word-lists/").content.decode()
    assert "HMP Northgate" in index
    added = client.post(f"/staff/word-lists/{list_id}/terms/new/", {"kind": "word", "text": "trainers"})
    assert added.status_code == 302
    refused = client.post(f"/staff/word-lists/{list_id}/terms/new/", {"kind": "word", "text": "parcel"})
    assert refused.status_code == 400
    assert "already on the list" in refused.content.decode()
    pattern = client.post(f"/staff/word-lists/{list_id}/terms/new/", {"kind": "pattern", "pattern": "email_address"})
    assert pattern.status_code == 302
    upload = SimpleUploadedFile("terms.csv", b"ladder\nrope\nbad,line\n", content_type="text/csv")
    bad = client.post(f"/staff/word-lists/{list_id}/terms/upload/", {"file": upload})
    assert bad.status_code == 400
    assert "Line 3" in bad.content.decode()
    good = SimpleUploadedFile("terms.txt", b"ladder\nrope\nparcel\n", content_type="text/plain")
    done = client.post(f"/staff/word-lists/{list_id}/terms/upload/", {"file": good}, follow=True)
    assert "2 terms added. 1 were already on the list" in done.content.decode()
    found = client.get(f"/staff/word-lists/{list_id}/", {"q": "lad"}).content.decode()
    assert "ladder" in found
    assert "rope" not in found
    term = Term.objects.get(text="rope")
    assert client.post(f"/staff/word-lists/{list_id}/terms/{term.pk}/remove/", {"reason": ""}).status_code == 400
    removed = client.post(f"/staff/word-lists/{list_id}/terms/{term.pk}/remove/", {"reason": "Gym uses rope"})
    assert removed.status_code == 302
    assert not Term.objects.filter(text="rope").exists()
    policy = client.post(f"/staff/word-lists/{list_id}/policy/", {"policy": "flag", "reason": "Review pilot"})
    assert policy.status_code == 302
    assert WordList.objects.get().policy == ScreeningPolicy.FLAG


def test_a_new_list_for_a_prison_without_one(msg_world: dict[str, Any], make_staff: Any, staff_client: Any) -> None:
    w = msg_world
    stn_security = w["other_security"]
    client = staff_client(stn_security)
    page = client.get("/staff/word-lists/new/").content.decode()
    assert "HMP Southtown" in page
    assert "HMP Northgate" not in page
    made = client.post("/staff/word-lists/new/", {"unit": w["org"]["stn"].pk, "policy": "hold"})
    assert made.status_code == 302
    assert WordList.objects.filter(unit=w["org"]["stn"]).exists()
    refused = client.post("/staff/word-lists/new/", {"unit": w["org"]["ngt"].pk, "policy": "hold"})
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="word_list.created").count() == 1


def test_a_long_list_is_paged_with_the_same_queries_per_page(msg_world: dict[str, Any], staff_client: Any) -> None:
    w = msg_world
    Term.objects.bulk_create(Term(word_list=w["word_list"], text=f"word{n:05d}") for n in range(300))
    client = staff_client(w["security"])
    url = f"/staff/word-lists/{w['word_list'].pk}/"
    client.get(url)  # warm the session and role caches
    with CaptureQueriesContext(connection) as first:
        page_one = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as later:
        page_five = client.get(url, {"page": 5}).content.decode()
    assert "303 terms" in page_one
    assert page_one.count('data-testid="term"') == 50
    assert "word00000" in page_one
    assert "word00200" in page_five
    assert len(first) == len(later)
    assert len(later) < 20
    other = WordListFactory()
    TermFactory(word_list=other, text="elsewhere")
    searched = client.get(url, {"q": "elsewhere"}).content.decode()
    assert 'data-testid="term"' not in searched
    assert "0 terms" in searched


def test_terms_are_compared_in_their_canonical_form(msg_world: dict[str, Any]) -> None:
    w = msg_world
    assert term_clean(TermKind.WORD, "self-harm") == (TermKind.PHRASE, "self-harm")  # screened as two words
    with pytest.raises(ValidationError, match="cannot have spaces"):
        term_clean(TermKind.WORD, "self harm")
    with pytest.raises(ValidationError, match="That is already on the list"):
        term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.WORD, text="p\u0430rcel")
    with pytest.raises(ValidationError, match="That is already on the list"):
        term_add(actor=w["security"], word_list=w["word_list"], kind=TermKind.PHRASE, text="over-the-wall")
