"""Library search over 5,000 published articles: typo-tolerant, as a person in the community searches.

Run by bench/library.py (after the services directory part), in the same fresh database.

Prints: library_articles, search_index_build_ms, search_p50_ms, search_p95_ms (each search: the content
version check, the in-memory index, targeting, and loading the hits' words from the database).
"""

import random
import time

from _setup import percentile

ARTICLES = 5000
RUNS = 200
SEED = 20261127
SUBJECTS = [
    "bank account",
    "housing benefit",
    "universal credit",
    "driving licence",
    "birth certificate",
    "curfew",
    "probation appointment",
    "job interview",
    "college course",
    "family visits",
    "doctor",
    "dentist",
    "debt advice",
    "council tax",
    "tenancy",
    "hostel",
    "drug service",
    "alcohol support",
    "mental health",
    "national insurance number",
    "passport",
    "phone contract",
    "gym",
    "library card",
    "volunteering",
]
VERBS = ["How to get", "How to open", "Help with", "Your guide to", "Questions about", "Paying for", "Finding"]
QUERIES = [
    "bnak acount",
    "housng benefit",
    "universal credit",
    "drving licence",
    "birth certifcate",
    "curfew",
    "probaton appointment",
    "job intervew",
    "colege course",
    "famly visits",
    "debt",
    "passpor",
    "hostel",
    "mental helth",
    "volunteering",
    "council tax",
    "tenancy agreement",
    "national insurance",
]


def search_benchmark() -> None:
    from faker import Faker

    from onward.library.models import Audience, ContentVersion, Item, ItemState, Revision, RevisionText
    from onward.library.search import index_build
    from onward.library.selectors import items_search
    from onward.organisations.tests.factories import OfficeFactory
    from onward.people.tests.factories import CommunityPersonFactory

    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    person = CommunityPersonFactory.create(unit=OfficeFactory.create())
    audiences = [Audience.COMMUNITY, Audience.BOTH, Audience.CUSTODY]
    items = Item.objects.bulk_create(
        [Item(state=ItemState.PUBLISHED, audience=rng.choice(audiences)) for _ in range(ARTICLES)], batch_size=1000
    )
    revisions = Revision.objects.bulk_create(
        [Revision(item=item, number=1, audience=item.audience) for item in items], batch_size=1000
    )
    texts = []
    for revision in revisions:
        subject = rng.choice(SUBJECTS)
        title = f"{rng.choice(VERBS)} {subject} {fake.word()}"
        body = " ".join(fake.paragraph(nb_sentences=6) for _ in range(3)) + f" More about {subject}."
        texts.append(RevisionText(revision=revision, language="en-gb", title=title, summary=fake.sentence(), body=body))
    RevisionText.objects.bulk_create(texts, batch_size=1000)
    for item, revision in zip(items, revisions, strict=True):
        item.live_revision = revision
    Item.objects.bulk_update(items, ["live_revision"], batch_size=1000)
    ContentVersion.objects.create(pk=1, number=1, token="bench-data")  # noqa: S106 - not a secret

    started = time.perf_counter()
    index_build("bench-build")
    build_ms = (time.perf_counter() - started) * 1000
    items_search(person, "warm up", "en-gb")  # builds this process's index once, as the first search would

    timings = []
    found = 0
    for i in range(RUNS):
        query = QUERIES[i % len(QUERIES)]
        started = time.perf_counter()
        results = items_search(person, query, "en-gb")
        timings.append((time.perf_counter() - started) * 1000)
        found += bool(results)
    assert found == RUNS, "every query should find something"

    print(f"library_articles = {ARTICLES}")
    print(f"search_index_build_ms = {build_ms:.0f}")
    print(f"search_p50_ms = {percentile(timings, 50):.1f}")
    print(f"search_p95_ms = {percentile(timings, 95):.1f}")
