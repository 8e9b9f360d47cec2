"""Sending messages, screening included, against a prison word list of 10,000 terms.

Prints: word_list_terms, automaton_build_ms, screening_ms_per_message (a 1,000-character message),
screening_mixed_ms_per_message (the same length with numbers, accents and curly quotes), messages_per_second
(message_send: policy, screening, storage, audit event and notification rows), messages_held_percent.
"""

import random
import time

from _setup import django_with_fresh_database

TERMS = 10_000
MESSAGES = 1_000
SCREEN_RUNS = 2_000
MESSAGE_CHARS = 1_000


def main() -> None:
    django_with_fresh_database()
    from onward.accounts.services import person_account_ensure
    from onward.accounts.tests.factories import StaffFactory
    from onward.messaging.models import Term, TermKind, WordList
    from onward.messaging.screening import screener_for
    from onward.messaging.services import conversation_for_person, message_send
    from onward.organisations.models import Role, StaffRole
    from onward.organisations.tests.factories import PrisonFactory, WingFactory
    from onward.people.models import AssignmentRole, StaffAssignment
    from onward.people.tests.factories import PersonFactory

    rng = random.Random(4)
    prison = PrisonFactory.create(code="BEN")
    wing = WingFactory.create(parent=prison)
    word_list = WordList.objects.create(unit=prison)
    words = {f"{_word(rng)}" for _ in range(TERMS * 2)}
    terms = [Term(word_list=word_list, kind=TermKind.WORD, text=w) for w in list(words)[: TERMS - 100]]
    terms += [Term(word_list=word_list, kind=TermKind.PHRASE, text=f"{_word(rng)} {_word(rng)}") for _ in range(98)]
    terms += [
        Term(word_list=word_list, kind=TermKind.PATTERN, text="uk_phone_number"),
        Term(word_list=word_list, kind=TermKind.PATTERN, text="bank_sort_code"),
    ]
    Term.objects.bulk_create(terms, ignore_conflicts=True)
    word_list.refresh_from_db()

    started = time.perf_counter()
    screener = screener_for(word_list)
    build_ms = (time.perf_counter() - started) * 1000

    plain = "Dear Kim, thank you for your help with the housing form and the course booking. "
    text = (plain * (MESSAGE_CHARS // len(plain) + 1))[:MESSAGE_CHARS]
    started = time.perf_counter()
    for _ in range(SCREEN_RUNS):
        screener.matches(text)
    screening_ms = (time.perf_counter() - started) * 1000 / SCREEN_RUNS
    mixed = "Dear Kim, I\u2019ll ring on 01632 960 001 at 10am on 12 March about the caf\u00e9 course. "
    mixed_text = (mixed * (MESSAGE_CHARS // len(mixed) + 1))[:MESSAGE_CHARS]
    started = time.perf_counter()
    for _ in range(SCREEN_RUNS):
        screener.matches(mixed_text)
    mixed_ms = (time.perf_counter() - started) * 1000 / SCREEN_RUNS

    keyworker = StaffFactory.create()
    StaffRole.objects.create(user=keyworker, role=Role.KEY_WORKER, unit=prison)
    people = [PersonFactory.create(unit=wing) for _ in range(50)]
    conversations = []
    for person in people:
        StaffAssignment.objects.create(person=person, staff=keyworker, role=AssignmentRole.KEY_WORKER)
        user = person_account_ensure(person)
        conversations.append((user, conversation_for_person(actor=user, person=person)))
    term_list = [t.text for t in terms if t.kind == TermKind.WORD]
    bodies = [
        f"Hello, message {i}: " + (f"about {rng.choice(term_list)}" if i % 20 == 0 else "can we talk about my course?")
        for i in range(MESSAGES)
    ]
    held = 0
    started = time.perf_counter()
    for i, body in enumerate(bodies):
        user, conversation = conversations[i % len(conversations)]
        held += message_send(actor=user, conversation=conversation, body=body).state == "held"
    rate = MESSAGES / (time.perf_counter() - started)

    print(f"word_list_terms = {Term.objects.filter(word_list=word_list).count()}")
    print(f"automaton_build_ms = {build_ms:.1f}")
    print(f"screening_ms_per_message = {screening_ms:.3f}")
    print(f"screening_mixed_ms_per_message = {mixed_ms:.3f}")
    print(f"messages_per_second = {rate:.0f}")
    print(f"messages_held_percent = {100 * held / MESSAGES:.1f}")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 10)))


if __name__ == "__main__":
    main()
