"""A batch of fixes costs a fixed number of queries, however many fixes it holds."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onward.accounts.services import person_account_ensure
from onward.curfew.evaluation import FixIn, fixes_ingest
from onward.curfew.models import LocationFix
from onward.curfew.tests.conftest import HOME
from onward.curfew.tests.test_fixes import NIGHT, NOW, north_of

pytestmark = pytest.mark.django_db


def _batch(first: Any, count: int, metres: float = 0) -> list[FixIn]:
    where = north_of(HOME, metres)
    return [
        FixIn(first + timedelta(minutes=i, seconds=i % 7), where[0], where[1] + i * 1e-6, 20.0 + i % 5)
        for i in range(count)
    ]


def _queries(case: dict[str, Any], fixes: list[FixIn], device: str) -> list[str]:
    user = person_account_ensure(case["person"])
    with CaptureQueriesContext(connection) as captured:
        fixes_ingest(actor=user, person=case["person"], device=device, fixes=fixes, now=NOW)
    return [query["sql"] for query in captured.captured_queries]


def test_the_queries_a_batch_costs_do_not_grow_with_its_fixes(case: dict[str, Any], terms: Any) -> None:
    person_account_ensure(case["person"])
    _queries(case, _batch(NIGHT - timedelta(days=1), 3), "warm-up")  # the audit chain's first event
    small = _queries(case, _batch(NIGHT, 5), "phone-a")
    large = _queries(case, _batch(NIGHT + timedelta(minutes=30), 100), "phone-b")
    assert LocationFix.objects.count() == 108
    assert len(small) == len(large), "\n".join(large)
    assert len(large) <= 10, "\n".join(large)


def test_a_batch_away_from_home_costs_a_fixed_number_too(case: dict[str, Any], terms: Any) -> None:
    """While a violation is open each batch reads the fixes around it and extends it: still a fixed number."""
    person_account_ensure(case["person"])
    _queries(case, _batch(NIGHT - timedelta(minutes=20), 10, metres=2000), "opens-it")
    small = _queries(case, _batch(NIGHT, 5, metres=2000), "phone-a")
    large = _queries(case, _batch(NIGHT + timedelta(minutes=30), 100, metres=2000), "phone-b")
    assert LocationFix.objects.filter(against=True).count() == 115
    assert len(small) == len(large), "\n".join(large)
