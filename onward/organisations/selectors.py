"""Reads of the organisation tree."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from onward.organisations.models import OrgUnit


def units_under(paths: Iterable[str], kinds: Iterable[str] | None = None) -> QuerySet[OrgUnit]:
    """The units at or below any of these units' paths (a role held at a unit covers everything below it).

    One query, whatever the number of paths; no paths means no units.
    """
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(path__startswith=path)
    units = OrgUnit.objects.filter(scope)
    return units.filter(kind__in=list(kinds)) if kinds is not None else units
