from itertools import pairwise

from django.core.paginator import Paginator
from hypothesis import given
from hypothesis import strategies as st

from onward.core.pagination import pagination_numbers, pagination_params


def test_a_long_list_shows_first_last_and_neighbours_with_ellipses() -> None:
    assert pagination_numbers(100, 200) == [1, None, 99, 100, 101, None, 200]


def test_no_ellipsis_stands_for_a_single_page_it_could_have_shown() -> None:
    assert pagination_numbers(3, 5) == [1, 2, 3, 4, 5]
    assert pagination_numbers(1, 4) == [1, 2, None, 4]


@given(st.integers(min_value=1, max_value=500), st.data())
def test_the_numbers_are_in_order_include_the_ends_and_the_current_page(last: int, data: st.DataObject) -> None:
    current = data.draw(st.integers(min_value=1, max_value=last))
    numbers = pagination_numbers(current, last)
    shown = [n for n in numbers if n is not None]
    assert shown == sorted(set(shown))
    assert {1, last, current} <= set(shown)
    assert len(numbers) <= 7
    for before, after in pairwise(numbers):
        assert not (before is None and after is None)


def test_params_keep_the_filter_in_every_link_and_mark_the_current_page() -> None:
    page = Paginator(list(range(100)), 10).get_page(4)
    params = pagination_params(page, "q=smith")
    assert params["previous"]["href"] == "?q=smith&page=3"
    assert params["next"]["href"] == "?q=smith&page=5"
    current = [item for item in params["items"] if item.get("current")]
    assert current == [{"number": 4, "href": "?q=smith&page=4", "current": True}]
    assert {"ellipsis": True} in params["items"]


def test_the_first_page_has_no_previous_link() -> None:
    params = pagination_params(Paginator(list(range(30)), 10).get_page(1))
    assert params["previous"] is None
    assert params["next"]["href"] == "?page=2"
