"""The GOV.UK pagination component's parameters for a Django page, the way the design system shows long lists.

The component's guidance: show the first page, the last page, the current page and the pages either
side of it, with an ellipsis where pages are left out. A caseload of 5,000 people has 200 pages; a link
to each would make the list long to read, long to tab through and slow to draw.
"""

from typing import Any

from django.core.paginator import Page
from django.utils.translation import gettext as _

NEIGHBOURS = 1  # pages shown either side of the current one


def pagination_numbers(current: int, last: int) -> list[int | None]:
    """Page numbers to show, None where an ellipsis stands for pages left out."""
    shown = sorted({1, last, *range(max(1, current - NEIGHBOURS), min(last, current + NEIGHBOURS) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination_params(page: Page, query: str = "") -> dict[str, Any]:
    """Everything `govukPagination` needs for `page`; `query` is the URL-encoded filter to keep."""
    prefix = f"?{query}&page=" if query else "?page="
    items: list[dict[str, Any]] = [
        {"ellipsis": True}
        if number is None
        else {"number": number, "href": f"{prefix}{number}", "current": number == page.number}
        for number in pagination_numbers(page.number, page.paginator.num_pages)
    ]
    return {
        "previous": {"href": f"{prefix}{page.previous_page_number()}", "labelText": _("Previous")}
        if page.has_previous()
        else None,
        "next": {"href": f"{prefix}{page.next_page_number()}", "labelText": _("Next")} if page.has_next() else None,
        "items": items,
        "landmarkLabel": _("Pages"),
    }
